import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  AngoInputError,
  AngoTimeoutError,
  createTaskHistoryClient,
  type FetchFunction,
  type TaskHistoryClient,
} from "../src/index.ts";
import { DEMO_TASK_ID } from "../src/testing/index.ts";
import { failureOf } from "./helpers/errors.ts";
import { readFixtureText, startRawServer, TEST_KEY, type TestServer } from "./helpers/servers.ts";

const HISTORY = readFixtureText("synthetic-five-stage-history.json");

/** A fetch that never settles and ignores its signal, as a broken injected fetch might. */
const neverSettles: FetchFunction = () => new Promise<Response>(() => {});

function startStalling(): Promise<TestServer> {
  return startRawServer(() => {});
}

/**
 * Starts a server that responds with the history after `delayMs(requestNumber)`, counted from 1,
 * or never when that returns `undefined`.
 */
function startDelayed(delayMs: (requestNumber: number) => number | undefined): Promise<TestServer> {
  let requestNumber = 0;

  return startRawServer((_request, response) => {
    const delay = delayMs(++requestNumber);
    if (delay !== undefined) {
      setTimeout(() => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(HISTORY);
      }, delay);
    }
  });
}

/** Rejects when `call` has not settled after `limitMs`, so a missed abort fails the test. */
function settlesWithin<T>(call: Promise<T>, limitMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`call still pending after ${limitMs} ms`)), limitMs);
  });

  return Promise.race([call, limit]).finally(() => clearTimeout(timer));
}

function getHistory(client: TaskHistoryClient, options?: object): Promise<unknown> {
  return client.getTaskHistory({ taskId: DEMO_TASK_ID }, options);
}

describe("cancellation", () => {
  test("aborted signal sends nothing", async () => {
    const server = await startStalling();
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
    try {
      const controller = new AbortController();
      controller.abort();
      const error = await failureOf(getHistory(client, { signal: controller.signal }));

      assert.equal((error as Error).name, "AbortError");
      assert.equal(server.requests.length, 0);
    } finally {
      await server.close();
    }
  });

  test("abort before headers is not retried", async () => {
    const server = await startStalling();
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
    try {
      const controller = new AbortController();
      const call = getHistory(client, { signal: controller.signal });
      setTimeout(() => controller.abort(), 30);
      const error = await failureOf(settlesWithin(call, 5000));

      assert.equal((error as Error).name, "AbortError");
      assert.equal(server.requests.length, 1);
    } finally {
      await server.close();
    }
  });

  test("abort mid-body rejects promptly", async () => {
    const server = await startRawServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"status":"success",');
      setTimeout(() => controller.abort(), 30);
    });
    const controller = new AbortController();
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
    try {
      const call = getHistory(client, { signal: controller.signal });
      const error = await failureOf(settlesWithin(call, 5000));

      assert.equal((error as Error).name, "AbortError");
      assert.equal(server.requests.length, 1);
    } finally {
      await server.close();
    }
  });

  test("abort during backoff stops at once", async () => {
    const server = await startRawServer((_request, response) => {
      response.writeHead(503);
      response.end();
    });
    const controller = new AbortController();
    const client = createTaskHistoryClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      retryDelayMs: 60_000,
      maxRetryDelayMs: 60_000,
      onRetry: () => controller.abort(),
    });
    try {
      const call = getHistory(client, { signal: controller.signal });
      const error = await failureOf(settlesWithin(call, 5000));

      assert.equal((error as Error).name, "AbortError");
      assert.equal(server.requests.length, 1);
    } finally {
      await server.close();
    }
  });

  test("abort reason of the caller is kept", async () => {
    const controller = new AbortController();
    const reason = new Error("stopped by the caller");
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch: neverSettles });
    const call = getHistory(client, { signal: controller.signal });
    controller.abort(reason);

    assert.equal(await failureOf(settlesWithin(call, 5000)), reason);
  });

  test("string abort reason is kept", async () => {
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch: neverSettles });

    await assert.rejects(getHistory(client, { signal: AbortSignal.abort("stop") }), (error) => {
      assert.equal(error, "stop");

      return true;
    });
  });

  for (const reason of [null, 0, "", false]) {
    test(`falsy reason ${JSON.stringify(reason)} gives AbortError`, async () => {
      const isAbortError = (error: unknown) => {
        assert.ok(error instanceof DOMException, String(error));
        assert.equal(error.name, "AbortError");

        return true;
      };
      const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch: neverSettles });
      const before = getHistory(client, { signal: AbortSignal.abort(reason) });
      await assert.rejects(before, isAbortError);

      const controller = new AbortController();
      const during = getHistory(client, { signal: controller.signal });
      controller.abort(reason);
      await assert.rejects(settlesWithin(during, 5000), isAbortError);

      const waiting = new AbortController();
      const retrying = createTaskHistoryClient({
        apiKey: TEST_KEY,
        fetch: async () => new Response(null, { status: 503 }),
        retryDelayMs: 60_000,
        maxRetryDelayMs: 60_000,
        onRetry: () => waiting.abort(reason),
      });
      const wait = getHistory(retrying, { signal: waiting.signal });
      await assert.rejects(settlesWithin(wait, 5000), isAbortError);
    });
  }

  test("fetch ignoring the signal still aborts", async () => {
    const controller = new AbortController();
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch: neverSettles });
    const call = getHistory(client, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const error = await failureOf(settlesWithin(call, 5000));

    assert.equal((error as Error).name, "AbortError");
  });
});

