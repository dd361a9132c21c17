import { z } from 'zod';
import { dateInput, dateRange, page, pageSize } from '../../kit/common-inputs.ts';
import { defineTool, READ_ONLY, type ToolCall, writes } from '../../kit/tool.ts';
import { assignOwner, createLead, listLeads, setStage, updateLead } from '../leads.ts';
import { findLead } from '../refs.ts';
import { leadView } from '../views.ts';
import * as input from './inputs.ts';

const access = (permission: 'crm.read' | 'crm.write') => ({
  permission,
  feature: 'crm' as const,
  scope: 'tenant' as const,
});

/** A user id for a user reference, resolved by the users server (so its scope rules apply). */
export async function userIdOf(call: ToolCall, ref: string): Promise<string> {
  return ((await call.callTool('users_get', { user: ref })) as { user: { id: string } }).user.id;
}

export const leadFilters = {
  status: input.stage.optional().describe('Only leads at this stage.'),
  query: z.string().trim().max(200).optional().describe('Text in name, email, company or notes.'),
  owner: z.string().trim().max(254).optional().describe('Only leads owned by this user (id or email).'),
  source: input.source.optional(),
  minScore: z.number().int().min(0).max(100).optional().describe('Only leads scoring at least this.'),
  from: dateInput.optional().describe('Created on or after (ISO date).'),
  to: dateInput.optional().describe('Created on or before (ISO date; a date includes that whole day).'),
};

export const leadTools = [
  defineTool({
    name: 'create_lead',
    title: 'Add a lead',
    description:
      'Add a lead (a potential customer): name, and what is known — email, phone, company, source, notes (e.g. ' +
      'what they called about), custom fields. A lead with the same email or phone is refused unless ' +
      'onDuplicate is "merge", which adds the new details to the existing lead.',
    input: z.strictObject({
      name: input.personName,
      email: input.email.optional(),
      phone: input.phone.optional(),
      company: input.company.optional(),
      source: input.source.optional(),
      notes: input.notes.optional(),
      customFields: input.customFields.optional(),
      onDuplicate: z
        .enum(['refuse', 'merge'])
        .default('refuse')
        .describe('What to do when a lead has the same email or phone.'),
    }),
    access: access('crm.write'),
    annotations: writes(),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const result = await createLead(tx, call.ctx, args);
        call.audit.target = result.lead.id;
        return result;
      }),
  }),
  defineTool({
    name: 'list_leads',
    title: 'List leads',
    description:
      'Leads, newest first: filter by stage (status), text, owner, source, minimum score and creation dates.',
    input: z.strictObject({ ...leadFilters, page, pageSize }),
    access: access('crm.read'),
    annotations: READ_ONLY,
    handler: async (args, call) => {
      const owner = args.owner ? await userIdOf(call, args.owner) : undefined;
      return call.transaction((tx) => listLeads(tx, { ...args, owner, ...dateRange(args.from, args.to) }));
    },
  }),
  defineTool({
    name: 'get_lead',
    title: 'Get a lead',
    description: 'One lead with its score and the signals that make it up.',
    input: z.strictObject({ lead: input.leadRef }),
    access: access('crm.read'),
    annotations: READ_ONLY,
    handler: async (args, call) => ({
      lead: leadView(await call.transaction((tx) => findLead(tx, args.lead))),
    }),
  }),
  defineTool({
    name: 'update_lead',
    title: 'Update a lead',
    description: "Change a lead's details; custom fields named are set, others kept.",
    input: z
      .strictObject({
        lead: input.leadRef,
        name: input.personName.optional(),
        email: input.email.nullable().optional(),
        phone: input.phone.nullable().optional(),
        company: input.company.nullable().optional(),
        source: input.source.nullable().optional(),
        notes: input.notes.nullable().optional(),
        customFields: input.customFields.optional(),
      })
      .refine((v) => Object.keys(v).length > 1, { message: 'name at least one field to change' }),
    access: access('crm.write'),
    annotations: writes({ idempotent: true }),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        call.audit.target = args.lead;
        return { lead: await updateLead(tx, args.lead, args) };
      }),
  }),
  defineTool({
    name: 'update_lead_stage',
    title: 'Move a lead along the pipeline',
    description:
      'Set the stage: new, contacted, qualified, proposal, won, or lost (lost needs a reason). A won lead stays won.',
    input: z.strictObject({
      lead: input.leadRef,
      stage: input.stage,
      reason: z.string().trim().max(500).optional().describe('Why it was lost.'),
    }),
    access: access('crm.write'),
    annotations: writes({ idempotent: true }),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        call.audit.target = args.lead;
        return { lead: await setStage(tx, call.ctx, args.lead, args.stage, args.reason) };
      }),
  }),
  defineTool({
    name: 'assign_lead',
    title: 'Assign a lead',
    description: 'Make a user (id or email) the owner of a lead.',
    input: z.strictObject({
      lead: input.leadRef,
      owner: z.string().trim().min(1).max(254).describe('The new owner (user id or email).'),
    }),
    access: access('crm.write'),
    annotations: writes({ idempotent: true }),
    handler: async (args, call) => {
      const ownerId = await userIdOf(call, args.owner);
      return call.transaction(async (tx) => {
        call.audit.target = args.lead;
        return { lead: await assignOwner(tx, args.lead, ownerId) };
      });
    },
  }),
];
