import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  AngoApiError,
  AngoInputError,
  AngoNetworkError,
  AngoTimeoutError,
  createTaskHistoryClient,
  type RetryEvent,
} from "../src/index.ts";
import { DEMO_TASK_ID } from "../src/testing/index.ts";
import { failureOf } from "./helpers/errors.ts";
import { readFixtureText, startRawServer, TEST_KEY, type TestServer } from "./helpers/servers.ts";
import { parseRetryAfter } from "../src/response-headers.ts";
import { backoffDelay } from "../src/retry.ts";
import { createRecordingClient } from "./helpers/timing.ts";

const TASK_PATH = `/v2/task/${DEMO_TASK_ID}/history`;
const HISTORY = readFixtureText("synthetic-five-stage-history.json");

type Answer = { status: number; headers?: Record<string, string>; body?: string } | "reset";

/** Starts a server that sends the given responses in order, then 200 with the history. */
function startScripted(answers: Answer[]): Promise<TestServer> {
  return startRawServer((_request, response) => {
    const answer = answers.shift() ?? { status: 200, body: HISTORY };
    if (answer === "reset") {
      response.socket?.destroy();

      return;
    }

    const body = answer.body ?? JSON.stringify({ status: "error", message: "try again" });
    response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    response.end(body);
  });
}

function httpDate(offsetMs: number): string {
  return new Date(Date.now() + offsetMs).toUTCString();
}

describe("retries", () => {
  test("503 twice then 200 succeeds", async () => {
    const server = await startScripted([{ status: 503 }, { status: 503 }]);
    const events: RetryEvent[] = [];
    const { client, sleeps } = createRecordingClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      onRetry: (event) => events.push(event),
    });
    try {
      const body = await client.getTaskHistory({ taskId: DEMO_TASK_ID });

      assert.equal(body.data.total, 5);
      assert.deepEqual(
        server.requests.map((request) => [request.path, request.apikey]),
        [
          [TASK_PATH, TEST_KEY],
          [TASK_PATH, TEST_KEY],
          [TASK_PATH, TEST_KEY],
        ],
      );
      assert.deepEqual(
        events.map(({ attempt, delayMs }) => [attempt, delayMs]),
        [
          [1, 375],
          [2, 750],
        ],
      );
      assert.ok(events.every(({ error }) => error instanceof AngoApiError && error.status === 503));
      assert.deepEqual(sleeps, [375, 750]);
    } finally {
      await server.close();
    }
  });

  test("retries stop at maxRetries", async () => {
    const server = await startScripted(Array(5).fill({ status: 503 }));
    const { client, sleeps } = createRecordingClient({ apiKey: TEST_KEY, baseUrl: server.url });
    try {
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoApiError);
      assert.equal(error.status, 503);
      assert.equal(server.requests.length, 3);
      assert.equal(sleeps.length, 2);
    } finally {
      await server.close();
    }
  });

  test("per-call maxRetries replaces the client's", async () => {
    const server = await startScripted(Array(5).fill({ status: 500 }));
    const { client } = createRecordingClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      maxRetries: 0,
    });
    try {
      await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }, { maxRetries: 3 }));

      assert.equal(server.requests.length, 4);
    } finally {
      await server.close();
    }
  });

  for (const status of [408, 429, 500, 502, 503, 504]) {
    test(`HTTP ${status} is retried`, async () => {
      const server = await startScripted([{ status }]);
      const { client } = createRecordingClient({ apiKey: TEST_KEY, baseUrl: server.url });
      try {
        await client.getTaskHistory({ taskId: DEMO_TASK_ID });

        assert.equal(server.requests.length, 2);
      } finally {
        await server.close();
      }
    });
  }

  for (const status of [400, 401, 403, 404, 405, 409, 410, 422, 501]) {
    test(`HTTP ${status} is not retried`, async () => {
      const server = await startScripted([{ status }]);
      const { client, sleeps } = createRecordingClient({ apiKey: TEST_KEY, baseUrl: server.url });
      try {
        const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

        assert.ok(error instanceof AngoApiError);
        assert.equal(error.status, status);
        assert.equal(server.requests.length, 1);
        assert.deepEqual(sleeps, []);
      } finally {
        await server.close();
      }
    });
  }

  const onceCases: [string, Answer][] = [
    ["503", { status: 503 }],
    ["429 with Retry-After", { status: 429, headers: { "retry-after": "1" } }],
    ["reset", "reset"],
  ];
  for (const [name, answer] of onceCases) {
    test(`maxRetries 0 sends once: ${name}`, async () => {
      const server = await startScripted([answer, answer]);
      const { client } = createRecordingClient({
        apiKey: TEST_KEY,
        baseUrl: server.url,
        maxRetries: 0,
      });
      try {
        const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

        assert.ok(error instanceof AngoApiError || error instanceof AngoNetworkError);
        assert.equal(server.requests.length, 1);
      } finally {
        await server.close();
      }
    });
  }

  test("maxRetries 0 sends once: timeout", async () => {
    const server = await startRawServer(() => {});
    const client = createTaskHistoryClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      maxRetries: 0,
      timeoutMs: 250,
    });
    try {
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoTimeoutError);
      assert.equal(server.requests.length, 1);
    } finally {
      await server.close();
    }
  });

  test("refused connection is retried", async () => {
    const server = await startRawServer(() => {});
    await server.close();
    const events: RetryEvent[] = [];
    const { client } = createRecordingClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      onRetry: (event) => events.push(event),
    });
    const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

    assert.ok(error instanceof AngoNetworkError);
    assert.equal(events.length, 2);
    assert.ok(events.every((event) => event.error instanceof AngoNetworkError));
  });
});

