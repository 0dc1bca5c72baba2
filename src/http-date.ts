const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH = `(?<month>${MONTHS.join("|")})`;
const TIME = "(?<hour>\\d{2}):(?<minute>\\d{2}):(?<second>\\d{2})";
const DAY_NAME = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const LONG_DAY_NAME = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";

/** `Sun, 06 Nov 1994 08:49:37 GMT`, the form that senders must use. */
const IMF_FIXDATE = new RegExp(
  `^${DAY_NAME}, (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`,
);

/** `Sunday, 06-Nov-94 08:49:37 GMT`, obsolete, with a two-digit year. */
const RFC850_DATE = new RegExp(
  `^${LONG_DAY_NAME}, (?<day>\\d{2})-${MONTH}-(?<year>\\d{2}) ${TIME} GMT$`,
);

/** `Sun Nov  6 08:49:37 1994`, the obsolete form of C's `asctime()`. */
const ASCTIME_DATE = new RegExp(`^${DAY_NAME} ${MONTH} (?<day>[ \\d]\\d) ${TIME} (?<year>\\d{4})$`);

/**
 * Parses an HTTP-date of RFC 9110 section 5.6.7 (section 7.1.1.1 of RFC 7231 before it) in any
 * of its three forms, which recipients must all accept, into milliseconds since the epoch.
 * Returns `undefined` for any other text, unlike `Date.parse`, which also reads `a 5` or ISO 8601.
 *
 * @param now the current time, for the century of a two-digit year.
 */
export function parseHttpDate(text: string, now: number): number | undefined {
  const fixdate = IMF_FIXDATE.exec(text)?.groups;
  if (fixdate !== undefined) {
    return toTime(fixdate, Number(fixdate.year));
  }

  const rfc850 = RFC850_DATE.exec(text)?.groups;
  if (rfc850 !== undefined) {
    return toTime(rfc850, fullYear(Number(rfc850.year), now));
  }

  const asctime = ASCTIME_DATE.exec(text)?.groups;

  return asctime === undefined ? undefined : toTime(asctime, Number(asctime.year));
}

/**
 * Picks the century of a two-digit year: a year that would be more than 50 years in the future
 * is the most recent past year with the same last two digits, as RFC 9110 requires.
 */
function fullYear(twoDigits: number, now: number): number {
  const currentYear = new Date(now).getUTCFullYear();
  const year = currentYear - (currentYear % 100) + twoDigits;

  return year > currentYear + 50 ? year - 100 : year;
}

/** Returns the time of the matched fields, or `undefined` for a day or time out of range. */
function toTime(fields: Record<string, string>, year: number): number | undefined {
  const month = MONTHS.indexOf(fields.month ?? "");
  const day = Number(fields.day);
  const hour = Number(fields.hour);
  const minute = Number(fields.minute);
  const second = Number(fields.second);
  const midnight = new Date(Date.UTC(year, month, day));
  if (midnight.getUTCMonth() !== month || midnight.getUTCDate() !== day) {
    return undefined;
  }

  // The HTTP-date grammar allows a second of 60, for a leap second.
  if (hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }

  return midnight.getTime() + ((hour * 60 + minute) * 60 + second) * 1000;
}
