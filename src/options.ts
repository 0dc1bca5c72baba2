import { AngoInputError } from "./errors.ts";
import { assertSignal, describeType } from "./input.ts";
import type { Backoff, RetryEvent } from "./retry.ts";
import type { FetchFunction } from "./transport.ts";

/** Called before each backoff wait. A listener that throws or rejects does not fail the call. */
export type RetryListener = (event: RetryEvent) => void;

/** Options of {@link createTaskHistoryClient}. */
export interface TaskHistoryClientOptions {
  /** Ango Hub API key, sent in the `apikey` header to the origin of `baseUrl` only. */
  apiKey: string;
  /**
   * Root URL of the API, without `/v2`. A path prefix is kept, for a proxy.
   * @default "https://imeritapi.ango.ai"
   */
  baseUrl?: string | undefined;
  /**
   * `fetch` implementation, for edge runtimes and tests. It receives a `Request`.
   * @default globalThis.fetch
   */
  fetch?: FetchFunction | undefined;
  /**
   * Permits an `http:` base URL on a host other than loopback, which sends the key unencrypted.
   * @default false
   */
  allowInsecureHttp?: boolean | undefined;
  /**
   * Time limit of each attempt in milliseconds, from sending the request to the end of the
   * response body. A slower attempt fails with `AngoTimeoutError`.
   * @default 30000
   */
  timeoutMs?: number | undefined;
  /**
   * Number of times a call is sent again after a network error, a timeout, or HTTP 408, 429,
   * 500, 502, 503 or 504. `0` sends every call once.
   * @default 2
   */
  maxRetries?: number | undefined;
  /**
   * Backoff before the first retry in milliseconds, doubled for each later retry. Each wait is
   * drawn between half of this delay and all of it. A `Retry-After` header replaces the backoff.
   * @default 500
   */
  retryDelayMs?: number | undefined;
  /**
   * Limit of the doubled backoff in milliseconds. `Retry-After` is not bound by it: a wait of up
   * to 60 s is honoured, and a longer one ends the call with the `AngoApiError` at once.
   * @default 8000
   */
  maxRetryDelayMs?: number | undefined;
  /** Called before each backoff wait of every call, before the listener of the call itself. */
  onRetry?: RetryListener | undefined;
  /**
   * Limit of a response body in bytes, after decompression. A longer 2xx body fails with
   * `AngoValidationError`, and only this much of a longer error body is read for its excerpt.
   * @default 67108864 (64 MiB)
   */
  maxBodyBytes?: number | undefined;
}

/** Options of one call. Each replaces the client option of the same name for this call. */
export interface CallOptions {
  /** Cancels the call, retries and waits included. The promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Time limit of each attempt of this call, in milliseconds. */
  timeoutMs?: number | undefined;
  /** Number of retries allowed for this call. */
  maxRetries?: number | undefined;
  /** Called before each backoff wait of this call, after the client's `onRetry`. */
  onRetry?: RetryListener | undefined;
}

/** Retry, time limit and body size settings of a client, after validation. */
export interface ClientSettings {
  timeoutMs: number;
  maxRetries: number;
  backoff: Backoff;
  onRetry: RetryListener | undefined;
  maxBodyBytes: number;
}

/** Retry and time limit settings of one call, after validation. */
export interface CallSettings {
  signal: AbortSignal | undefined;
  timeoutMs: number;
  maxRetries: number;
  backoff: Backoff;
  onRetry: RetryListener[];
}

/** Maximum delay of `setTimeout`. A longer one fires at once in Node 20, Bun 1.4 and Deno 2.9. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Reads the retry, time limit and body size options of a client.
 *
 * @throws {AngoInputError} when an option has the wrong type or is out of range.
 */
export function readClientSettings(options: TaskHistoryClientOptions): ClientSettings {
  return {
    timeoutMs: checkTimeout("timeoutMs", orDefault(options.timeoutMs, 30_000)),
    maxRetries: checkRetryCount(orDefault(options.maxRetries, 2)),
    backoff: {
      baseDelayMs: checkDelay("retryDelayMs", orDefault(options.retryDelayMs, 500)),
      maxDelayMs: checkDelay("maxRetryDelayMs", orDefault(options.maxRetryDelayMs, 8_000)),
    },
    onRetry: checkListener(options.onRetry),
    maxBodyBytes: checkByteLimit(orDefault(options.maxBodyBytes, 64 * 1024 * 1024)),
  };
}

/**
 * Merges the options of one call into the client settings.
 *
 * @throws {AngoInputError} when an option has the wrong type or is out of range.
 */
export function readCallSettings(options: unknown, client: ClientSettings): CallSettings {
  if (options === undefined) {
    return { ...client, signal: undefined, onRetry: listeners(client.onRetry, undefined) };
  }

  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new AngoInputError(`Call options must be an object, got ${describeType(options)}`);
  }

  const { signal, timeoutMs, maxRetries, onRetry } = options as CallOptions;
  assertSignal(signal);

  return {
    signal,
    timeoutMs: timeoutMs === undefined ? client.timeoutMs : checkTimeout("timeoutMs", timeoutMs),
    maxRetries: maxRetries === undefined ? client.maxRetries : checkRetryCount(maxRetries),
    backoff: client.backoff,
    onRetry: listeners(client.onRetry, checkListener(onRetry)),
  };
}

/** Replaces only `undefined`, so that `null` and other wrong types reach the checks. */
function orDefault(value: unknown, fallback: number): unknown {
  return value === undefined ? fallback : value;
}

function listeners(...candidates: (RetryListener | undefined)[]): RetryListener[] {
  return candidates.filter((listener) => listener !== undefined);
}

function checkTimeout(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0 && value <= MAX_TIMER_MS)) {
    throw new AngoInputError(
      `${name} must be a number of milliseconds above 0 and at most ${MAX_TIMER_MS}, ` +
        `got ${describeNumber(value)}`,
    );
  }

  return value;
}

function checkDelay(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value <= MAX_TIMER_MS)) {
    throw new AngoInputError(
      `${name} must be a number of milliseconds from 0 to ${MAX_TIMER_MS}, ` +
        `got ${describeNumber(value)}`,
    );
  }

  return value;
}

function checkRetryCount(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new AngoInputError(
      `maxRetries must be an integer of 0 or more, got ${describeNumber(value)}`,
    );
  }

  return value;
}

function checkByteLimit(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new AngoInputError(
      `maxBodyBytes must be an integer of 1 or more, got ${describeNumber(value)}`,
    );
  }

  return value;
}

function checkListener(value: unknown): RetryListener | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw new AngoInputError(`onRetry must be a function, got ${describeType(value)}`);
  }

  return value as RetryListener | undefined;
}

/** Shows a number, which is never secret, and only the type of anything else. */
function describeNumber(value: unknown): string {
  return typeof value === "number" ? String(value) : describeType(value);
}
