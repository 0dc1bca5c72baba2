import { AngoApiError, AngoInputError } from "./errors.ts";
import { assertSignal, describeType } from "./input.ts";
import { createPacer, type Pacer } from "./pacer.ts";
import type { RetryEvent } from "./retry.ts";

/** Options of a batch of requests, such as `getTaskHistories`. */
export interface BatchOptions {
  /**
   * Maximum number of requests in flight, a positive integer. Results that the loop has not
   * consumed yet count as in flight too, so a slow consumer slows the batch instead of letting
   * results pile up in memory.
   * @default 8
   */
  concurrency?: number | undefined;
  /**
   * Maximum number of request starts a minute, spaced evenly (100 a minute is one start every
   * 600 ms). `Infinity` turns the spacing off. A 429 response pauses the batch either way.
   * Retries that the client sends itself after its wait are not spaced.
   * @default 100
   */
  requestsPerMinute?: number | undefined;
  /**
   * Stops the batch: requests in flight are aborted, and the loop throws the signal's reason
   * once every request that the batch started has settled.
   */
  signal?: AbortSignal | undefined;
}

/** Result of one task of a batch, in the shape of a `Promise.allSettled` result. */
export type SettledTaskResult<T> =
  | { taskId: string; status: "fulfilled"; value: T }
  | { taskId: string; status: "rejected"; reason: unknown };

/** Work that a batch does for each task id. */
export interface BatchTask<T> {
  /** Throws an {@link AngoInputError} for an id that must not be requested. */
  check(taskId: string): void;
  /**
   * Sends the request of one task, with the client's retries. `onRetry` must be called before
   * each retry wait, as the client's `onRetry` option is.
   */
  run(taskId: string, signal: AbortSignal, onRetry: (event: RetryEvent) => void): Promise<T>;
}

/** Default of {@link BatchOptions.concurrency}. */
export const DEFAULT_CONCURRENCY = 8;

/**
 * Default of {@link BatchOptions.requestsPerMinute}: the limit of the Standard plan, as the
 * overview page of the Ango Hub API v2 documentation gives it.
 */
export const DEFAULT_REQUESTS_PER_MINUTE = 100;

/** Pause after a task fails with a 429 response that has no `Retry-After`. */
const FALLBACK_PAUSE_MS = 1_000;

/** Maximum pause, so that a far `Retry-After` date cannot stall the batch for hours. */
const MAX_PAUSE_MS = 60_000;

/**
 * Runs `task` for each id of `taskIds`, with at most `concurrency` requests in flight and starts
 * paced to `requestsPerMinute`, and yields each result as it settles. Ids are pulled from
 * `taskIds` only when a slot is free, so an endless or lazy source works.
 *
 * @throws {AngoInputError} at once when `taskIds` is not iterable or an option is invalid.
 */
export function runBatch<T>(
  taskIds: Iterable<string> | AsyncIterable<string>,
  task: BatchTask<T>,
  options: BatchOptions = {},
): AsyncIterable<SettledTaskResult<T>> {
  if (typeof options !== "object" || options === null) {
    throw new AngoInputError(`Batch options must be an object, got ${describeType(options)}`);
  }

  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (typeof concurrency !== "number" || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new AngoInputError(`concurrency must be a positive integer, got ${show(concurrency)}`);
  }

  const requestsPerMinute = options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE;
  if (typeof requestsPerMinute !== "number" || !(requestsPerMinute > 0)) {
    throw new AngoInputError(
      "requestsPerMinute must be a positive number, or Infinity to turn pacing off, " +
        `got ${show(requestsPerMinute)}`,
    );
  }

  assertSignal(options.signal);
  const open = iteratorOpener(taskIds);
  const pacer = createPacer(requestsPerMinute);

  return {
    [Symbol.asyncIterator]: () =>
      iterate(new BatchRun(open(), task, pacer, concurrency, options.signal)),
  };
}

