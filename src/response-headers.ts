import { parseHttpDate } from "./http-date.ts";

const MAX_REQUEST_ID_CHARS = 128;
const MAX_DELTA_SECONDS = 2 ** 31;
const REQUEST_ID = /^[A-Za-z0-9._:\-]+$/;

/** `type/subtype` made of the characters of RFC 6838 restricted names, each at most 64. */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;
const CHARSET = /^[a-z0-9][a-z0-9._:+-]{0,39}$/;

/** Keeps a server request id only when it is short and made of safe characters. */
export function readRequestId(
  headers: Headers,
  redact: (text: string) => string,
): string | undefined {
  const value = headers.get("x-request-id");
  if (value === null || value.length > MAX_REQUEST_ID_CHARS || !REQUEST_ID.test(value)) {
    return undefined;
  }

  return redact(value) === value ? value : undefined;
}

/**
 * Reads the media type of `Content-Type`, lower-cased, with its charset parameter when that is a
 * plain name: `text/html; charset=utf-8`. Other parameters are dropped and an invalid media type
 * gives an empty string, because the server controls the header and may put anything in it.
 */
export function readContentType(headers: Headers, redact: (text: string) => string): string {
  const value = headers.get("content-type");
  if (value === null) {
    return "";
  }

  const [mediaType = "", ...parameters] = value.toLowerCase().split(";");
  const type = mediaType.trim();
  if (!MEDIA_TYPE.test(type)) {
    return "";
  }

  const charset = parameters
    .map((parameter) => parameter.trim())
    .find((parameter) => parameter.startsWith("charset="))
    ?.slice("charset=".length)
    .replace(/^"(.*)"$/, "$1");
  const kept =
    charset !== undefined && CHARSET.test(charset) ? `${type}; charset=${charset}` : type;

  return redact(kept);
}

/**
 * Reads `Retry-After` as delta-seconds or as an HTTP-date, in milliseconds from `now`. Returns
 * `undefined` for a missing or invalid value, and 0 for a date in the past. Delta-seconds above
 * 2^31 count as 2^31, the value that RFC 9111 section 1.2.2 gives caches for one that overflows.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) {
    return undefined;
  }

  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Math.min(Number(trimmed), MAX_DELTA_SECONDS) * 1000;
  }

  const date = parseHttpDate(trimmed, now);

  return date === undefined ? undefined : Math.max(0, date - now);
}
