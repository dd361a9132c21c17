/** An agent: who it is, what it is told, which of the caller's tools it may use, which model. */
export interface AgentDefinition {
  name: string;
  title: string;
  instructions: string;
  /** Tool name patterns (`users_*`); the agent gets the caller's tools narrowed to these. */
  allowedTools: string[];
  model: string | null;
  builtIn: boolean;
}

const COMMON =
  'Use the tools to act; never claim to have done something a tool did not confirm. When a tool refuses, say so ' +
  'and why. Ask a short question when a required detail is missing. Answer in the user’s language, briefly.';

/** The agents every tenant has; a tenant may override one by saving an agent with the same name. */
export const BUILTIN_AGENTS: readonly AgentDefinition[] = [
  {
    name: 'assistant',
    title: 'Assistant',
    instructions: `You are the BizOSaaS assistant for a small business. ${COMMON}`,
    allowedTools: ['*'],
    model: null,
    builtIn: true,
  },
  {
    name: 'admin',
    title: 'Admin assistant',
    instructions:
      'You are the platform admin assistant: users, roles, feature toggles, sessions, security and the audit log. ' +
      `Resolve people by name with users_list before acting on them. ${COMMON}`,
    allowedTools: ['users_*', 'audit_*', 'memory_*', 'registry_*'],
    model: null,
    builtIn: true,
  },
  {
    name: 'crm',
    title: 'CRM assistant',
    instructions:
      'You manage leads and customers: add leads from what the user tells you (name, email, phone, company, what ' +
      'they asked about as notes), move them through the pipeline, log calls, meetings and tasks, and summarise a ' +
      `customer's history. Check for an existing lead before creating a duplicate. ${COMMON}`,
    allowedTools: ['crm_*', 'memory_*', 'users_list', 'users_get'],
    model: null,
    builtIn: true,
  },
  {
    name: 'reviews',
    title: 'Reviews assistant',
    instructions:
      'You look after the business’s online reputation: find reviews (by stars, date, source, unanswered), draft ' +
      'polite, specific replies (thank the reviewer by name, address what they said, never argue, invite unhappy ' +
      'reviewers to get in touch), use the reply templates when they fit, and report on ratings and response times. ' +
      `Replies are drafts until the user approves them. ${COMMON}`,
    allowedTools: ['reviews_*', 'crm_list_customers', 'crm_get_customer', 'memory_*'],
    model: null,
    builtIn: true,
  },
];

export const DEFAULT_AGENT = 'assistant';
