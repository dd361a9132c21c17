import type { UIMessage } from 'ai';
import { isSecretKey, REDACTED } from '../core/secret-keys.ts';

/**
 * What an agent turn leaves behind (saved conversations, task run history) must not keep the
 * secrets that passed through it: credentials given to `registry_connect`, passwords, API keys and
 * recovery codes a tool showed once. The live stream still carries them to the person who typed
 * or asked for them; the stored copy does not.
 */

/** Shorter values are not worth hunting for in free text ("on", "1"). */
const MIN_SECRET_LENGTH = 6;

/** Replaces the values under secret keys (at any depth) and collects the strings it replaced. */
export function redactValue(value: unknown, found: Set<string> = new Set(), secret = false): unknown {
  if (typeof value === 'string') {
    if (!secret) return value;
    if (value.length >= MIN_SECRET_LENGTH) found.add(value);
    return REDACTED;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, found, secret));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactValue(v, found, secret || isSecretKey(k))]),
    );
  return value;
}

/** The same text with every secret found elsewhere in the turn blanked out. */
export function redactText(text: string, secrets: ReadonlySet<string>): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(REDACTED);
  return out;
}

type Part = UIMessage['parts'][number] & { state?: string; input?: unknown; output?: unknown };

/** Tool parts still waiting for the person's answer keep their input: approving them runs it. */
const isSettled = (part: Part) => part.state !== 'approval-requested' && part.state !== 'input-available';

/** A conversation as it may be stored: secrets in settled tool calls, and those values in text, replaced. */
export function redactMessages(messages: readonly UIMessage[]): UIMessage[] {
  const secrets = new Set<string>();
  const settled = messages.map((m) => ({
    ...m,
    parts: (m.parts as Part[]).map((part) => {
      if (!('input' in part || 'output' in part) || !isSettled(part)) return part;
      const out = { ...part } as Part;
      if ('input' in part) out.input = redactValue(part.input, secrets);
      if ('output' in part) out.output = redactValue(part.output, secrets);
      return out;
    }),
  }));
  if (!secrets.size) return settled as UIMessage[];
  return settled.map((m) => ({
    ...m,
    parts: m.parts.map((part) =>
      part.type === 'text' || part.type === 'reasoning'
        ? { ...part, text: redactText(part.text, secrets) }
        : part,
    ),
  })) as UIMessage[];
}
