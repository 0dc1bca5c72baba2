import * as v from "valibot";
import {
  AngoApiError,
  type AngoResponseDetails,
  AngoValidationError,
  type AngoValidationIssue,
} from "./errors.ts";
import { describeType } from "./input.ts";
import { ErrorBodySchema } from "./schemas.ts";

const MAX_EXCERPT_CHARS = 200;
const MAX_MESSAGE_CHARS = 500;
const MAX_ISSUES = 20;
const MAX_REQUEST_ID_CHARS = 128;
const REQUEST_ID = /^[A-Za-z0-9._:\-]+$/;

/** `type/subtype` made of the characters of RFC 6838 restricted names, each at most 64. */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;
const CHARSET = /^[a-z0-9][a-z0-9._:+-]{0,39}$/;

/** The result of an openapi-fetch call made with `parseAs: "text"`. */
export interface TextOutcome {
  data?: string | undefined;
  error?: unknown;
  response: Response;
}

/** Request details and key redaction, used to build error messages. */
export interface Exchange {
  method: string;
  path: string;
  /** Removes the API key from text that the server sent. */
  redact: (text: string) => string;
}

/**
 * Turns the openapi-fetch outcome of a 2xx response into the validated body, or throws. The
 * transport has already thrown {@link AngoApiError} for every other status.
 *
 * @throws {AngoValidationError} for a body that is empty, not JSON or not of the schema.
 */
export function readOutcome<TSchema extends v.GenericSchema>(
  schema: TSchema,
  outcome: TextOutcome,
  exchange: Exchange,
): v.InferOutput<TSchema> {
  const details = describeExchange(outcome.response, exchange);
  const text = outcome.data ?? "";
  if (text === "") {
    throw new AngoValidationError({ ...details, issues: [rootIssue("empty body")] });
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AngoValidationError({ ...details, issues: [rootIssue("invalid JSON")] });
  }

  const result = v.safeParse(schema, json, { abortEarly: false });
  if (!result.success) {
    const issues = toValidationIssues(result.issues).slice(0, MAX_ISSUES);
    throw new AngoValidationError({ ...details, issues });
  }

  return result.output;
}

function describeExchange(response: Response, exchange: Exchange): AngoResponseDetails {
  return {
    method: exchange.method,
    path: exchange.path,
    status: response.status,
    contentType: readContentType(response.headers, exchange.redact),
    requestId: readRequestId(response.headers, exchange.redact),
  };
}

/** Keeps a server request id only when it is short and made of safe characters. */
function readRequestId(headers: Headers, redact: (text: string) => string): string | undefined {
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
function readContentType(headers: Headers, redact: (text: string) => string): string {
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
 * Builds the error of a non-2xx response from its raw body text. The `message` of a documented
 * error body is kept, and any other body gives an excerpt of the text as the server sent it.
 */
export function apiError(response: Response, text: string, exchange: Exchange): AngoApiError {
  const details = describeExchange(response, exchange);
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
  const message = readServerMessage(text);
  if (message !== undefined) {
    const serverMessage = cleanText(message, MAX_MESSAGE_CHARS, exchange.redact);

    return new AngoApiError({ ...details, serverMessage, retryAfterMs });
  }

  const bodyExcerpt = text === "" ? undefined : cleanText(text, MAX_EXCERPT_CHARS, exchange.redact);

  return new AngoApiError({ ...details, bodyExcerpt, retryAfterMs });
}

/** Returns the `message` of an error body of the documented shape, or `undefined`. */
function readServerMessage(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }

  const parsed = v.safeParse(ErrorBodySchema, body);

  return parsed.success ? parsed.output.message : undefined;
}

/**
 * Reads `Retry-After` as seconds or as an HTTP date, in milliseconds from `now`. Returns
 * `undefined` for a missing or invalid value, and 0 for a date in the past.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) {
    return undefined;
  }

  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }

  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || !/[a-z]/i.test(trimmed)) {
    return undefined;
  }

  return Math.max(0, date - now);
}

/** Removes control characters and the API key, then cuts the text to `maxChars`. */
function cleanText(text: string, maxChars: number, redact: (text: string) => string): string {
  const printable = redact(text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim());

  return printable.length > maxChars ? `${printable.slice(0, maxChars)}...` : printable;
}

function rootIssue(received: string): AngoValidationIssue {
  return { path: "", expected: "a JSON body", received };
}

/**
 * Converts valibot issues to paths and JSON types. A union that fails on an object or array is
 * replaced by the issues of its object options, so that the path reaches the invalid field.
 */
function toValidationIssues(issues: readonly v.BaseIssue<unknown>[]): AngoValidationIssue[] {
  const converted: AngoValidationIssue[] = [];
  for (const issue of issues) {
    const nested = issue.type === "union" ? unionDetails(issue) : [];
    if (nested.length > 0) {
      converted.push(...toValidationIssues(nested));
    } else {
      converted.push(toValidationIssue(issue));
    }
  }

  return converted;
}

function unionDetails(issue: v.BaseIssue<unknown>): v.BaseIssue<unknown>[] {
  if (typeof issue.input !== "object" || issue.input === null || issue.issues === undefined) {
    return [];
  }

  const outer = issue.path ?? [];

  return issue.issues
    .filter((inner) => (inner.path?.length ?? 0) > 0)
    .map((inner) => {
      const innerPath = inner.path ?? [];
      const isAbsolute =
        innerPath.length > outer.length &&
        outer.every((item, index) => item.key === innerPath[index]?.key);

      return {
        ...inner,
        path: (isAbsolute ? innerPath : [...outer, ...innerPath]) as typeof inner.path,
      };
    });
}

function toValidationIssue(issue: v.BaseIssue<unknown>): AngoValidationIssue {
  const items = issue.path ?? [];
  const path = formatPath(items);
  if (issue.input === undefined) {
    const lastKey = items.at(-1)?.key;
    const isMissingKey = issue.expected === `"${String(lastKey)}"`;

    return {
      path,
      expected: isMissingKey ? "a required property" : (issue.expected ?? issue.type),
      received: "missing",
    };
  }

  return { path, expected: issue.expected ?? issue.type, received: describeType(issue.input) };
}

/** Formats a valibot issue path as `data.taskHistory[3].stage`. */
function formatPath(items: readonly { key: unknown }[]): string {
  let path = "";
  for (const { key } of items) {
    if (typeof key === "number") {
      path += `[${key}]`;
    } else if (typeof key === "string" && /^[A-Za-z_$][\w$-]*$/.test(key)) {
      path += path === "" ? key : `.${key}`;
    } else {
      path += `[${JSON.stringify(String(key))}]`;
    }
  }

  return path;
}