describe("timeouts", () => {
  test("fetch ignoring the signal times out", async () => {
    const client = createTaskHistoryClient({
      apiKey: TEST_KEY,
      fetch: neverSettles,
      timeoutMs: 20,
      maxRetries: 1,
      retryDelayMs: 1,
    });
    const error = await failureOf(settlesWithin(getHistory(client), 5000));

    assert.ok(error instanceof AngoTimeoutError);
    assert.equal(error.path, `/v2/task/${DEMO_TASK_ID}/history`);
  });

  test("per-call timeoutMs replaces the client's", async () => {
    const server = await startStalling();
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
    try {
      const call = getHistory(client, { timeoutMs: 40, maxRetries: 0 });
      const error = await failureOf(settlesWithin(call, 5000));

      assert.ok(error instanceof AngoTimeoutError);
      assert.equal(error.timeoutMs, 40);
    } finally {
      await server.close();
    }
  });

  test("time limit starts with each call", async () => {
    const server = await startDelayed(() => 0);
    const client = createTaskHistoryClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      timeoutMs: 300,
      maxRetries: 0,
    });
    try {
      await getHistory(client);
      await new Promise((resolve) => setTimeout(resolve, 350));
      await getHistory(client);

      assert.equal(server.requests.length, 2);
    } finally {
      await server.close();
    }
  });

  test("time limit restarts on each attempt", async () => {
    const server = await startDelayed((requestNumber) => (requestNumber === 1 ? undefined : 150));
    const client = createTaskHistoryClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      timeoutMs: 400,
      maxRetries: 1,
      retryDelayMs: 1,
    });
    try {
      await getHistory(client);

      assert.equal(server.requests.length, 2);
    } finally {
      await server.close();
    }
  });

  const invalid: [string, unknown][] = [
    ["zero", 0],
    ["negative", -1],
    ["NaN", Number.NaN],
    ["infinite", Number.POSITIVE_INFINITY],
    ["above the timer limit", 2 ** 31],
    ["string", "100"],
    ["null", null],
  ];

  for (const [name, timeoutMs] of invalid) {
    test(`timeoutMs rejects ${name}`, async () => {
      assert.throws(
        () => createTaskHistoryClient({ apiKey: TEST_KEY, timeoutMs: timeoutMs as number }),
        { name: "AngoInputError", message: /timeoutMs must be a number of milliseconds/ },
      );

      let requests = 0;
      const client = createTaskHistoryClient({
        apiKey: TEST_KEY,
        fetch: () => {
          requests++;

          return neverSettles(new Request("http://127.0.0.1/"));
        },
      });
      await assert.rejects(getHistory(client, { timeoutMs }), AngoInputError);
      assert.equal(requests, 0);
    });
  }

  test("call options must be an object", async () => {
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch: neverSettles });

    await assert.rejects(
      (client.getTaskHistory as (selector: unknown, options: unknown) => Promise<unknown>)(
        { taskId: DEMO_TASK_ID },
        null,
      ),
      { name: "AngoInputError", message: /Call options must be an object, got null/ },
    );
  });
});

describe("settled calls", () => {
  /** Calls that leave work behind them (a timer, a late response), and how each ends. */
  const scenarios: [string, () => Promise<unknown>][] = [
    [
      "AngoTimeoutError",
      () => {
        const late: FetchFunction = () =>
          new Promise((resolve) => setTimeout(() => resolve(new Response(HISTORY)), 40));
        const client = createTaskHistoryClient({
          apiKey: TEST_KEY,
          fetch: late,
          timeoutMs: 10,
          maxRetries: 1,
          retryDelayMs: 1,
        });

        return getHistory(client);
      },
    ],
    [
      "AbortError",
      () => {
        const late: FetchFunction = () =>
          new Promise((_resolve, reject) => setTimeout(() => reject(new TypeError("late")), 40));
        const client = createTaskHistoryClient({ apiKey: TEST_KEY, fetch: late });
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 10);

        return getHistory(client, { signal: controller.signal });
      },
    ],
    [
      "success",
      () => {
        let calls = 0;
        const flaky: FetchFunction = async () =>
          ++calls === 1 ? new Response(null, { status: 503 }) : new Response(HISTORY);
        const client = createTaskHistoryClient({
          apiKey: TEST_KEY,
          fetch: flaky,
          retryDelayMs: 1,
          onRetry: () => Promise.reject(new Error("rejected by the listener")),
        });

        return getHistory(client, {
          onRetry: () => {
            throw new Error("thrown by the listener");
          },
        });
      },
    ],
    [
      "AbortError",
      () => {
        const controller = new AbortController();
        const client = createTaskHistoryClient({
          apiKey: TEST_KEY,
          fetch: async () => new Response(null, { status: 500 }),
          onRetry: () => setTimeout(() => controller.abort(), 5),
        });

        return getHistory(client, { signal: controller.signal });
      },
    ],
  ];

  test("no unhandled rejection on any path", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on("unhandledRejection", listener);
    try {
      const outcomes: string[] = [];
      for (const [, scenario] of scenarios) {
        outcomes.push(
          await scenario().then(
            () => "success",
            (error: Error) => error.name,
          ),
        );
      }

      await new Promise((resolve) => setTimeout(resolve, 100));

      assert.deepEqual(
        outcomes,
        scenarios.map(([outcome]) => outcome),
      );
      assert.deepEqual(unhandled.map(String), []);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });
});
