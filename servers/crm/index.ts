import { defineServer } from '../kit/define-server.ts';
import { customerTools } from './tools/customers.ts';
import { importExportTools } from './tools/import-export.ts';
import { leadTools } from './tools/leads.ts';

/** The CRM domain: leads and their pipeline, customers, and one timeline of everything that happened with them. */
export function crmServer() {
  return defineServer({
    name: 'crm',
    version: '0.1.0',
    instructions: 'Leads, the sales pipeline, customers and their 360° timeline; CSV import and export.',
    tools: [...leadTools, ...customerTools, ...importExportTools],
  });
}

export { emitDueTaskEvents } from './due-tasks.ts';
