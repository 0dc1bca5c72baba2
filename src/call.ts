import { AngoTimeoutError } from "./errors.ts";
import {
  type Backoff,
  isRetryable,
  type RetryableError,
  type RetryEvent,
  retryDelay,
  type RetryTiming,
} from "./retry.ts";
import { abortReason } from "./until-aborted.ts";

/** Settings of one call: the request it describes, its limits and its retry listeners. */
export interface CallPlan {
  /** HTTP method, for errors. */
  method: string;
  /** Request path without the host, for errors. */
  path: string;
  /** The caller's signal. */
  signal: AbortSignal | undefined;
  /** Time limit of each attempt, in milliseconds. */
  timeoutMs: number;
  /** Number of attempts allowed after the first. */
  maxRetries: number;
  backoff: Backoff;
  /** Called in order before each backoff wait. */
  onRetry: readonly ((event: RetryEvent) => unknown)[];
  timing: RetryTiming;
}

/** Sends the request once with `signal` and returns the validated body, or throws. */
export type Attempt<T> = (signal: AbortSignal) => Promise<T>;

/**
 * Runs attempts until one succeeds, an error is not retryable, the retries are used up, or the
 * caller aborts. Each attempt has its own time limit, and each retry waits for `Retry-After` or
 * an exponential backoff first.
 */
export async function runWithRetries<T>(attempt: Attempt<T>, plan: CallPlan): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await runAttempt(attempt, plan);
    } catch (error) {
      const delayMs = delayBeforeRetry(error, attemptNumber, plan);
      if (delayMs === undefined) {
        throw error;
      }

      notify(plan.onRetry, { attempt: attemptNumber, delayMs, error: error as RetryableError });
      if (delayMs > 0) {
        await plan.timing.sleep(delayMs, plan.signal);
      }
    }
  }
}

/** Returns the wait before the next attempt, or `undefined` when the call must fail now. */
function delayBeforeRetry(error: unknown, attempt: number, plan: CallPlan): number | undefined {
  if (plan.signal?.aborted || attempt > plan.maxRetries || !isRetryable(error)) {
    return undefined;
  }

  return retryDelay(error, attempt, plan.backoff, plan.timing.random);
}

/**
 * Runs one attempt with a signal that aborts when the caller's signal does, or with an
 * {@link AngoTimeoutError} when the time limit passes. The signals are combined by hand
 * because `AbortSignal.any` is missing from Node 20.0 to 20.2.
 */
async function runAttempt<T>(attempt: Attempt<T>, plan: CallPlan): Promise<T> {
  const { signal } = plan;
  if (signal?.aborted) {
    throw abortReason(signal);
  }

  const controller = new AbortController();
  const abort = (): void =>
    controller.abort(signal === undefined ? undefined : abortReason(signal));
  const timer = setTimeout(() => {
    controller.abort(new AngoTimeoutError(plan.method, plan.path, plan.timeoutMs));
  }, plan.timeoutMs);
  signal?.addEventListener("abort", abort, { once: true });

  try {
    return await attempt(controller.signal);
  } catch (error) {
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
  }
}

/** Calls each listener. A listener that throws or rejects does not change the call. */
function notify(listeners: CallPlan["onRetry"], event: RetryEvent): void {
  for (const listener of listeners) {
    try {
      const result = listener(event);
      Promise.resolve(result).catch(ignore);
    } catch {
      // The listener's failure is not the call's failure, and the library logs nothing.
    }
  }
}

function ignore(): void {}
