import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, test } from "node:test";
import {
  AngoApiError,
  AngoInputError,
  createTaskHistoryClient,
  type SettledTaskResult,
  type TaskHistoryListResponse,
} from "../src/index.ts";
import { createFakeAngoServer, DEMO_TASK_HISTORY, DEMO_TASK_ID } from "../src/testing/index.ts";
import { startRawServer, TEST_KEY } from "./helpers/servers.ts";

type Result = SettledTaskResult<TaskHistoryListResponse>;

const EMPTY_HISTORY = JSON.stringify({ status: "success", data: { taskHistory: [], total: 0 } });

/** Returns a valid task id made from `index`. */
function taskId(index: number): string {
  return index.toString(16).padStart(24, "0");
}

function taskIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => taskId(index));
}

/** Counts of the requests seen by an injected fetch. */
interface FetchStats {
  started: number;
  open: number;
  maxOpen: number;
  startTimes: number[];
  paths: string[];
}

/** Wraps `respond` as a client `fetch` that counts requests started and still open. */
function countingFetch(respond: (request: Request) => Promise<Response>) {
  const stats: FetchStats = { started: 0, open: 0, maxOpen: 0, startTimes: [], paths: [] };
  const fetch = async (request: Request): Promise<Response> => {
    stats.started++;
    stats.open++;
    stats.maxOpen = Math.max(stats.maxOpen, stats.open);
    stats.startTimes.push(performance.now());
    stats.paths.push(new URL(request.url).pathname);
    try {
      return await respond(request);
    } finally {
      stats.open--;
    }
  };

  return { fetch, stats };
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Responds with an empty history after `milliseconds`. */
function emptyAfter(milliseconds: number): () => Promise<Response> {
  return async () => {
    await delay(milliseconds);

    return new Response(EMPTY_HISTORY, { headers: { "content-type": "application/json" } });
  };
}

/** Never responds, and rejects with the abort reason when the request is aborted. */
function hangUntilAborted(request: Request): Promise<Response> {
  return new Promise((_resolve, reject) => {
    request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
  });
}

async function collect(results: AsyncIterable<Result>): Promise<Result[]> {
  const collected: Result[] = [];
  for await (const result of results) {
    collected.push(result);
  }

  return collected;
}

describe("getTaskHistories results", () => {
  test("every task settles once", async () => {
    const fake = createFakeAngoServer({
      apiKey: TEST_KEY,
      histories: { [DEMO_TASK_ID]: DEMO_TASK_HISTORY, [taskId(7)]: [] },
    });
    const { fetch, stats } = countingFetch(fake);
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch });
    const ids = [DEMO_TASK_ID, "not-an-id", taskId(7), taskId(9)];
    const results = await collect(client.getTaskHistories(ids, { requestsPerMinute: Infinity }));
    const byId = new Map(results.map((result) => [result.taskId, result]));

    assert.equal(results.length, 4);
    const demo = byId.get(DEMO_TASK_ID);
    assert.equal(demo?.status, "fulfilled");
    assert.equal(demo.value.data.total, 5);
    assert.equal(byId.get(taskId(7))?.status, "fulfilled");
    const invalid = byId.get("not-an-id");
    assert.equal(invalid?.status, "rejected");
    assert.ok(invalid.reason instanceof AngoInputError);
    const missing = byId.get(taskId(9));
    assert.equal(missing?.status, "rejected");
    assert.ok(missing.reason instanceof AngoApiError);
    assert.equal(missing.reason.status, 404);
    assert.equal(stats.started, 3);
  });

  test("non-string ids are rejected", async () => {
    const { fetch, stats } = countingFetch(emptyAfter(0));
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch });
    const ids = [42, null] as unknown as string[];
    const results = await collect(client.getTaskHistories(ids));

    assert.deepEqual(
      results.map((result) => result.status),
      ["rejected", "rejected"],
    );
    assert.match(String((results[0] as { reason: unknown }).reason), /must be strings, got number/);
    assert.equal(stats.started, 0);
  });

  test("async iterable ids are read", async () => {
    const { fetch } = countingFetch(emptyAfter(0));
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch });
    async function* ids() {
      for (const id of taskIds(5)) {
        await delay(1);
        yield id;
      }
    }
    const results = await collect(client.getTaskHistories(ids(), { requestsPerMinute: Infinity }));

    assert.deepEqual(results.map((result) => result.taskId).sort(), taskIds(5));
    assert.ok(results.every((result) => result.status === "fulfilled"));
  });

  test("source error ends the batch", async () => {
    const { fetch, stats } = countingFetch(hangUntilAborted);
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch });
    function* ids() {
      yield taskId(1);
      throw new Error("id file unreadable");
    }

    await assert.rejects(
      collect(client.getTaskHistories(ids(), { requestsPerMinute: Infinity })),
      /id file unreadable/,
    );
    assert.equal(stats.started, 1);
    assert.equal(stats.open, 0);
  });
});

