import { PARAM_ALIASES } from './aliases.ts';
import { escapeRe, stem } from './words.ts';

/** Ways to ask to see the platform as someone else ("view as", "log me in as", "switch into Bob's account"). */
const IMPERSONATION = [
  '(view|see|browse|use|look at|access|enter|experience|explore)( \\S+){0,3} as',
  '(log|sign)(ged)?( me| us)? ?in(to)?( \\S+){0,2} as',
  'impersonat\\w*',
  '(act|pose|masquerade) as',
  '(switch|jump|hop|get|go|log|sign)( me| us)? ?(in)?to \\S+( \\S+)? account',
  '(enter|get|go|log|sign|switch|jump)( in| into| to)? \\S+( \\S+)? account',
  'see what (he|she|they|\\S+) (sees?|is seeing)',
  'see what \\S+ sees',
  'the way \\S+( \\S+)? (sees|does|would)',
  "(through|from) \\S+('s)? (eyes|perspective|point of view)",
  'become (?!an? |the |admin|partner|client|super|sub)[a-z]\\S*',
  "see (it|things|everything|the platform) (through|from) \\S+('s)? (eyes|perspective|point of view|view)",
].join('|');

/**
 * How people say the verbs that tool names use. A tool is `<server>_<verb>_<object>`
 * (`users_set_role`, `users_revoke_sessions`, `crm_create_lead`); each key is a verb as it appears
 * in tool names, each value the phrasings that mean it. Nothing here names a tool: a new tool
 * whose name uses one of these verbs is understood the day it is mounted.
 */
