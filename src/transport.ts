import { AngoNetworkError, AngoRedirectError } from "./errors.ts";

/** A `fetch`-compatible function that takes a `Request`, as openapi-fetch calls it. */
export type FetchFunction = (request: Request) => Promise<Response>;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([204, 205, 304]);
const MAX_REDIRECTS = 5;

/**
 * Wraps `fetch` so that redirects stay on the origin of the request and every response body is
 * read in full before it is returned.
 *
 * Redirects are handled by hand (`redirect: "manual"`) because Node, Bun and Deno forward custom
 * headers such as `apikey` to any origin when `fetch` follows a redirect itself. Reading the
 * body here turns a reset mid-body into {@link AngoNetworkError} and frees the connection.
 */
export function createTransport(fetchImpl: FetchFunction): FetchFunction {
  return async (request) => {
    const origin = new URL(request.url).origin;
    let current = request;

    for (let redirects = 0; ; redirects++) {
      const response = await send(fetchImpl, current);
      if (!isRedirect(response)) {
        return await readFully(response, current);
      }

      await response.body?.cancel().catch(() => {});
      const target = redirectTarget(response, current, origin);
      if (redirects >= MAX_REDIRECTS) {
        throw redirectError(current, response, target.origin, `more than ${MAX_REDIRECTS} hops`);
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

async function send(fetchImpl: FetchFunction, request: Request): Promise<Response> {
  try {
    return await fetchImpl(request);
  } catch (error) {
    throw toNetworkError(request, error);
  }
}

async function readFully(response: Response, request: Request): Promise<Response> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw toNetworkError(request, error);
  }

  const body = NULL_BODY_STATUSES.has(response.status) || text === "" ? null : text;

  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** Keeps a caller's abort as it is, so that its `name` stays `AbortError`. */
function toNetworkError(request: Request, error: unknown): unknown {
  if (request.signal.aborted) {
    return request.signal.reason ?? error;
  }

  return new AngoNetworkError(request.method, new URL(request.url).pathname, error);
}

function isRedirect(response: Response): boolean {
  return response.type === "opaqueredirect" || REDIRECT_STATUSES.has(response.status);
}

function redirectTarget(response: Response, request: Request, origin: string): URL {
  if (response.type === "opaqueredirect") {
    throw redirectError(request, response, "", "the runtime hides the redirect target");
  }

  const location = response.headers.get("location");
  let target: URL | undefined;
  try {
    target = location === null ? undefined : new URL(location, request.url);
  } catch {
    target = undefined;
  }

  if (target === undefined) {
    throw redirectError(request, response, "", "the Location header is missing or invalid");
  }

  if (target.origin !== origin) {
    const reason = `the target ${target.origin} is another origin, so the API key is not sent there`;
    throw redirectError(request, response, target.origin, reason);
  }

  return target;
}

function redirectError(
  request: Request,
  response: Response,
  targetOrigin: string,
  reason: string,
): AngoRedirectError {
  return new AngoRedirectError({
    method: request.method,
    path: new URL(request.url).pathname,
    status: response.status,
    targetOrigin,
    reason,
  });
}
