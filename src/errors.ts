/**
 * Errors thrown by the client. Every error extends {@link AngoError}, and each class sets
 * `name` to its own class name so that callers can branch on `error.name` across realms.
 *
 * No error stores the API key: messages, excerpts and request ids are redacted when the
 * error is built, and no error keeps a `Request` or `Headers` object.
 *
 * @module
 */

/** Base class of every error that the client throws. */
export class AngoError extends Error {
  override name: string = "AngoError";
}

/** Invalid arguments, thrown before any request is sent. */
export class AngoInputError extends AngoError {
  override name: "AngoInputError" = "AngoInputError";
}

/** Fields shared by errors that describe one HTTP exchange. */
export interface AngoResponseDetails {
  /** HTTP method of the request. */
  method: string;
  /** Request path without the host, for example `/v2/task/<id>/history`. */
  path: string;
  /** HTTP status code of the response. */
  status: number;
  /**
   * Media type of the response's `Content-Type`, lower-cased, with its `charset` parameter only
   * (`application/json; charset=utf-8`), or an empty string when the header is missing or invalid.
   */
  contentType: string;
  /** Request id sent by the server, after a length cap and a character allowlist. */
  requestId?: string | undefined;
}

/** The server responded with a non-2xx status. */
export class AngoApiError extends AngoError implements AngoResponseDetails {
  override name: "AngoApiError" = "AngoApiError";
  method: string;
  path: string;
  status: number;
  contentType: string;
  requestId?: string | undefined;
  /** The `message` field of a documented error body (`{ status, message }`). */
  serverMessage?: string | undefined;
  /** The first characters of any other body, with control characters removed. */
  bodyExcerpt?: string | undefined;
  /** Delay requested by a `Retry-After` header, in milliseconds. */
  retryAfterMs?: number | undefined;

  constructor(
    details: AngoResponseDetails & {
      serverMessage?: string | undefined;
      bodyExcerpt?: string | undefined;
      retryAfterMs?: number | undefined;
    },
  ) {
    const reason = details.serverMessage ?? details.bodyExcerpt ?? "no error message";
    super(`${details.method} ${details.path} failed with HTTP ${details.status}: ${reason}`);
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.contentType = details.contentType;
    this.requestId = details.requestId;
    this.serverMessage = details.serverMessage;
    this.bodyExcerpt = details.bodyExcerpt;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** One reason why a response body does not match the API schema. */
export interface AngoValidationIssue {
  /** Location of the invalid value, for example `data.taskHistory[3].stage`. */
  path: string;
  /** Type or value that the schema expects there, for example `string` or `"success"`. */
  expected: string;
  /** JSON type of the value found: `missing`, `null`, `array`, `object`, `string`, ... */
  received: string;
}

/**
 * A 2xx response whose body is not what the API schema describes: not JSON, empty, or JSON
 * of the wrong shape. The error names paths and types, never the values found.
 */
export class AngoValidationError extends AngoError implements AngoResponseDetails {
  override name: "AngoValidationError" = "AngoValidationError";
  method: string;
  path: string;
  status: number;
  contentType: string;
  requestId?: string | undefined;
  /** Every schema mismatch found, or one issue at the root when the body is not JSON. */
  issues: AngoValidationIssue[];

  constructor(details: AngoResponseDetails & { issues: AngoValidationIssue[] }) {
    const shown = details.issues.slice(0, 3).map(describeIssue).join("; ");
    const more = details.issues.length > 3 ? ` (and ${details.issues.length - 3} more)` : "";
    const type = details.contentType || "no valid content type";
    super(
      `${details.method} ${details.path} returned HTTP ${details.status} (${type}) ` +
        `with an invalid body: ${shown}${more}`,
    );
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.contentType = details.contentType;
    this.requestId = details.requestId;
    this.issues = details.issues;
  }
}

function describeIssue(issue: AngoValidationIssue): string {
  const where = issue.path === "" ? "body" : issue.path;

  return `${where}: expected ${issue.expected}, received ${issue.received}`;
}

/** The request failed before a response arrived: DNS, refused or reset connection, TLS. */
export class AngoNetworkError extends AngoError {
  override name: "AngoNetworkError" = "AngoNetworkError";
  /** HTTP method of the request. */
  method: string;
  /** Request path without the host. */
  path: string;

  /**
   * @param cause the error of `fetch`, already redacted: its innermost code or message is shown
   *   so that a refused connection reads differently from a DNS or TLS failure.
   */
  constructor(method: string, path: string, cause: unknown) {
    super(`${method} ${path} failed: network error${describeCause(cause)}`, { cause });
    this.method = method;
    this.path = path;
  }
}

const MAX_CAUSE_CHARS = 80;

/** Names the innermost cause by its `code`, such as `ECONNREFUSED`, or its message. */
function describeCause(cause: unknown): string {
  let innermost = cause;
  for (let depth = 0; depth < 5 && innermost instanceof Error; depth++) {
    if (!(innermost.cause instanceof Error)) {
      break;
    }

    innermost = innermost.cause;
  }

  if (!(innermost instanceof Error)) {
    return "";
  }

  const code = (innermost as { code?: unknown }).code;
  const text =
    typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : innermost.message;
  const printable = text
    .replace(/[\p{Cc}\p{Cf}]+/gu, " ")
    .trim()
    .slice(0, MAX_CAUSE_CHARS);

  return printable === "" ? "" : ` (${printable})`;
}

/**
 * One attempt took longer than its time limit, counted from the start of the request to the end
 * of the response body. A retry, when one is allowed, starts with a new time limit.
 */
export class AngoTimeoutError extends AngoError {
  override name: "AngoTimeoutError" = "AngoTimeoutError";
  /** HTTP method of the request. */
  method: string;
  /** Request path without the host. */
  path: string;
  /** Time limit of the attempt, in milliseconds. */
  timeoutMs: number;

  constructor(method: string, path: string, timeoutMs: number) {
    super(`${method} ${path} timed out after ${timeoutMs} ms`);
    this.method = method;
    this.path = path;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The server redirected to another origin, too many times, or to a location that cannot be
 * followed. The client never sends the API key to another origin.
 */
export class AngoRedirectError extends AngoError {
  override name: "AngoRedirectError" = "AngoRedirectError";
  /** HTTP method of the request. */
  method: string;
  /** Request path without the host. */
  path: string;
  /** HTTP status of the redirect, or 0 when the runtime hides it (an opaque redirect). */
  status: number;
  /** Origin of the redirect target, or an empty string when it is unknown or invalid. */
  targetOrigin: string;

  constructor(details: {
    method: string;
    path: string;
    status: number;
    targetOrigin: string;
    reason: string;
  }) {
    super(`${details.method} ${details.path} was redirected: ${details.reason}`);
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.targetOrigin = details.targetOrigin;
  }
}