const VERBS: Record<string, string[]> = {
  set: [
    'set',
    'become',
    'let \\S+( \\S+)? (use|have|access)',
    'make',
    'change',
    'update',
    'switch',
    'turn',
    'toggle',
    'enable',
    'disable',
    'give',
    'grant',
    'assign',
    'promote',
    'demote',
    'upgrade',
    'downgrade',
    'elevate',
    'open (up )?(?=\\S+( and \\S+)? (for|to))',
    'bump',
    'strip',
    'pull(?=( \\S+){0,3} (access|features?|rights|permissions?|privileges|role))',
    'no more',
    'configure',
    'put',
    'allow',
    'activate',
    'deactivate',
    'restore',
    'take away',
    'remove',
    'revoke',
    'block',
    'unblock',
    'cut off',
    'move',
  ],
  update: [
    'put',
    'deprecate',
    '(?<=^|please |pls |to |and |you |then |, )(feature|highlight|spotlight)',
    'retitle',
    'hide',
    'unhide',
    'reactivate',
    'undeprecate',
    'archive',
    'publish',
    'unpublish',
    'unfeature',
    'update',
    'change',
    'edit',
    'modify',
    'set',
    'correct',
    'fix',
    'rename',
    'adjust',
    'amend',
    'make',
  ],
  change: ['change', 'update', 'modify', 'set'],
  create: [
    'create',
    'add',
    '(a|an) new',
    '^new [a-z]+( [a-z]+)?(?=\\s*[:-])',
    'log (a|an)( new)?',
    '(go|goes|be added|be entered|be put) (in|into)',
    'put',
    'enter (a|an)( new)?',
    'capture (a|an)( new)?',
    'make',
    'generate',
    'issue',
    'open (a|an|new)',
    'register',
    'set up',
    'start',
    'record',
  ],
  add: ['add', 'create', 'put', 'register', 'record', 'save'],
  invite: [
    'invite',
    '(have|get|needs?|give \\S+( \\S+)?) (a|an) (new )?(\\S+ )?(account|login)',
    '(set up|create|open) (a|an) (new )?(\\S+ )?account',
    'invitation',
    'add',
    'onboard(?!ing)',
    'create',
    'register',
    'sign up',
    'set up',
    'bring',
    'welcome',
  ],
  remove: [
    'remove',
    'delete',
    'clear',
    'drop',
    'take off',
    'get rid of',
    'erase',
    'unset',
    'take down',
    'strip',
    'pull(?=( \\S+){0,3} (access|features?|rights|permissions?|privileges|role))',
    'yank',
  ],
  delete: ['delete', 'remove', 'drop', 'erase', 'destroy', 'get rid of'],
  revoke: [
    'revoke',
    'kill',
    'nuke',
    'purge',
    'zap',
    'wipe out',
    'terminate',
    'end',
    'invalidate',
    'cancel',
    'close',
    'expire',
    'kick',
    'sign out',
    'log out',
    'logout',
    'sign off',
    'log off',
    'boot',
    'remove',
    'delete',
    'disable',
    'wipe',
    'clear',
  ],
  end: ['end', 'stop', 'exit', 'quit', 'leave', 'finish', 'close', 'terminate', 'cancel', 'back to'],
  stop: ['stop', 'end', 'exit', 'quit', 'halt', 'pause', 'cancel'],
  force: ['force', 'require', 'make', 'reset', 'expire', 'compel', 'must', 'have'],
  reset: ['reset', 'expire', 'force', 'require'],
  impersonate: [IMPERSONATION, 'impersonate', 'switch to'],
  enroll: ['enroll', 'enrol', 'set up', 'enable', 'turn on', 'start', 'activate', 'add'],
  confirm: ['confirm', 'activate', 'complete', 'finish'],
  disable: ['disable', 'turn off', 'switch off', 'deactivate', 'remove', 'stop'],
  enable: ['enable', 'turn on', 'switch on', 'activate'],
  sign: ['sign out', 'log out', 'logout', 'sign off', 'log off', 'kick'],
  // Not the noun ("the audit log", "logs") nor "log in/out".
  log: [
    '(?<!(audit|the|activity|event|change|access|error|call|a|its|their|his|her|my|your) )log(?! (in|out|off|on|me|us)\\b)',
    'note down',
    'write down',
    'track',
    'jot down',
  ],
  complete: [
    'complete',
    'finish',
    'tick off',
    'check off',
    'mark \\S+( \\S+)? (as )?(done|complete|completed|finished)',
  ],
  convert: ['convert', 'turn \\S+( \\S+)? into'],
  connect: ['connect', 'link', 'hook up', 'integrate', 'install', 'plug in'],
  disconnect: ['disconnect', 'unlink', 'unhook', 'uninstall', 'unplug'],
  export: ['export', 'download', 'csv'],
  import: ['import', 'bulk add', 'bulk upload'],
  ingest: ['ingest', 'import'],
  publish: ['publish', 'post', 'go live'],
  test: ['test', 'try', 'ping'],
  draft: ['draft', 'write', 'compose', 'prepare', 'suggest'],
  request: ['request', 'ask for'],
  list: [
    'list',
    'show',
    'display',
    'see',
    'view',
    'who',
    'which',
    'what',
    'get',
    'find',
    'search',
    'look up',
    'lookup',
    'enumerate',
    'browse',
    'how many',
    'give me (a |an |the )?(list|overview|summary|rundown|breakdown|details|info|information|report|count|number)',
    'tell me',
    'check',
    'any',
    'pull up',
  ],
  get: [
    'get',
    'show',
    'display',
    'see',
    'view',
    'who',
    'what',
    'details',
    'info',
    'information',
    'about',
    'look up',
    'lookup',
    'find',
    'tell me',
    'check',
    'pull up',
    'how',
  ],
  search: [
    'search',
    'find',
    'look for',
    'look up',
    'lookup',
    'show',
    'filter',
    'query',
    'who',
    'what',
    'list',
  ],
  verify: ['verify', 'check', 'validate', 'intact', 'tampered', 'integrity', 'untouched'],
  reply: ['reply', 'respond', 'answer', 'write back'],
  send: ['send', 'email', 'mail', 'message'],
  approve: ['approve', 'accept', 'allow', 'ok'],
  reject: ['reject', 'deny', 'decline', 'refuse'],
  save: ['save', 'remember', 'note', 'keep', 'store', 'record'],
  forget: ['forget', 'delete', 'remove', 'drop'],
  run: ['run', 'execute', 'trigger', 'start', 'kick off'],
  schedule: ['schedule', 'every', 'daily', 'weekly', 'monthly'],
  move: ['move', 'mark', 'change', 'set', 'advance', 'push', 'qualify', 'lose', 'win', 'close'],
  mark: ['mark', 'flag', 'set'],
  assign: ['assign', 'give', 'hand', 'allocate'],
  pause: ['pause', 'suspend', 'hold', 'stop'],
  resume: ['resume', 'unpause', 'restart', 'continue'],
  upload: ['upload', 'set', 'add'],
};