describe("Retry-After", () => {
  const cases: [string, () => string, (delayMs: number) => boolean][] = [
    ["seconds", () => "2", (delayMs) => delayMs === 2000],
    ["HTTP date", () => httpDate(5000), (delayMs) => delayMs > 3000 && delayMs <= 5000],
    ["zero", () => "0", (delayMs) => delayMs === 0],
    ["past date", () => httpDate(-60_000), (delayMs) => delayMs === 0],
    ["negative number", () => "-5", (delayMs) => delayMs === 375],
    ["text", () => "abc", (delayMs) => delayMs === 375],
    ["word and number", () => "a 5", (delayMs) => delayMs === 375],
    [
      "ISO 8601 date",
      () => new Date(Date.now() + 5000).toISOString(),
      (delayMs) => delayMs === 375,
    ],
    ["cap exactly", () => "60", (delayMs) => delayMs === 60_000],
  ];

  for (const [name, header, isExpected] of cases) {
    test(`429 with ${name} is retried`, async () => {
      const server = await startScripted([{ status: 429, headers: { "retry-after": header() } }]);
      const events: RetryEvent[] = [];
      const { client, sleeps } = createRecordingClient({
        apiKey: TEST_KEY,
        baseUrl: server.url,
        onRetry: (event) => events.push(event),
      });
      try {
        await client.getTaskHistory({ taskId: DEMO_TASK_ID });

        assert.equal(server.requests.length, 2);
        assert.equal(events.length, 1);
        const delayMs = events[0]?.delayMs ?? Number.NaN;
        assert.ok(isExpected(delayMs), `unexpected delay ${delayMs}`);
        assert.deepEqual(sleeps, delayMs === 0 ? [] : [delayMs]);
      } finally {
        await server.close();
      }
    });
  }

  const overCap: [string, () => string, number][] = [
    ["seconds", () => "61", 61_000],
    ["HTTP date", () => httpDate(3_600_000), 3_600_000],
    ["23-digit seconds", () => "9".repeat(23), 2 ** 31 * 1000],
  ];
  for (const [name, header, expectedMs] of overCap) {
    test(`429 with ${name} over cap fails at once`, async () => {
      const server = await startScripted([{ status: 429, headers: { "retry-after": header() } }]);
      const events: RetryEvent[] = [];
      const { client, sleeps } = createRecordingClient({
        apiKey: TEST_KEY,
        baseUrl: server.url,
        onRetry: (event) => events.push(event),
      });
      try {
        const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

        assert.ok(error instanceof AngoApiError);
        assert.equal(error.status, 429);
        assert.ok(Math.abs((error.retryAfterMs ?? 0) - expectedMs) <= 1000);
        assert.equal(server.requests.length, 1);
        assert.deepEqual(events, []);
        assert.deepEqual(sleeps, []);
      } finally {
        await server.close();
      }
    });
  }

  test("503 Retry-After is honoured too", async () => {
    const server = await startScripted([{ status: 503, headers: { "retry-after": "3" } }]);
    const { client, sleeps } = createRecordingClient({ apiKey: TEST_KEY, baseUrl: server.url });
    try {
      await client.getTaskHistory({ taskId: DEMO_TASK_ID });

      assert.deepEqual(sleeps, [3000]);
    } finally {
      await server.close();
    }
  });
});

