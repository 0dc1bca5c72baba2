import * as v from "valibot";
import {
  AngoApiError,
  type AngoResponseDetails,
  AngoValidationError,
  type AngoValidationIssue,
} from "./errors.ts";
import { parseRetryAfter, readContentType, readRequestId } from "./response-headers.ts";
import { compileSchemaCheck } from "./schema-check.ts";
import { ErrorBodySchema } from "./schemas.ts";
import { toValidationIssues } from "./validation-issues.ts";

const MAX_EXCERPT_CHARS = 200;
const MAX_MESSAGE_CHARS = 500;
const MAX_ISSUES = 20;

/**
 * A failed body up to this many characters is validated a second time to list all its issues,
 * and a larger one reports its first issue only. Valibot builds every issue before the client can
 * keep {@link MAX_ISSUES}, and each `{}` in a list of entries adds 16, so the work grows with the
 * body: 100,000 such entries, 300 KB, make 1.6 million issues.
 */
const MAX_CHARS_FOR_ALL_ISSUES = 16 * 1024;

const TOO_DEEP: AngoValidationIssue = {
  path: "",
  expected: "JSON that the validator can walk",
  received: "nesting too deep",
};

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

  // The compiled check accepts exactly what the schema accepts without copying the body, and
  // valibot runs only to report the issues of an invalid body.
  const check = compileSchemaCheck(schema);
  if (check !== undefined && withDepthGuard(() => check(json), details)) {
    return json as v.InferOutput<TSchema>;
  }

  const result = withDepthGuard(() => v.safeParse(schema, json, { abortEarly: true }), details);
  if (result.success) {
    return result.output;
  }

  const failed =
    text.length <= MAX_CHARS_FOR_ALL_ISSUES
      ? withDepthGuard(() => v.safeParse(schema, json, { abortEarly: false }), details)
      : result;
  const issues = toValidationIssues(failed.issues ?? [], MAX_ISSUES);

  throw new AngoValidationError({ ...details, issues });
}

/**
 * Runs a validation and turns a stack overflow into a validation error. Valibot and the compiled
 * check walk a recursive schema, such as nested classifications, by recursion, so a deep body
 * exhausts the stack.
 *
 * @throws {AngoValidationError} when the body is nested too deep.
 */
function withDepthGuard<T>(validate: () => T, details: AngoResponseDetails): T {
  try {
    return validate();
  } catch (error) {
    // NOTE: the depth that overflows depends on the runtime's stack size, so the same body can
    // pass on Bun and fail on Node. No fixed depth limit is checked.
    if (error instanceof RangeError) {
      throw new AngoValidationError({ ...details, issues: [TOO_DEEP] });
    }

    throw error;
  }
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

/** Builds the error of a 2xx response whose body is longer than `maxBodyBytes`. */
export function bodyTooLargeError(
  response: Response,
  exchange: Exchange,
  maxBodyBytes: number,
): AngoValidationError {
  const issue = {
    path: "",
    expected: `a body of at most ${maxBodyBytes} bytes`,
    received: "a longer body",
  };

  return new AngoValidationError({ ...describeExchange(response, exchange), issues: [issue] });
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

/** Removes control characters and the API key, then cuts the text to `maxChars`. */
function cleanText(text: string, maxChars: number, redact: (text: string) => string): string {
  const printable = redact(text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim());

  return printable.length > maxChars ? `${printable.slice(0, maxChars)}...` : printable;
}

function rootIssue(received: string): AngoValidationIssue {
  return { path: "", expected: "a JSON body", received };
}