/** Phrases that name a thing a tool name or description says otherwise (object concepts). */
const CONCEPTS: [RegExp, string[]][] = [
  [
    /\b(activity|activities|history|timeline|audit trail|track record|actions?|(audit|activity|event) (logs?|records?|entries))\b/,
    ['timeline', 'history'],
  ],
  [
    /\bwhat (did|has|have|had) .{1,60}? (do|done|doing|change|changed|touch|touched)\b|\bwhat \S+( \S+)? (did|has done|have done|was doing|is doing|changed|touched)\b|\bwhat \S+( \S+)? (does|do) (in|on|lately|recently|these days|all day|at)\b|^audit\b/,
    ['timeline', 'history'],
  ],
  [/\bwhat .{1,40}? (been up to|been doing)\b/, ['timeline', 'history']],
  [
    /\b(everything|anything|all)( that| of what)? .{1,40}? (has|have|had)? ?(done|did|changed|touched)\b|\b(done|made|changed) by\b/,
    ['timeline', 'history'],
  ],
  [/\b(sessions?|logins?|log-ins?|devices?|signed[- ]in|logged[- ]in|sign-ins?)\b/, ['session']],
  [/\b(sign|log|kick|boot)(ed)? (\S+ ){0,3}(out|off)\b|\blogout\b/, ['sign', 'out', 'session', 'revoke']],
  [/\beverywhere\b/, ['session']],
  [/\b(other|all other) (devices|sessions|browsers)\b/, ['other']],
  [/\bpassword\b|\bcredentials?\b|\b(pw|pwd|passwd)\b/, ['password']],
  [
    /\b(reset|expire|force)\b.*\bpassword|password\b.*\b(reset|expire)|\bforce \S+( \S+)? to (reset|change)\b/,
    ['force', 'reset', 'password'],
  ],
  [
    /\b(make|have|require|get|ask|force)\b.{1,40}?\b(change|choose|pick|set|update)\b.{0,20}?\bpassword/,
    ['force', 'reset'],
  ],
  [
    /\brole\b|\bpromot|\bdemot|\bupgrade|\bdowngrade|\belevat|\bbump\b|\b(admin|administrator|partner|client|sub-?admin|super-?admin) (rights|privileges|permissions|powers|status|level|access)\b|\b(rights|privileges|powers)\b/,
    ['role', 'promot', 'demot'],
  ],
  [/\b(features?|access|toggles?|modules?|permissions? for)\b/, ['feature']],
  [
    /\b(turn|switch)(ed)? (\S+ ){0,4}(on|off)\b|\b(enable|disable|activate|deactivate)/,
    ['feature', 'enable', 'disable'],
  ],
  [new RegExp(`\\b(${IMPERSONATION})\\b`), ['impersonat', 'view', 'as']],
  [/\b(two[- ]factor|2fa|mfa|authenticator|one[- ]time code|totp)\b/, ['mfa']],
  [/\b(api[- ]?keys?|tokens?|access keys?)\b/, ['api', 'key']],
  [/\b(avatar|profile (picture|photo|image)|photo|picture|headshot)\b/, ['avatar']],
  [/\b(time ?zone|timezone|language|locale)\b/, ['locale', 'timezone', 'language']],
  [/\b(notifications?|alerts?|notify|notified|emails? about)\b/, ['notification', 'preference']],
  [/\b(audit|log ?book|audit log|the log)\b/, ['audit']],
  [/\b(chain|tamper|tampered|intact|integrity)\b/, ['chain', 'verify']],
  [
    /\b(users?|people|persons?|accounts?|members?|staff|team|employees?|colleagues?|admins?|partners?|clients?|someone|somebody|anyone|everyone|everybody)\b/,
    ['user'],
  ],
  // "who" asks about people when it opens a question, not in ", who works at Acme Corp".
  [/(^|[.?!]\s*|\b(?:me|us|tell|show|see|know|find out|check|list|and)\s+)(who|whom)\b/, ['user']],
  [
    /\b(works?|working|employed|based) (at|for|in)\b|\bteam\b|\bstaff\b|\bemployees\b/,
    ['tenant', 'company', 'business'],
  ],
  [
    /\b(profile|details|job title|title|phone|name)\b/,
    ['profile', 'name', 'phone', 'job', 'title', 'detail'],
  ],
  [/\b(is|are) \S+( \S+)? (on|off|enabled|disabled|active|turned on)\b|\bstatus\b/, ['status']],
  [
    /\b(how many|counts?|number of|totals?|figures|statistics|stats|breakdown|overview|(by|per|in each|for each|each) (category|source|location|status|tier|month|week))\b/,
    ['stat', 'count', 'total', 'figur', 'dashboard'],
  ],
  [/\b(remember|memory|memories|note that|keep in mind)\b/, ['memory']],
  [/\b(forget)\b/, ['memory', 'forget']],
  [/\b(invitation|invite)\b/, ['invite']],
];

/** A phrase as a pattern: spaces match any run of spaces or a hyphen; words may be plural. */
export function phrasePattern(phrase: string): string {
  if (/[()?|*\\^]/.test(phrase)) return phrase;
  return phrase
    .split(/\s+/)
    .map((w) => `${escapeRe(w)}${escapeRe(w.slice(-1))}?(?:s|es|ed|d|ing)?`)
    .join('[\\s-]+');
}