describe("Retry-After parsing", () => {
  const now = Date.UTC(1994, 10, 6, 8, 49, 30);
  const valid: [string, string, number][] = [
    ["delta-seconds", "7", 7000],
    ["surrounding spaces", " 7 ", 7000],
    ["IMF-fixdate", "Sun, 06 Nov 1994 08:49:37 GMT", 7000],
    ["RFC 850 date", "Sunday, 06-Nov-94 08:49:37 GMT", 7000],
    ["asctime date", "Sun Nov  6 08:49:37 1994", 7000],
    ["asctime two-digit day", "Sun Nov 06 08:49:37 1994", 7000],
    ["leap second", "Sun, 06 Nov 1994 08:49:60 GMT", 30_000],
    ["past date", "Sat, 05 Nov 1994 08:49:37 GMT", 0],
    ["23-digit seconds", "9".repeat(23), 2 ** 31 * 1000],
  ];

  for (const [name, value, expectedMs] of valid) {
    test(`reads ${name}`, () => {
      assert.equal(parseRetryAfter(value, now), expectedMs);
    });
  }

  const invalid: [string, string][] = [
    ["empty", ""],
    ["word and number", "a 5"],
    ["fraction", "1.5"],
    ["sign", "+5"],
    ["unit", "5s"],
    ["ISO 8601", "1994-11-06T08:49:37Z"],
    ["lower case", "sun, 06 nov 1994 08:49:37 gmt"],
    ["one-digit day", "Sun, 6 Nov 1994 08:49:37 GMT"],
    ["another zone", "Sun, 06 Nov 1994 08:49:37 +0000"],
    ["31 February", "Thu, 31 Feb 1994 08:49:37 GMT"],
    ["hour 24", "Sun, 06 Nov 1994 24:00:00 GMT"],
    ["four-digit RFC 850 year", "Sunday, 06-Nov-1994 08:49:37 GMT"],
  ];

  for (const [name, value] of invalid) {
    test(`ignores ${name}`, () => {
      assert.equal(parseRetryAfter(value, now), undefined);
    });
  }

  test("RFC 850 year stays within 50 years", () => {
    const in2026 = Date.UTC(2026, 0, 1);

    assert.equal(
      parseRetryAfter("Wednesday, 01-Jan-76 00:00:00 GMT", in2026),
      Date.UTC(2076, 0, 1) - in2026,
    );
    assert.equal(parseRetryAfter("Saturday, 01-Jan-77 00:00:00 GMT", in2026), 0);
  });
});

