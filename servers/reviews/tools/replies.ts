import { z } from 'zod';
import { defineTool, READ_ONLY, writes } from '../../kit/tool.ts';
import { ownBusinessName } from '../business-name.ts';
import { assertOwnTenantWritable } from '../ingest.ts';
import * as input from '../inputs.ts';
import { approveReply, draftReply, publishReply } from '../replies.ts';
import { deleteTemplate, listTemplates, PLACEHOLDERS, saveTemplate } from '../templates.ts';
import { readAccess, writeAccess } from './access.ts';

const placeholders = PLACEHOLDERS.map((p) => `{${p}}`).join(', ');

/** Replies (draft → approved → published) and the reply template library. */
export const replyTools = [
  defineTool({
    name: 'draft_reply',
    title: 'Draft a reply to a review',
    description:
      'Write a draft reply to a review, from your own text or from a reply template (by id or name). A draft is ' +
      'private until it is approved (reviews_approve_reply) and published (reviews_publish_reply).',
    input: z.strictObject({
      review: input.reviewRef,
      text: input.replyText.optional(),
      template: input.templateRef.optional(),
      business: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .optional()
        .describe('The business name for a template’s {business} (default: your organisation’s name).'),
    }),
    access: writeAccess,
    annotations: writes({ idempotent: true }),
    handler: async (args, call) => {
      if ((args.text === undefined) === (args.template === undefined))
        throw input.invalidField('text', 'give either text or template, exactly one of them');
      const ownBusiness =
        args.template && !args.business
          ? await ownBusinessName(call.callTool.bind(call), call.ctx)
          : undefined;
      return call.transaction(async (tx) => {
        call.audit.target = args.review;
        return draftReply(
          tx,
          call.ctx,
          args.review,
          args.text !== undefined
            ? { text: args.text }
            : { template: args.template as string, business: args.business, ownBusiness },
        );
      });
    },
  }),
  defineTool({
    name: 'approve_reply',
    title: 'Approve a draft reply',
    description: 'Approve a review’s draft reply so it can be published.',
    input: z.strictObject({ review: input.reviewRef }),
    access: writeAccess,
    annotations: writes({ idempotent: true }),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        call.audit.target = args.review;
        return approveReply(tx, call.ctx, args.review);
      }),
  }),
  defineTool({
    name: 'publish_reply',
    title: 'Publish a reply',
    description:
      'Publish a review’s approved reply: it becomes public at the source (Google, Yelp, …). Cannot be taken back here.',
    input: z.strictObject({ review: input.reviewRef }),
    access: writeAccess,
    // Public and at the source: an agent needs the person's approval.
    annotations: writes({ destructive: true, idempotent: true }),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        call.audit.target = args.review;
        return publishReply(tx, call.ctx, args.review);
      }),
  }),
  defineTool({
    name: 'list_templates',
    title: 'List reply templates',
    description:
      'Your organisation’s reply templates, optionally only those meant for reviews with this many stars.',
    input: z.strictObject({ rating: input.rating.optional() }),
    access: readAccess,
    annotations: READ_ONLY,
    handler: (args, call) => call.transaction((tx) => listTemplates(tx, call.ctx, args.rating)),
  }),
  defineTool({
    name: 'save_template',
    title: 'Save a reply template',
    description:
      `Add a reply template, or replace the one with the same name. The body may use ${placeholders} ` +
      '(the reviewer’s first name, your business name, the stars); minRating/maxRating say which reviews it fits.',
    input: z.strictObject({
      name: input.templateName,
      body: z.string().trim().min(1).max(4000).describe(`The reply text; may use ${placeholders}.`),
      minRating: input.rating.default(1).describe('Lowest star rating it fits (default 1).'),
      maxRating: input.rating.default(5).describe('Highest star rating it fits (default 5).'),
    }),
    access: writeAccess,
    annotations: writes({ idempotent: true }),
    handler: async (args, call) => {
      assertOwnTenantWritable(call.ctx);
      return call.transaction(async (tx) => {
        const saved = await saveTemplate(tx, call.ctx, args);
        call.audit.target = saved.template.id;
        return saved;
      });
    },
  }),
  defineTool({
    name: 'delete_template',
    title: 'Delete a reply template',
    description: 'Delete one of your organisation’s reply templates, by id or name.',
    input: z.strictObject({ template: input.templateRef }),
    access: writeAccess,
    annotations: writes({ destructive: true, idempotent: true }),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const result = await deleteTemplate(tx, call.ctx, args.template);
        call.audit.target = result.deleted.id;
        return result;
      }),
  }),
];
