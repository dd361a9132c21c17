/** A date range a command names, as ISO dates (`YYYY-MM-DD`), and where the words stood. */
export interface DateRange {
  from?: string;
  to?: string;
  spans: [number, number][];
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const ISO = '(\\d{4}-\\d{2}-\\d{2})';
const WEEKDAY = '(sunday|monday|tuesday|wednesday|thursday|friday|saturday)';
const UNIT = '(day|week|month|year)s?';
const COUNT = '(\\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|couple of|few)';

const parseDay = (iso: string) => new Date(`${iso}T00:00:00Z`);
const isoOf = (d: Date) => d.toISOString().slice(0, 10);

export function addDays(iso: string, days: number): string {
  const d = parseDay(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return isoOf(d);
}

function addMonths(iso: string, months: number): string {
  const d = parseDay(iso);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return isoOf(d);
}

function startOfMonth(iso: string, offset = 0): string {
  const d = parseDay(iso);
  return isoOf(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1)));
}

function endOfMonth(iso: string, offset = 0): string {
  const d = parseDay(iso);
  return isoOf(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset + 1, 0)));
}

function countOf(word: string): number {
  const n = Number(word);
  if (!Number.isNaN(n)) return n;
  const words: Record<string, number> = {
    a: 1,
    an: 1,
    one: 1,
    two: 2,
    three: 3,
    four: 4,
    five: 5,
    six: 6,
    seven: 7,
    eight: 8,
    nine: 9,
    ten: 10,
    twelve: 12,
    'couple of': 2,
    few: 3,
  };
  return words[word] ?? 1;
}

function back(today: string, count: number, unit: string): string {
  if (unit.startsWith('day')) return addDays(today, -count);
  if (unit.startsWith('week')) return addDays(today, -7 * count);
  if (unit.startsWith('month')) return addMonths(today, -count);
  return addMonths(today, -12 * count);
}

/**
 * A day named by month and day ("March 3", "3rd of March", "Mar 3 2025"): with no year, the latest
 * such day not after today.
 */
function monthDay(today: string, month: string, day: string, year?: string): string {
  const m = MONTHS.findIndex((name) => name.startsWith(month.slice(0, 3).toLowerCase()));
  const todayDate = parseDay(today);
  let y = year ? Number(year) : todayDate.getUTCFullYear();
  const pad = (n: number) => String(n).padStart(2, '0');
  let iso = `${y}-${pad(m + 1)}-${pad(Number(day))}`;
  if (!year && iso > today) {
    y -= 1;
    iso = `${y}-${pad(m + 1)}-${pad(Number(day))}`;
  }
  return iso;
}

/** The latest such weekday before today (today itself counts for "since"). */
function lastWeekday(today: string, name: string, includeToday: boolean): string {
  const target = WEEKDAYS.indexOf(name.toLowerCase());
  const d = parseDay(today);
  let diff = (d.getUTCDay() - target + 7) % 7;
  if (diff === 0 && !includeToday) diff = 7;
  return addDays(today, -diff);
}

/** A single day expression at the start of `text` → ISO date and its length. */
function dayAt(
  text: string,
  today: string,
  includeToday = true,
): { iso: string; length: number } | undefined {
  const patterns: [RegExp, (m: RegExpMatchArray) => string][] = [
    [new RegExp(`^${ISO}`, 'i'), (m) => m[1] as string],
    [
      new RegExp(`^${MONTH}\\.? ${DAY}(?:,? (\\d{4}))?\\b`, 'i'),
      (m) => monthDay(today, m[1] as string, m[2] as string, m[3]),
    ],
    [
      new RegExp(`^(?:the )?${DAY} (?:of )?${MONTH}\\.?(?:,? (\\d{4}))?\\b`, 'i'),
      (m) => monthDay(today, m[2] as string, m[1] as string, m[3]),
    ],
    [/^today\b/i, () => today],
    [/^yesterday\b/i, () => addDays(today, -1)],
    [new RegExp(`^(?:last )?${WEEKDAY}\\b`, 'i'), (m) => lastWeekday(today, m[1] as string, includeToday)],
    [
      new RegExp(`^${COUNT} ${UNIT} ago\\b`, 'i'),
      (m) => back(today, countOf((m[1] as string).toLowerCase()), m[2] as string),
    ],
  ];
  for (const [pattern, toIso] of patterns) {
    const m = text.match(pattern);
    if (m) return { iso: toIso(m), length: m[0].length };
  }
  return undefined;
}