async function* iterate<T>(run: BatchRun<T>): AsyncGenerator<SettledTaskResult<T>, void> {
  try {
    for (;;) {
      const delayMs = run.startReady();
      run.throwIfStopped();
      const result = run.ready.shift();
      if (result !== undefined) {
        yield result;
        continue;
      }

      if (run.isFinished()) {
        return;
      }

      await run.waitForChange(delayMs);
    }
  } finally {
    await run.close();
  }
}

/**
 * State of one iteration of a batch. Requests settle in the background and wake the loop of
 * {@link iterate}, which alone starts requests and hands out results.
 */
class BatchRun<T> {
  /** Settled results that the loop has not handed out yet. */
  readonly ready: SettledTaskResult<T>[] = [];
  /** Requests in flight, each with the controller that aborts it. */
  private readonly running = new Map<Promise<void>, AbortController>();
  private readonly controller = new AbortController();
  private pulled: string | undefined;
  private pulling = false;
  private exhausted = false;
  private sourceFailure: { error: unknown } | undefined;
  private wake: () => void = () => {};
  private readonly source: IdSource;
  private readonly task: BatchTask<T>;
  private readonly pacer: Pacer;
  private readonly concurrency: number;
  private readonly userSignal: AbortSignal | undefined;

  constructor(
    source: IdSource,
    task: BatchTask<T>,
    pacer: Pacer,
    concurrency: number,
    userSignal: AbortSignal | undefined,
  ) {
    this.source = source;
    this.task = task;
    this.pacer = pacer;
    this.concurrency = concurrency;
    this.userSignal = userSignal;
    userSignal?.addEventListener("abort", this.stop, { once: true });
    if (userSignal?.aborted === true) {
      this.stop();
    }
  }

  /** Throws the abort reason, or the error of the id source, once either happened. */
  throwIfStopped(): void {
    if (this.controller.signal.aborted) {
      throw this.controller.signal.reason;
    }

    if (this.sourceFailure !== undefined) {
      throw this.sourceFailure.error;
    }
  }

  /**
   * Starts every task that the slots and the pacer allow now, and pulls the next id when a slot
   * is free. Returns the milliseconds until the pacer allows the next start, or `Infinity` when
   * the loop has to wait for a request or the source instead.
   */
  startReady(): number {
    while (!this.controller.signal.aborted && this.sourceFailure === undefined) {
      const next = this.pulled;
      if (next === undefined) {
        if (this.pullWhenFree()) {
          continue;
        }

        return Infinity;
      }

      const delayMs = this.pacer.delayMs();
      if (delayMs > 0) {
        return delayMs;
      }

      this.pulled = undefined;
      this.pacer.recordStart();
      this.start(next);
    }

    return Infinity;
  }

  isFinished(): boolean {
    return (
      this.exhausted &&
      this.pulled === undefined &&
      this.running.size === 0 &&
      this.ready.length === 0
    );
  }