describe("onRetry", () => {
  test("client and call listeners both run", async () => {
    const server = await startScripted([{ status: 503 }]);
    const calls: string[] = [];
    const { client } = createRecordingClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      onRetry: (event) => calls.push(`client ${event.attempt}`),
    });
    try {
      await client.getTaskHistory(
        { taskId: DEMO_TASK_ID },
        { onRetry: (event) => calls.push(`call ${event.attempt}`) },
      );

      assert.deepEqual(calls, ["client 1", "call 1"]);
    } finally {
      await server.close();
    }
  });

  test("throwing listener does not break call", async () => {
    const server = await startScripted([{ status: 503 }, { status: 503 }]);
    let calls = 0;
    const { client } = createRecordingClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      onRetry: () => {
        calls++;
        throw new Error("listener failed");
      },
    });
    try {
      const body = await client.getTaskHistory(
        { taskId: DEMO_TASK_ID },
        { onRetry: () => Promise.reject(new Error("async listener failed")) },
      );

      assert.equal(body.data.total, 5);
      assert.equal(calls, 2);
      assert.equal(server.requests.length, 3);
    } finally {
      await server.close();
    }
  });

  test("listener is not called without retry", async () => {
    const server = await startScripted([{ status: 404 }]);
    let calls = 0;
    const { client } = createRecordingClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      onRetry: () => calls++,
    });
    try {
      await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.equal(calls, 0);
    } finally {
      await server.close();
    }
  });
});

describe("retry options", () => {
  const invalid: [string, Record<string, unknown>][] = [
    ["negative maxRetries", { maxRetries: -1 }],
    ["fractional maxRetries", { maxRetries: 1.5 }],
    ["infinite maxRetries", { maxRetries: Number.POSITIVE_INFINITY }],
    ["string maxRetries", { maxRetries: "2" }],
    ["negative retryDelayMs", { retryDelayMs: -1 }],
    ["NaN retryDelayMs", { retryDelayMs: Number.NaN }],
    ["huge maxRetryDelayMs", { maxRetryDelayMs: 2 ** 31 }],
    ["string onRetry", { onRetry: "log" }],
  ];

  for (const [name, options] of invalid) {
    test(`client rejects ${name}`, () => {
      assert.throws(
        () => createTaskHistoryClient({ apiKey: TEST_KEY, ...options }),
        AngoInputError,
      );
    });
  }

  test("call rejects invalid maxRetries", async () => {
    const server = await startScripted([]);
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
    try {
      for (const maxRetries of [-1, 0.5, Number.NaN, null]) {
        const options = { maxRetries } as unknown as { maxRetries: number };
        await assert.rejects(client.getTaskHistory({ taskId: DEMO_TASK_ID }, options), {
          name: "AngoInputError",
          message: /maxRetries must be an integer of 0 or more/,
        });
      }

      assert.equal(server.requests.length, 0);
    } finally {
      await server.close();
    }
  });
});

describe("backoff", () => {
  const backoff = { baseDelayMs: 500, maxDelayMs: 8000 };

  test("backoff doubles up to the cap", () => {
    const upper = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, backoff, () => 1));

    assert.deepEqual(upper, [500, 1000, 2000, 4000, 8000, 8000]);
  });

  test("jitter keeps at least half", () => {
    const lower = [1, 2, 5, 9].map((attempt) => backoffDelay(attempt, backoff, () => 0));

    assert.deepEqual(lower, [250, 500, 4000, 4000]);
  });

  test("jitter spreads the waits", () => {
    const waits = new Set(Array.from({ length: 50 }, () => backoffDelay(3, backoff, Math.random)));

    assert.ok(waits.size > 10);
    assert.ok([...waits].every((wait) => wait >= 1000 && wait <= 2000));
  });

  test("retryDelayMs sets the base", async () => {
    const server = await startScripted([{ status: 500 }, { status: 500 }]);
    const { client, sleeps } = createRecordingClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      retryDelayMs: 100,
      maxRetryDelayMs: 120,
    });
    try {
      await client.getTaskHistory({ taskId: DEMO_TASK_ID });

      assert.deepEqual(sleeps, [75, 90]);
    } finally {
      await server.close();
    }
  });
});
