import { z } from 'zod';
import { dateRange } from '../../kit/common-inputs.ts';
import { defineTool, READ_ONLY, writes } from '../../kit/tool.ts';
import { exportLeads, importLeads } from '../csv.ts';
import { leadFilters, userIdOf } from './leads.ts';

export const importExportTools = [
  defineTool({
    name: 'import_leads',
    title: 'Import leads from CSV',
    description:
      'Import leads from CSV text with a header row (name required; email, phone, company, source, notes; other ' +
      'columns become custom fields). Rows with errors are reported by line and nothing of them is written; ' +
      'duplicates are refused or merged (onDuplicate).',
    input: z.strictObject({
      csv: z.string().min(1).max(2_000_000).describe('The CSV text.'),
      onDuplicate: z.enum(['refuse', 'merge']).default('refuse'),
    }),
    access: { permission: 'crm.write', feature: 'crm', scope: 'tenant' },
    annotations: writes(),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const result = await importLeads(tx, call.ctx, args.csv, args.onDuplicate);
        call.audit.target = `${result.created} created, ${result.merged} merged, ${result.rejected.length} rejected`;
        return result;
      }),
  }),
  defineTool({
    name: 'export_leads',
    title: 'Export leads as CSV',
    description: 'The leads matching the filters (same filters as list_leads) as CSV text.',
    input: z.strictObject(leadFilters),
    access: { permission: 'crm.read', feature: 'crm', scope: 'tenant' },
    annotations: READ_ONLY,
    handler: async (args, call) => {
      const owner = args.owner ? await userIdOf(call, args.owner) : undefined;
      return call.transaction((tx) => exportLeads(tx, { ...args, owner, ...dateRange(args.from, args.to) }));
    },
  }),
];
