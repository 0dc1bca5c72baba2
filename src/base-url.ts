import { AngoInputError } from "./errors.ts";

/** The EU host, which the Python SDK uses by default. */
export const DEFAULT_BASE_URL = "https://imeritapi.ango.ai";

/**
 * Checks and normalizes the base URL: `http:` or `https:`, no credentials, query or fragment,
 * and no trailing slash, so that a path prefix of a proxy is kept as given.
 *
 * @param allowInsecureHttp permits `http:` for hosts other than loopback.
 * @returns the URL as `origin` plus a `basePath` that is empty or starts with a slash.
 * @throws {AngoInputError} when the URL is invalid or would send the key in clear text.
 */
export function parseBaseUrl(
  baseUrl: unknown,
  allowInsecureHttp: boolean,
): { origin: string; basePath: string } {
  if (typeof baseUrl !== "string") {
    throw new AngoInputError("baseUrl must be a string such as https://imeritapi.ango.ai");
  }

  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new AngoInputError("baseUrl is not a valid absolute URL");
  }

  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new AngoInputError(`baseUrl must use https: or http:, got ${url.protocol}`);
  }

  if (url.username !== "" || url.password !== "") {
    throw new AngoInputError("baseUrl must not contain a user name or password");
  }

  if (url.search !== "" || url.hash !== "") {
    throw new AngoInputError("baseUrl must not contain a query or a fragment");
  }

  if (url.protocol === "http:" && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    throw new AngoInputError(
      `baseUrl uses http: for ${url.hostname}, which would send the API key in clear text. ` +
        "Use https:, or set allowInsecureHttp: true",
    );
  }

  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, "") };
}

/**
 * Checks whether a URL host name is `localhost`, an address in 127.0.0.0/8, or `[::1]`. Other
 * names under `.localhost` are not trusted, because not every resolver keeps them on loopback.
 */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "[::1]") {
    return true;
  }

  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
