/** Where and how a person reads dates: an IANA time zone and a BCP 47 language. */
export interface DateLocale {
  timezone: string;
  language: string;
}

export type DateFormatter = (date: Date) => string;

const FALLBACK: DateLocale = { timezone: 'UTC', language: 'en' };

function intlFormat(locale: DateLocale): Intl.DateTimeFormat {
  // `long` time names the zone (e.g. "JST"), so a reader never wonders which clock it is.
  return new Intl.DateTimeFormat(locale.language, {
    timeZone: locale.timezone,
    dateStyle: 'medium',
    timeStyle: 'long',
  });
}

/**
 * A formatter for one reader; build it once per answer, not per date (an `Intl.DateTimeFormat`
 * costs far more to create than to use). A stored zone or language that Intl no longer accepts
 * falls back to UTC and English rather than failing the whole answer.
 */
export function dateFormatterFor(locale: DateLocale): DateFormatter {
  let format: Intl.DateTimeFormat;
  try {
    format = intlFormat(locale);
  } catch {
    format = intlFormat(FALLBACK);
  }
  return (date) => format.format(date);
}

/** A date as this person reads it: their time zone, their language. */
export function formatForUser(date: Date, locale: DateLocale): string {
  return dateFormatterFor(locale)(date);
}
