import { AngoApiError, AngoNetworkError, AngoTimeoutError } from "./errors.ts";
import { abortReason } from "./until-aborted.ts";

/** Statuses that a later attempt may not get: a timeout, the rate limit, a busy upstream. */
const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Maximum `Retry-After` wait that the client accepts. A longer one ends the call at once. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** An error after which the client may send the request again. */
export type RetryableError = AngoApiError | AngoNetworkError | AngoTimeoutError;

/** Passed to `onRetry` before the client waits and sends the request again. */
export interface RetryEvent {
  /** Number of the attempt that failed, from 1. The next attempt is `attempt + 1`. */
  attempt: number;
  /** Wait before the next attempt, in milliseconds: `Retry-After` or exponential backoff. */
  delayMs: number;
  /** Error that ended the attempt. */
  error: RetryableError;
}

/** Exponential backoff settings, in milliseconds. */
export interface Backoff {
  /** Wait before the first retry, doubled for each later retry. */
  baseDelayMs: number;
  /** Limit of the doubled wait. */
  maxDelayMs: number;
}

/** Waits and randomness of the retry loop, replaceable so that tests need not sleep. */
export interface RetryTiming {
  /** Resolves after `delayMs`, or rejects with the signal's reason when it aborts first. */
  sleep(delayMs: number, signal: AbortSignal | undefined): Promise<void>;
  /** Returns a number in [0, 1), as `Math.random` does. */
  random(): number;
}

/** Real timers and `Math.random`. */
export const SYSTEM_TIMING: RetryTiming = { sleep, random: () => Math.random() };

/** Checks whether an error is a network error, a timeout or an API error with a retry status. */
export function isRetryable(error: unknown): error is RetryableError {
  if (error instanceof AngoApiError) {
    return RETRY_STATUSES.has(error.status);
  }

  return error instanceof AngoNetworkError || error instanceof AngoTimeoutError;
}

/**
 * Computes the wait before the attempt after `attempt`. A `Retry-After` header wins over the
 * backoff, and `undefined` means that it requests more than {@link MAX_RETRY_AFTER_MS}.
 */
export function retryDelay(
  error: RetryableError,
  attempt: number,
  backoff: Backoff,
  random: () => number,
): number | undefined {
  const retryAfterMs = error instanceof AngoApiError ? error.retryAfterMs : undefined;
  if (retryAfterMs === undefined) {
    return backoffDelay(attempt, backoff, random);
  }

  return retryAfterMs > MAX_RETRY_AFTER_MS ? undefined : retryAfterMs;
}

/**
 * Computes an exponential backoff with jitter: the doubled delay, capped, is the upper bound,
 * and the wait is drawn between half of it and all of it so that clients spread out.
 */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number): number {
  const ceiling = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** (attempt - 1));

  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function sleep(delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));

      return;
    }

    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal === undefined ? undefined : abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