/**
 * The date range in a command, relative to the caller's today: "yesterday", "today", "last week"
 * (the 7 days before today), "this week", "last month" (the calendar month before), "this month",
 * "in the last 3 days", "since March 3", "before 2026-01-31", "between May 1 and May 5", "on Monday".
 */
export function dateRange(text: string, today: string): DateRange {
  const lower = text.toLowerCase();
  const out: DateRange = { spans: [] };
  const take = (index: number, length: number) => out.spans.push([index, index + length]);

  const between = lower.match(
    /\b(?:between|from) (.+?) (?:and|to|until|till|through) (.+?)(?=[,.;?!]|$| for | by )/,
  );
  if (between?.[1] && between[2]) {
    const a = dayAt(between[1], today);
    const b = dayAt(between[2], today);
    if (a && b) {
      out.from = a.iso;
      out.to = b.iso;
      take(between.index ?? 0, between[0].length);
      return out;
    }
  }
  const relative: [RegExp, () => Partial<DateRange>][] = [
    [
      /\b(?:in |during |over |for |within )?(?:the )?(?:last|past|previous) (7 days|seven days|week)\b/,
      () => ({ from: addDays(today, -7) }),
    ],
    [/\b(?:in |during |for )?this week\b/, () => ({ from: addDays(today, -7) })],
    [
      new RegExp(`\\b(?:in |during |over |for |within )?(?:the )?(?:last|past|previous) ${COUNT} ${UNIT}\\b`),
      () => {
        const m = lower.match(new RegExp(`(?:last|past|previous) ${COUNT} ${UNIT}`));
        return { from: back(today, countOf(m?.[1] ?? '1'), m?.[2] ?? 'day') };
      },
    ],
    [
      /\b(?:in |during )?(?:the )?(?:past|last) (30 days|thirty days)\b/,
      () => ({ from: addDays(today, -30) }),
    ],
    [/\b(?:in |during |over )?(?:the )?(?:past|last) 24 hours\b/, () => ({ from: addDays(today, -1) })],
    [/\b(?:in |during )?(?:the )?past month\b/, () => ({ from: addMonths(today, -1) })],
    [
      /\b(?:in |during )?(?:the )?(?:last|previous) month\b/,
      () => ({ from: startOfMonth(today, -1), to: endOfMonth(today, -1) }),
    ],
    [/\b(?:in |during )?this month\b|\bmonth to date\b/, () => ({ from: startOfMonth(today) })],
    [
      /\b(?:in |during )?(?:the )?(?:last|previous) year\b/,
      () => ({
        from: `${Number(today.slice(0, 4)) - 1}-01-01`,
        to: `${Number(today.slice(0, 4)) - 1}-12-31`,
      }),
    ],
    [/\b(?:in |during )?(?:the )?past year\b/, () => ({ from: addMonths(today, -12) })],
    [/\b(?:in |during )?this year\b|\byear to date\b/, () => ({ from: `${today.slice(0, 4)}-01-01` })],
    [/\byesterday\b/, () => ({ from: addDays(today, -1), to: addDays(today, -1) })],
    [/\btoday\b|\bso far today\b/, () => ({ from: today })],
  ];
  for (const [pattern, range] of relative) {
    const m = lower.match(pattern);
    if (!m) continue;
    Object.assign(out, range());
    take(m.index ?? 0, m[0].length);
    return out;
  }
  for (const m of lower.matchAll(/\b(since|after|from|starting|before|until|till|up to|on|as of)\s+/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const day = dayAt(lower.slice(start), today, m[1] === 'since' || m[1] === 'on' || m[1] === 'as of');
    if (!day) continue;
    const word = m[1] as string;
    if (word === 'before' || word === 'until' || word === 'till' || word === 'up to')
      out.to = word === 'before' ? addDays(day.iso, -1) : day.iso;
    else if (word === 'on') {
      out.from = day.iso;
      out.to = day.iso;
    } else out.from = word === 'after' ? addDays(day.iso, 1) : day.iso;
    take(m.index ?? 0, start - (m.index ?? 0) + day.length);
  }
  if (out.from || out.to) return out;
  const bare = lower.match(new RegExp(`\\b${ISO}\\b`));
  if (bare?.[1]) {
    out.from = bare[1];
    out.to = bare[1];
    take(bare.index ?? 0, bare[0].length);
  }
  return out;
}
