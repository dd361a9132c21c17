import type { Principal } from '../gateway/principal.ts';

/**
 * What every agent knows about the person it acts for, placed in its system prompt. The lines
 * have fixed prefixes so that the offline command model can read them too.
 */
export function principalContext(principal: Principal, now: Date, memories: readonly string[]): string {
  const date = new Intl.DateTimeFormat('en-CA', {
    timeZone: principal.timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  const lines = [
    `You act for: ${principal.name} <${principal.email}>`,
    `Their role: ${principal.role}`,
    `Their tenant: ${principal.tenant.name} (${principal.tenant.slug})`,
    `Their time zone: ${principal.timezone}`,
    `Their language: ${principal.language}`,
    `Today (their time zone): ${date}`,
  ];
  if (principal.impersonatorEmail) lines.push(`Viewed by: ${principal.impersonatorEmail} (impersonating)`);
  if (memories.length) lines.push('Things they asked you to remember:', ...memories.map((m) => `- ${m}`));
  return lines.join('\n');
}