const verbPatterns = Object.entries(VERBS).map(
  ([verb, phrases]) =>
    [stem(verb), new RegExp(`\\b(?:${phrases.map(phrasePattern).join('|')})\\b`, 'i')] as const,
);

/** The tool-name verbs (stemmed) a command expresses. */
export function verbsIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const [verb, pattern] of verbPatterns) if (pattern.test(text)) out.add(verb);
  return out;
}

/** Whether a stemmed name term is a verb this lexicon knows. */
export function isVerb(term: string): boolean {
  return verbPatterns.some(([verb]) => verb === term);
}

/** Object concepts (stemmed) that phrases of the command name. */
export function conceptsIn(text: string): Set<string> {
  return new Set(conceptGroupsIn(text).flat());
}

/** The object concepts of a command, one group per phrase: a tool covers a phrase by any of them. */
export function conceptGroupsIn(text: string): string[][] {
  const lower = text.toLowerCase();
  return CONCEPTS.filter(([pattern]) => pattern.test(lower)).map(([, concepts]) => concepts.map(stem));
}

/** Whether the command is a question or a request to see something (rather than to change it). */
export function asksToSee(text: string): boolean {
  // "Can you feature HubSpot?" is a request to act, worded as a question.
  if (POLITE_REQUEST.test(text)) return asksToSeeInWords(text);
  return /\?\s*$/.test(text) || asksToSeeInWords(text);
}

const POLITE_REQUEST =
  /^\s*(?:(?:hey|hi|ok|okay|so)[,!]?\s+)?(?:please\s+)?(?:(?:can|could|would|will)\s+(?:you|u)|(?:is|would) it (?:be )?possible to|is there a way to)\s+(?:please\s+|pls\s+|kindly\s+|just\s+|quickly\s+|go ahead and\s+)*/i;

/** A request to see something in so many words ("show", "who", "list"), not only a question mark. */
export function asksToSeeInWords(full: string): boolean {
  // "show it in client onboarding" makes something visible; it asks to see nothing.
  const text = full
    .replace(POLITE_REQUEST, '')
    .replace(/\bshow (?:it |them |this |that )?(?:in|on)\b/gi, ' ');
  if (new RegExp(`\\b(${IMPERSONATION})\\b`, 'i').test(text)) return false;
  return /^\s*(who|what|which|how|when|where|is|are|does|do|did|has|have|any|can you (show|tell|list))\b|\b(show|list|display|see|view|find|look up|lookup|tell me|give me (a |an |the )?(list|overview|summary|rundown|details|info|report)|pull up|search|who|what|which)\b/i.test(
    text,
  );
}

/** Labels for actions the caller may ask for but lack a tool for: used to say what cannot be done. */
export const ACTION_LABELS: [RegExp, string][] = [
  [new RegExp(`\\b(${IMPERSONATION})\\b`, 'i'), 'view the platform as another user'],
  [
    /\bpromot|\bdemot|\brole\b|\bupgrade|\bdowngrade|\belevat|\b(rights|privileges|permissions|powers)\b|(\b(make \S+( \S+)?|become|be|being)|->) ?(an? )?(admin|administrator|partner|client|sub[- ]?admin|super[- ]?admin)/i,
    'change roles',
  ],
  [/\b(enable|disable|turn (on|off)|switch (on|off)|features?|access)\b/i, 'turn features on or off'],
  [/\b(revoke|sign \S+ out|log \S+ out|sessions?)\b/i, 'manage sessions'],
  [/\bpassword\b/i, 'manage passwords'],
  [/\b(invite|onboard|add (a |an )?(new )?(user|person|member|client|partner|admin))\b/i, 'invite people'],
  [/\b(activity|history|timeline|audit|what did)\b/i, "read people's activity"],
  [/\b(lead|leads|crm)\b/i, 'work with leads'],
  [/\breviews?\b/i, 'work with reviews'],
  [/\b(registry|connector|catalog|catalogue|service|deprecat\w*)\b/i, 'change the MCP catalog'],
  [/\b(bill|billing|invoice)\b/i, 'handle billing'],
];

/** Every word the lexicon uses: such words are never taken for names. */
export const LEXICON_WORDS: Set<string> = new Set(
  [
    ...Object.entries(VERBS).flatMap(([verb, phrases]) => [verb, ...phrases]),
    ...Object.entries(PARAM_ALIASES).flatMap(([name, aliases]) => [name, ...aliases]),
    ...CONCEPTS.map(([pattern]) => pattern.source),
    ...ACTION_LABELS.map(([pattern]) => pattern.source),
  ]
    .flatMap((phrase) => phrase.toLowerCase().match(/[a-z]{2,}/g) ?? [])
    .flatMap((w) => [w, stem(w)]),
);