describe("getTaskHistories concurrency", () => {
  test("requests in flight never exceed concurrency", async () => {
    const { fetch, stats } = countingFetch(emptyAfter(5));
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch });
    const options = { concurrency: 3, requestsPerMinute: Infinity };
    const results = await collect(client.getTaskHistories(taskIds(20), options));

    assert.equal(results.length, 20);
    assert.equal(stats.started, 20);
    assert.equal(stats.maxOpen, 3);
  });

  test("100,000 lazy ids stay bounded", async () => {
    const count = 100_000;
    const concurrency = 16;
    let open = 0;
    let maxOpen = 0;
    const fetch = async (): Promise<Response> => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      await Promise.resolve();
      open--;

      return new Response(EMPTY_HISTORY);
    };
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch });
    let pulled = 0;
    let consumed = 0;
    let maxAhead = 0;
    function* ids() {
      for (let index = 0; index < count; index++) {
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - consumed);
        yield taskId(index);
      }
    }
    const options = { concurrency, requestsPerMinute: Infinity };
    let fulfilled = 0;
    for await (const result of client.getTaskHistories(ids(), options)) {
      consumed++;
      fulfilled += result.status === "fulfilled" ? 1 : 0;
    }

    assert.equal(fulfilled, count);
    assert.ok(maxOpen <= concurrency, `${maxOpen} requests were open at once`);
    assert.ok(maxOpen > 1, "requests never overlapped");
    assert.ok(maxAhead <= concurrency + 1, `ids were pulled ${maxAhead} ahead of the consumer`);
  });

  test("slow consumer holds back requests", async () => {
    const { fetch, stats } = countingFetch(emptyAfter(0));
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch });
    const options = { concurrency: 2, requestsPerMinute: Infinity };
    let received = 0;
    for await (const _result of client.getTaskHistories(taskIds(12), options)) {
      received++;
      assert.ok(stats.started <= received + 2, `${stats.started} started, ${received} received`);
      await delay(10);
    }

    assert.equal(received, 12);
  });
});

describe("getTaskHistories pacing", () => {
  test("request starts are spaced", async () => {
    const { fetch, stats } = countingFetch(emptyAfter(0));
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch });
    // 600 a minute is one start every 100 ms. The checks allow half of that, because a busy
    // machine can delay a request between its start and its call of fetch.
    const options = { concurrency: 8, requestsPerMinute: 600 };
    await collect(client.getTaskHistories(taskIds(4), options));

    assert.equal(stats.startTimes.length, 4);
    for (let index = 1; index < stats.startTimes.length; index++) {
      const gap = (stats.startTimes[index] ?? 0) - (stats.startTimes[index - 1] ?? 0);
      assert.ok(gap >= 50, `start ${index} came ${gap.toFixed(1)} ms after the previous one`);
    }

    const span = (stats.startTimes[3] ?? 0) - (stats.startTimes[0] ?? 0);
    assert.ok(span >= 250, `4 starts took ${span.toFixed(1)} ms`);
  });
});

/**
 * Starts a server for the batch `[limited, held..., later...]` run with concurrency
 * `1 + heldCount`. The first request for `limited` waits until every held request has arrived,
 * then gets a 429. Held requests are answered when the test calls `release`, every other request
 * at once. Until then the only slot that a new task could take is the one that the held requests
 * free, so the arrival times of later requests show whether the batch paused.
 */