  /** Waits until a request settles, an id arrives, the batch aborts or `delayMs` passes. */
  waitForChange(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = delayMs === Infinity ? undefined : setTimeout(done, delayMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }

      this.wake = done;
    });
  }

  /** Aborts the requests in flight and waits until they settle, then closes the id source. */
  async close(): Promise<void> {
    this.userSignal?.removeEventListener("abort", this.stop);
    this.abortAll(undefined);
    await Promise.all(this.running.keys());
    if (!this.exhausted && !this.pulling) {
      await this.source.iterator.return?.();
    }
  }

  private readonly stop = (): void => {
    this.abortAll(this.userSignal?.reason);
    this.notify();
  };

  private abortAll(reason: unknown): void {
    this.controller.abort(reason);
    for (const requestController of this.running.values()) {
      requestController.abort(this.controller.signal.reason);
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = () => {};
    wake();
  }

  /**
   * Reads the next id when a slot is free. Returns `true` when a sync source gave an id or ended
   * at once, and `false` when no slot is free or the batch has to wait for an async source.
   */
  private pullWhenFree(): boolean {
    const used = this.running.size + this.ready.length;
    if (used >= this.concurrency || this.pulling || this.exhausted) {
      return false;
    }

    if (this.source.kind === "sync") {
      try {
        this.receive(this.source.iterator.next());
      } catch (error) {
        this.fail(error);
      }

      return !this.exhausted;
    }

    this.pulling = true;
    this.source.iterator.next().then(
      (result) => {
        this.pulling = false;
        this.receive(result);
        this.notify();
      },
      (error: unknown) => {
        this.pulling = false;
        this.fail(error);
        this.notify();
      },
    );

    return false;
  }

  private receive(result: IteratorResult<unknown>): void {
    if (result.done === true) {
      this.exhausted = true;
    } else {
      this.accept(result.value);
    }
  }

  private fail(error: unknown): void {
    this.exhausted = true;
    this.sourceFailure = { error };
  }

  /** Queues a valid id to start, or settles an invalid one at once without a request. */
  private accept(taskId: unknown): void {
    try {
      if (typeof taskId !== "string") {
        throw new AngoInputError(`Task ids must be strings, got ${describeType(taskId)}`);
      }

      this.task.check(taskId);
      this.pulled = taskId;
    } catch (reason) {
      this.ready.push({ taskId: taskId as string, status: "rejected", reason });
    }
  }

  private start(taskId: string): void {
    // Each request gets its own controller instead of the batch signal. A shared signal would
    // have an abort listener per request in flight, and Node warns when a signal has more than
    // 10 listeners.
    const requestController = new AbortController();
    const request = new Promise<T>((resolve) => {
      resolve(this.task.run(taskId, requestController.signal, this.pauseForRetry));
    })
      .then(
        (value) => {
          this.ready.push({ taskId, status: "fulfilled", value });
        },
        (reason: unknown) => this.settleFailure(taskId, reason),
      )
      .finally(() => {
        this.running.delete(request);
        this.notify();
      });
    this.running.set(request, requestController);
  }

  /**
   * Pauses every new start while the client waits to send a rate-limited request again, so that
   * the whole batch slows down, not only the task that got the 429 response.
   */
  private readonly pauseForRetry = (event: RetryEvent): void => {
    if (isRateLimit(event.error)) {
      this.pacer.pause(Math.min(event.delayMs, MAX_PAUSE_MS));
    }
  };

  private settleFailure(taskId: string, reason: unknown): void {
    if (this.controller.signal.aborted) {
      return;
    }

    // A 429 that ends a task, after the client's retries or with a `Retry-After` beyond its
    // limit, pauses the batch too, so that the next tasks do not meet the same limit at once.
    if (isRateLimit(reason)) {
      this.pacer.pause(Math.min(reason.retryAfterMs ?? FALLBACK_PAUSE_MS, MAX_PAUSE_MS));
    }

    this.ready.push({ taskId, status: "rejected", reason });
  }
}

function isRateLimit(error: unknown): error is AngoApiError {
  return error instanceof AngoApiError && error.status === 429;
}

/** An iterator of task ids. A sync one is read without waiting a microtask for each id. */
type IdSource =
  | { kind: "sync"; iterator: Iterator<unknown> }
  | { kind: "async"; iterator: AsyncIterator<unknown> };

function iteratorOpener(taskIds: unknown): () => IdSource {
  const source = taskIds as Partial<AsyncIterable<unknown> & Iterable<unknown>> | null;
  if (typeof taskIds !== "string" && typeof source?.[Symbol.asyncIterator] === "function") {
    const iterable = source as AsyncIterable<unknown>;

    return () => ({ kind: "async", iterator: iterable[Symbol.asyncIterator]() });
  }

  if (typeof taskIds !== "string" && typeof source?.[Symbol.iterator] === "function") {
    const iterable = source as Iterable<unknown>;

    return () => ({ kind: "sync", iterator: iterable[Symbol.iterator]() });
  }

  throw new AngoInputError(
    `taskIds must be an iterable or async iterable of task ids, got ${describeType(taskIds)}`,
  );
}

function show(value: unknown): string {
  return typeof value === "number" ? String(value) : describeType(value);
}
