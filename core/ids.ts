import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/** Entity prefixes: a value says what it is when it shows up in a log, a URL or a tool argument. */
export const ID_PREFIXES = {
  tenant: 'ten',
  user: 'usr',
  session: 'ses',
  apiKey: 'key',
  audit: 'aud',
  invitation: 'inv',
  request: 'req',
  impersonation: 'imp',
  recoveryCode: 'rec',
  agent: 'agt',
  conversation: 'cnv',
  message: 'msg',
  memory: 'mem',
  usage: 'use',
  task: 'tsk',
  taskRun: 'run',
  job: 'job',
  event: 'evt',
  approval: 'apr',
  lead: 'lead',
  customer: 'cust',
  interaction: 'int',
  review: 'rev',
  replyTemplate: 'tpl',
  reviewRequest: 'rrq',
  connection: 'con',
} as const;
export type IdKind = keyof typeof ID_PREFIXES;

// ulid asks for one random number per character; one crypto call per 4 KiB instead of per character.
const pool = new Uint8Array(4096);
let offset = pool.length;
function bufferedRandom(): number {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  return (pool[offset++] as number) / 256;
}

const nextUlid = monotonicFactory(bufferedRandom);

/** A new prefixed, time-sortable id such as `usr_01J…`. */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${nextUlid()}`;
}

/** Whether a value looks like an id of the given kind. */
export function isId(kind: IdKind, value: string): boolean {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-HJKMNP-TV-Z]{26}$`).test(value);
}