async function startRateLimitedServer(limited: string, heldCount: number, retryAfter?: string) {
  const timeline = { rateLimitedAt: 0, laterArrivals: [] as number[], paths: [] as string[] };
  const held: (() => void)[] = [];
  let limitedOnce = false;
  let heldAllArrived: () => void = () => {};
  const heldArrived = new Promise<void>((resolve) => {
    heldAllArrived = resolve;
  });

  function answer(response: ServerResponse): void {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(EMPTY_HISTORY);
  }

  const server = await startRawServer((request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? "";
    timeline.paths.push(path);
    if (path.includes(limited) && !limitedOnce) {
      limitedOnce = true;
      void heldArrived.then(() => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (retryAfter !== undefined) {
          headers["retry-after"] = retryAfter;
        }

        response.writeHead(429, headers);
        response.end(JSON.stringify({ status: "fail", message: "Too many requests" }));
        timeline.rateLimitedAt = performance.now();
      });
    } else if (timeline.paths.length <= 1 + heldCount) {
      held.push(() => answer(response));
      if (held.length === heldCount) {
        heldAllArrived();
      }
    } else {
      timeline.laterArrivals.push(performance.now());
      answer(response);
    }
  });
  const release = (): void => held.splice(0).forEach((answerHeld) => answerHeld());

  return { server, timeline, release };
}

describe("getTaskHistories rate limits", () => {
  for (const [name, retryAfter] of [
    ["with Retry-After", "1"],
    ["without Retry-After", undefined],
  ] as const) {
    test(`429 ${name} pauses the batch`, async () => {
      const ids = taskIds(6);
      const limited = ids[0] ?? "";
      const { server, timeline, release } = await startRateLimitedServer(limited, 2, retryAfter);
      try {
        const delays: number[] = [];
        // The client calls its own onRetry before the batch's, in the same turn of the event
        // loop, so the held requests can finish only after the batch has paused.
        const client = createTaskHistoryClient({
          apiKey: TEST_KEY,
          baseUrl: server.url,
          onRetry: (event) => {
            delays.push(event.delayMs);
            release();
          },
        });
        const options = { concurrency: 3, requestsPerMinute: Infinity };
        const results = await collect(client.getTaskHistories(ids, options));

        assert.equal(results.length, 6);
        assert.ok(results.every((result) => result.status === "fulfilled"));
        assert.equal(timeline.paths.filter((path) => path.includes(limited)).length, 2);
        assert.equal(delays.length, 1);
        const pauseMs = delays[0] ?? 0;
        if (retryAfter !== undefined) {
          assert.equal(pauseMs, 1_000);
        }

        assert.equal(timeline.laterArrivals.length, 4);
        const waited = Math.min(...timeline.laterArrivals) - timeline.rateLimitedAt;
        assert.ok(waited >= pauseMs - 10, `a request started ${waited.toFixed(0)} ms after a 429`);
      } finally {
        await server.close();
      }
    });
  }

  test("429 retries are the client's", async () => {
    const server = await startRawServer((_request, response) => {
      response.writeHead(429, { "content-type": "application/json", "retry-after": "0" });
      response.end(JSON.stringify({ status: "fail", message: "Too many requests" }));
    });
    try {
      const client = createTaskHistoryClient({
        apiKey: TEST_KEY,
        baseUrl: server.url,
        maxRetries: 1,
      });
      const options = { requestsPerMinute: Infinity };
      const results = await collect(client.getTaskHistories([taskId(1)], options));

      assert.equal(results.length, 1);
      const [result] = results;
      assert.equal(result?.status, "rejected");
      assert.ok(result.reason instanceof AngoApiError);
      assert.equal(result.reason.status, 429);
      assert.equal(server.requests.length, 2);
    } finally {
      await server.close();
    }
  });

  test("failed 429 task pauses the batch", async () => {
    const limited = taskId(1);
    const arrivals: number[] = [];
    const server = await startRawServer((request, response) => {
      arrivals.push(performance.now());
      if (request.url?.includes(limited) === true) {
        response.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
        response.end(JSON.stringify({ status: "fail", message: "Too many requests" }));
      } else {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(EMPTY_HISTORY);
      }
    });
    try {
      const client = createTaskHistoryClient({
        apiKey: TEST_KEY,
        baseUrl: server.url,
        maxRetries: 0,
      });
      const options = { concurrency: 1, requestsPerMinute: Infinity };
      const results = await collect(client.getTaskHistories([limited, taskId(2)], options));

      assert.deepEqual(
        results.map((result) => result.status),
        ["rejected", "fulfilled"],
      );
      assert.equal(arrivals.length, 2);
      const waited = (arrivals[1] ?? 0) - (arrivals[0] ?? 0);
      assert.ok(waited >= 1_000, `the next task started ${waited.toFixed(0)} ms after a 429`);
    } finally {
      await server.close();
    }
  });
});

