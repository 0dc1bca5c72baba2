import { decodeUtf8, discardBody, readBodyBytes } from "./body.ts";
import {
  type AngoApiError,
  AngoNetworkError,
  AngoRedirectError,
  type AngoValidationError,
} from "./errors.ts";
import { type Redact, redactError } from "./redact.ts";
import { apiError, bodyTooLargeError } from "./response.ts";
import { untilAborted } from "./until-aborted.ts";

/** A `fetch`-compatible function that takes a `Request`, as openapi-fetch calls it. */
export type FetchFunction = (request: Request) => Promise<Response>;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([204, 205]);
const MAX_REDIRECTS = 5;

/**
 * Wraps `fetch` so that redirects stay on the origin of the request and every response body is
 * read in full. A 2xx response is returned, and any other final status is thrown as
 * {@link AngoApiError}.
 *
 * Redirects are handled by hand (`redirect: "manual"`) because Node, Bun and Deno forward custom
 * headers such as `apikey` to any origin when `fetch` follows a redirect itself. Reading the
 * body here turns a reset mid-body into {@link AngoNetworkError} and frees the connection for
 * the next request, and the body of a redirect is read and dropped for the same reason.
 *
 * @param redact removes the API key from the errors of `fetch`, kept as `cause`, and from
 *   redirect targets, which the server chooses.
 * @param maxBodyBytes limit of a response body: a longer 2xx body is thrown as
 *   {@link AngoValidationError}, and only the start of a longer error body is read.
 */
export function createTransport(
  fetchImpl: FetchFunction,
  redact: Redact,
  maxBodyBytes: number,
): FetchFunction {
  return async (request) => {
    const url = new URL(request.url);
    const context = { method: request.method, path: url.pathname, redact };
    let current = request;

    for (let redirects = 0; ; redirects++) {
      const response = await send(fetchImpl, current, context);
      if (!isRedirect(response)) {
        return await readFully(response, current, context, maxBodyBytes);
      }

      await untilAborted(discardBody(response), current.signal);
      const target = redirectTarget(response, current, url.origin, context);
      if (redirects >= MAX_REDIRECTS) {
        throw redirectError(context, response, target.origin, `more than ${MAX_REDIRECTS} hops`);
      }

      current = new Request(target, {
        method: "GET",
        headers: current.headers,
        redirect: "manual",
        signal: current.signal,
      });
    }
  };
}

/**
 * The request as the caller made it, before any redirect, for errors. Its path is built from
 * validated ids, unlike the path of a redirect target, which a server may fill with the key.
 */
interface RequestContext {
  method: string;
  path: string;
  redact: Redact;
}

async function send(
  fetchImpl: FetchFunction,
  request: Request,
  context: RequestContext,
): Promise<Response> {
  let pending: Promise<Response> | undefined;
  try {
    pending = Promise.resolve(fetchImpl(request));

    return await untilAborted(pending, request.signal);
  } catch (error) {
    // A response that arrives after the abort is not read, so its body is cancelled.
    pending?.then(
      (late) => late.body?.cancel().catch(() => {}),
      () => {},
    );
    throw toNetworkError(request, error, context);
  }
}

async function readFully(
  response: Response,
  request: Request,
  context: RequestContext,
  maxBodyBytes: number,
): Promise<Response> {
  let read: { bytes: Uint8Array<ArrayBuffer>; complete: boolean };
  try {
    read = await untilAborted(readBodyBytes(response, maxBodyBytes), request.signal);
  } catch (error) {
    throw toNetworkError(request, error, context);
  }

  // Any other status is thrown here, from the raw text: `new Response` rejects a status outside
  // 200-599, and openapi-fetch would parse the body of an error response as JSON. The start of
  // a body that is too long still gives an excerpt.
  const { bytes, complete } = read;
  if (!response.ok) {
    const text = decodeUtf8(bytes);

    throw apiError(response, complete ? text : context.redact(text, true), context);
  }

  if (!complete) {
    throw bodyTooLargeError(response, context, maxBodyBytes);
  }

  // The bytes are passed on as they are: openapi-fetch decodes them once, where text here would
  // be decoded, encoded again for the new Response, and decoded a second time.
  const isEmpty = NULL_BODY_STATUSES.has(response.status) || bytes.byteLength === 0;
  const body = isEmpty ? null : bytes;

  // The reason phrase is not copied: Node's Response constructor rejects one with characters
  // above U+00FF, which a server may send, and no error uses it.
  return new Response(body, { status: response.status, headers: response.headers });
}

/** Keeps an abort as it is, so that the reason of the caller's signal reaches the caller. */
function toNetworkError(request: Request, error: unknown, context: RequestContext): unknown {
  if (request.signal.aborted) {
    return request.signal.reason ?? error;
  }

  const cause = redactError(error, context.redact);

  return new AngoNetworkError(context.method, context.path, cause);
}

function isRedirect(response: Response): boolean {
  return response.type === "opaqueredirect" || REDIRECT_STATUSES.has(response.status);
}

function redirectTarget(
  response: Response,
  request: Request,
  origin: string,
  context: RequestContext,
): URL {
  if (response.type === "opaqueredirect") {
    throw redirectError(context, response, "", "the runtime hides the redirect target");
  }

  const location = response.headers.get("location");
  let target: URL | undefined;
  try {
    target = location === null ? undefined : new URL(location, request.url);
  } catch {
    target = undefined;
  }

  if (target === undefined) {
    throw redirectError(context, response, "", "the Location header is missing or invalid");
  }

  // A URL with credentials would send them, and Node's `new Request` rejects it with an error
  // whose message contains the whole URL.
  if (target.username !== "" || target.password !== "") {
    const reason = "the Location header contains a user name or password";
    throw redirectError(context, response, target.origin, reason);
  }

  if (target.origin !== origin) {
    const reason = `the target ${target.origin} is another origin, so the API key is not sent there`;
    throw redirectError(context, response, target.origin, reason);
  }

  return target;
}

/** Builds the error with the key removed from the target, which the server chose. */
function redirectError(
  context: RequestContext,
  response: Response,
  targetOrigin: string,
  reason: string,
): AngoRedirectError {
  return new AngoRedirectError({
    method: context.method,
    path: context.path,
    status: response.status,
    targetOrigin: context.redact(targetOrigin),
    reason: context.redact(reason),
  });
}
