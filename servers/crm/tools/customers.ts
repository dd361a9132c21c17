import { z } from 'zod';
import { dateInput, page, pageSize } from '../../kit/common-inputs.ts';
import { defineTool, READ_ONLY, writes } from '../../kit/tool.ts';
import { convertLead, createCustomer, customer360, listCustomers } from '../customers.ts';
import { completeTask, logInteraction, timeline } from '../timeline.ts';
import * as input from './inputs.ts';

const access = (permission: 'crm.read' | 'crm.write') => ({
  permission,
  feature: 'crm' as const,
  scope: 'tenant' as const,
});

export const customerTools = [
  defineTool({
    name: 'convert_lead',
    title: 'Turn a won lead into a customer',
    description: 'Make a won lead a customer, carrying its history over to the customer’s timeline.',
    input: z.strictObject({ lead: input.leadRef }),
    access: access('crm.write'),
    annotations: writes(),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const result = await convertLead(tx, call.ctx, args.lead);
        call.audit.target = result.customer.id;
        return result;
      }),
  }),
  defineTool({
    name: 'create_customer',
    title: 'Add a customer',
    description: 'Add a customer directly (a person or a company).',
    input: z.strictObject({
      kind: z.enum(['person', 'company']).default('person'),
      name: z.string().trim().min(1).max(200).describe('The name.'),
      email: input.email.optional(),
      phone: input.phone.optional(),
      company: input.company.optional(),
    }),
    access: access('crm.write'),
    annotations: writes(),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const customer = await createCustomer(tx, call.ctx, args);
        call.audit.target = customer.id;
        return { customer };
      }),
  }),
  defineTool({
    name: 'list_customers',
    title: 'List customers',
    description: 'Customers, newest first; search by name, email or company.',
    input: z.strictObject({
      query: z.string().trim().max(200).optional(),
      kind: z.enum(['person', 'company']).optional(),
      page,
      pageSize,
    }),
    access: access('crm.read'),
    annotations: READ_ONLY,
    handler: (args, call) => call.transaction((tx) => listCustomers(tx, args)),
  }),
  defineTool({
    name: 'get_customer',
    title: 'A customer’s 360° view',
    description:
      'Everything about one customer: details, the leads they came from, interactions by kind, open tasks and the latest timeline.',
    input: z.strictObject({ customer: input.customerRef }),
    access: access('crm.read'),
    annotations: READ_ONLY,
    handler: (args, call) => call.transaction((tx) => customer360(tx, args.customer)),
  }),
  defineTool({
    name: 'log_interaction',
    title: 'Log an interaction',
    description:
      'Add to a customer’s or lead’s timeline: a note, call, email, meeting, task (with dueAt), review or billing event.',
    input: z.strictObject({
      customer: input.customerRef.optional(),
      lead: input.leadRef.optional(),
      kind: input.interactionKind,
      summary: z.string().trim().min(1).max(300).describe('One line: what happened.'),
      body: z.string().trim().max(10_000).optional().describe('Details.'),
      dueAt: dateInput.optional().describe('For a task: when it is due.'),
      occurredAt: dateInput.optional().describe('When it happened (default now).'),
      data: z
        .record(z.string().max(60), z.unknown())
        .optional()
        .describe('Structured details, e.g. a review id or an invoice number.'),
    }),
    access: access('crm.write'),
    annotations: writes(),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const interaction = await logInteraction(tx, call.ctx, {
          ...args,
          dueAt: args.dueAt ? new Date(args.dueAt) : undefined,
          occurredAt: args.occurredAt ? new Date(args.occurredAt) : undefined,
        });
        call.audit.target = interaction.customerId ?? interaction.leadId ?? interaction.id;
        return { interaction };
      }),
  }),
  defineTool({
    name: 'complete_task',
    title: 'Mark a task done',
    description: 'Mark a task on a timeline as done.',
    input: z.strictObject({
      task: z
        .string()
        .trim()
        .regex(/^int_[0-9A-Z]{26}$/, 'must be a task id such as int_01J…'),
    }),
    access: access('crm.write'),
    annotations: writes({ idempotent: true }),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        call.audit.target = args.task;
        return { task: await completeTask(tx, args.task) };
      }),
  }),
  defineTool({
    name: 'timeline',
    title: 'Timeline',
    description:
      'A customer’s or lead’s history, newest first: notes, calls, emails, meetings, tasks, stage changes, reviews, billing.',
    input: z.strictObject({
      customer: input.customerRef.optional(),
      lead: input.leadRef.optional(),
      kind: z
        .enum(['note', 'call', 'email', 'meeting', 'task', 'stage_change', 'review', 'billing'])
        .optional(),
      openTasks: z.boolean().optional().describe('Only tasks not done yet.'),
      page,
      pageSize,
    }),
    access: access('crm.read'),
    annotations: READ_ONLY,
    handler: (args, call) => call.transaction((tx) => timeline(tx, args)),
  }),
];