describe("getTaskHistories stopping", () => {
  test("abort stops every request", async () => {
    const { fetch, stats } = countingFetch(hangUntilAborted);
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch });
    const controller = new AbortController();
    const options = { concurrency: 3, requestsPerMinute: Infinity, signal: controller.signal };
    const batch = collect(client.getTaskHistories(taskIds(10), options));
    await delay(20);
    controller.abort();

    await assert.rejects(batch, { name: "AbortError" });
    assert.equal(stats.started, 3);
    assert.equal(stats.open, 0);
  });

  test("abort during a pause is prompt", async () => {
    const { fetch, stats } = countingFetch(emptyAfter(0));
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch });
    const controller = new AbortController();
    // One start a minute: the second task would wait 60 s.
    const options = { requestsPerMinute: 1, signal: controller.signal };
    const batch = collect(client.getTaskHistories(taskIds(2), options));
    await delay(20);
    const abortedAt = performance.now();
    controller.abort();

    await assert.rejects(batch, { name: "AbortError" });
    assert.ok(performance.now() - abortedAt < 5_000);
    assert.equal(stats.started, 1);
  });

  test("aborted signal starts nothing", async () => {
    const { fetch, stats } = countingFetch(emptyAfter(0));
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch });
    const signal = AbortSignal.abort();

    await assert.rejects(collect(client.getTaskHistories(taskIds(3), { signal })), {
      name: "AbortError",
    });
    assert.equal(stats.started, 0);
  });

  test("break closes requests and source", async () => {
    let delayed = 0;
    const { fetch, stats } = countingFetch((request) =>
      ++delayed === 1 ? emptyAfter(0)() : hangUntilAborted(request),
    );
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch });
    let sourceClosed = false;
    function* ids() {
      try {
        yield* taskIds(10);
      } finally {
        sourceClosed = true;
      }
    }
    const options = { concurrency: 3, requestsPerMinute: Infinity };
    for await (const result of client.getTaskHistories(ids(), options)) {
      assert.equal(result.status, "fulfilled");
      break;
    }

    assert.equal(stats.open, 0);
    assert.equal(sourceClosed, true);
  });
});

describe("getTaskHistories input checks", () => {
  const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch: emptyAfter(0) });
  const cases: [string, unknown, object, RegExp][] = [
    ["zero concurrency", [], { concurrency: 0 }, /concurrency must be a positive integer, got 0/],
    ["fractional concurrency", [], { concurrency: 1.5 }, /got 1\.5/],
    ["string concurrency", [], { concurrency: "8" }, /got string/],
    ["zero requests a minute", [], { requestsPerMinute: 0 }, /or Infinity to turn pacing off/],
    ["NaN requests a minute", [], { requestsPerMinute: NaN }, /got NaN/],
    ["invalid signal", [], { signal: "stop" }, /signal must be an AbortSignal/],
    ["string as ids", DEMO_TASK_ID, {}, /taskIds must be an iterable .* got string/],
    ["number as ids", 5, {}, /got number/],
  ];

  for (const [name, ids, options, message] of cases) {
    test(`${name} throws at once`, () => {
      assert.throws(
        () => client.getTaskHistories(ids as string[], options),
        (error: unknown) => error instanceof AngoInputError && message.test(error.message),
      );
    });
  }
});
