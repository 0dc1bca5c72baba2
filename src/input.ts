import { AngoInputError } from "./errors.ts";

/** Database ids in Ango Hub are MongoDB ObjectIds: 24 hexadecimal characters. */
const OBJECT_ID = /^[0-9a-fA-F]{24}$/;

/** Printable ASCII only, so the key is sent unchanged in a header and cannot split it. */
const HEADER_SAFE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

const MAX_SHOWN_CHARS = 40;

/** An invalid id that shares this many consecutive characters with the key is not shown. */
const SECRET_RUN_CHARS = 6;

/** Endpoint of a call, with its validated id. */
export type TaskSelector =
  { kind: "task"; taskId: string } | { kind: "entry"; taskHistoryId: string };

/**
 * Checks the API key given to the client. The message never contains the key itself.
 *
 * @throws {AngoInputError} when the key is not a non-empty string of printable ASCII without
 *   leading or trailing spaces.
 */
export function assertApiKey(apiKey: unknown): asserts apiKey is string {
  if (apiKey === undefined || apiKey === null || apiKey === "") {
    throw new AngoInputError("apiKey is missing: pass the Ango Hub API key of your account");
  }

  if (typeof apiKey !== "string") {
    throw new AngoInputError(`apiKey must be a string, got ${describeType(apiKey)}`);
  }

  if (!HEADER_SAFE.test(apiKey)) {
    throw new AngoInputError(
      "apiKey is invalid: it may contain only printable ASCII characters, with no line " +
        "breaks, control characters or surrounding spaces",
    );
  }
}

/**
 * Reads the `{ taskId }` or `{ taskHistoryId }` argument of a call. Exactly one must be given,
 * as 24 hexadecimal characters. A property whose value is `undefined` counts as absent.
 *
 * @param secret the API key: an invalid id that overlaps it is described, never shown.
 * @throws {AngoInputError} for anything else, before a request is sent.
 */
export function parseSelector(selector: unknown, secret: string): TaskSelector {
  if (typeof selector !== "object" || selector === null || Array.isArray(selector)) {
    throw new AngoInputError(
      `Expected an object with taskId or taskHistoryId, got ${describeType(selector)}`,
    );
  }

  const taskId = readOwn(selector, "taskId");
  const taskHistoryId = readOwn(selector, "taskHistoryId");
  if (taskId !== undefined && taskHistoryId !== undefined) {
    throw new AngoInputError("Pass either taskId or taskHistoryId, not both");
  }

  if (taskId !== undefined) {
    return { kind: "task", taskId: checkObjectId("taskId", taskId, secret) };
  }

  if (taskHistoryId !== undefined) {
    return { kind: "entry", taskHistoryId: checkObjectId("taskHistoryId", taskHistoryId, secret) };
  }

  throw new AngoInputError("Missing id: pass taskId or taskHistoryId");
}

/** Reads an own property only, so that a polluted `Object.prototype` cannot supply an id. */
function readOwn(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

function checkObjectId(field: string, value: unknown, secret: string): string {
  if (typeof value === "string" && OBJECT_ID.test(value)) {
    return value;
  }

  const shown = typeof value === "string" ? showString(value, secret) : describeType(value);

  throw new AngoInputError(`${field} must be 24 hexadecimal characters, got ${shown}`);
}

function showString(value: string, secret: string): string {
  const cut = value.length > MAX_SHOWN_CHARS ? value.slice(0, MAX_SHOWN_CHARS) : value;
  if (value.includes(secret) || sharesRun(cut, secret)) {
    return `a string of ${value.length} characters that overlaps the API key`;
  }

  const ellipsis = cut.length < value.length ? "..." : "";

  const count = value.length === 1 ? "1 character" : `${value.length} characters`;

  return `${JSON.stringify(cut)}${ellipsis} (${count})`;
}

/** Checks whether `text` shares a run of `SECRET_RUN_CHARS` characters with `secret`. */
function sharesRun(text: string, secret: string): boolean {
  if (text.length < SECRET_RUN_CHARS) {
    return text.length >= 3 && secret.includes(text);
  }

  for (let start = 0; start + SECRET_RUN_CHARS <= text.length; start++) {
    if (secret.includes(text.slice(start, start + SECRET_RUN_CHARS))) {
      return true;
    }
  }

  return false;
}

/**
 * Checks that a `signal` option is absent or an `AbortSignal` of this realm. A look-alike
 * object would fail later inside `new Request`, with an untyped error.
 */
export function assertSignal(signal: unknown): asserts signal is AbortSignal | undefined {
  if (signal === undefined) {
    return;
  }

  if (!(signal instanceof AbortSignal)) {
    throw new AngoInputError(`signal must be an AbortSignal, got ${describeType(signal)}`);
  }
}

/** Names the JSON-like type of a value without showing the value. */
export function describeType(value: unknown): string {
  if (value === null) {
    return "null";
  }

  if (Array.isArray(value)) {
    return "array";
  }

  return typeof value;
}
