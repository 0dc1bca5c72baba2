import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import {
  AngoApiError,
  AngoInputError,
  AngoNetworkError,
  AngoRedirectError,
  AngoTimeoutError,
  AngoValidationError,
  createTaskHistoryClient,
  type FetchFunction,
  type TaskHistoryClient,
} from "../src/index.ts";
import { createFakeAngoServer, DEMO_TASK_ID } from "../src/testing/index.ts";
import { assertKeyAbsent, failureOf } from "./helpers/errors.ts";
import {
  type CountingServer,
  startRawServer,
  startTcpServer,
  TEST_KEY,
} from "./helpers/servers.ts";

/** Never contacted: every request of these properties goes to an injected fetch. */
const BASE_URL = "http://127.0.0.1:9";
const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const TASK_PATH = `/v2/task/${DEMO_TASK_ID}/history`;

/** Runs of the properties that use an injected fetch, which take well under 1 ms each. */
const FAST_RUNS = 10_000;

/**
 * Runs of the error property over an injected fetch. Each run makes eight failing calls, one of
 * them waiting for a 1 ms time limit, and renders each error five ways: a few milliseconds.
 */
const ERROR_RUNS = 1000;

/**
 * Runs of the properties that use real loopback sockets. Each run opens several connections and
 * waits for a real time limit, so 10,000 runs would take minutes on every runtime.
 */
const NETWORK_RUNS = 40;

const HEX = [..."0123456789abcdefABCDEF"];

/** Strings of 22 to 26 characters, mostly hexadecimal, with characters that matter in a path. */
const nearIds = fc.string({
  unit: fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...HEX) },
    fc.constantFrom("/", ".", "%", "?", "#", " ", "\n", "g", "\u0660", "\u0000", "%2e", ".."),
  ),
  minLength: 22,
  maxLength: 26,
});

const ids = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  nearIds,
  fc.stringMatching(/^[0-9a-fA-F]{24}$/),
);

const anyKeys = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 80 }),
);

/**
 * Keys as long as real ones, 16 to 64 printable ASCII characters, so that finding one in an
 * error means a leak and not a common word. `"`, `'` and `\` are left out because
 * `JSON.stringify` and `util.inspect` escape them, which would hide a leak from the check.
 */
const secretKeys = fc.stringMatching(/^[!#-&(-[\]-~]{16,64}$/);

/** Calls the client as plain JavaScript would, with no type checks on the argument. */
function callUntyped(client: TaskHistoryClient, selector: unknown): Promise<unknown> {
  return (client.getTaskHistory as (selector: unknown) => Promise<unknown>)(selector);
}

describe("properties of ids and keys", () => {
  test("ids give input error or exact path", async () => {
    const urls: string[] = [];
    const fake = createFakeAngoServer({ apiKey: TEST_KEY, histories: {} });
    const client = createTaskHistoryClient({
      apiKey: TEST_KEY,
      baseUrl: BASE_URL,
      fetch: (request) => {
        urls.push(request.url);

        return fake(request);
      },
    });

    await fc.assert(
      fc.asyncProperty(ids, fc.boolean(), async (id, byTask) => {
        urls.length = 0;
        const error = await failureOf(
          callUntyped(client, byTask ? { taskId: id } : { taskHistoryId: id }),
        );
        if (error instanceof AngoInputError) {
          assert.deepEqual(urls, []);

          return;
        }

        const path = byTask ? `/v2/task/${id}/history` : `/v2/taskHistory/${id}`;
        assert.match(id, OBJECT_ID);
        assert.deepEqual(urls, [`${BASE_URL}${path}`]);
        assert.ok(error instanceof AngoApiError, String(error));
        assert.equal(error.status, 404);
      }),
      { numRuns: FAST_RUNS },
    );
  });

  test("keys give input error or request", async () => {
    await fc.assert(
      fc.asyncProperty(anyKeys, async (key) => {
        const seen: Request[] = [];
        const fake = createFakeAngoServer({ apiKey: key, histories: { [DEMO_TASK_ID]: [] } });
        const fetch: FetchFunction = (request) => {
          seen.push(request);

          return fake(request);
        };
        let client: TaskHistoryClient;
        try {
          client = createTaskHistoryClient({ apiKey: key, baseUrl: BASE_URL, fetch });
        } catch (error) {
          assert.ok(error instanceof AngoInputError, String(error));

          return;
        }

        const body = await client.getTaskHistory({ taskId: DEMO_TASK_ID });
        assert.equal(body.data.total, 0);
        assert.equal(seen.length, 1);
        assert.equal(seen[0]?.url, `${BASE_URL}${TASK_PATH}`);
        assert.equal(seen[0]?.headers.get("apikey"), key);
      }),
      { numRuns: FAST_RUNS },
    );
  });
});

/** A failing call of one kind, with the class of error that it must end with. */
type FailingCall = [string, new (...args: never[]) => Error, (key: string) => Promise<unknown>];

function clientWith(key: string, fetch: FetchFunction, options: object = {}): TaskHistoryClient {
  return createTaskHistoryClient({
    apiKey: key,
    baseUrl: BASE_URL,
    fetch,
    maxRetries: 0,
    ...options,
  });
}

function respondWith(body: string, status: number, headers: Record<string, string> = {}) {
  return async () => new Response(body, { status, headers });
}

const injectedFailures: FailingCall[] = [
  [
    "key as id",
    AngoInputError,
    (key) => callUntyped(clientWith(key, respondWith("", 200)), { taskId: key }),
  ],
  [
    "id around key",
    AngoInputError,
    (key) => callUntyped(clientWith(key, respondWith("", 200)), { taskHistoryId: `0${key}0` }),
  ],
  [
    "401 echo",
    AngoApiError,
    (key) => {
      const body = JSON.stringify({ status: "fail", message: `Invalid API key ${key}${key}` });
      const headers = { "content-type": "application/json", "x-request-id": key };

      return clientWith(key, respondWith(body, 401, headers)).getTaskHistory({
        taskId: DEMO_TASK_ID,
      });
    },
  ],
  [
    "500 text echo",
    AngoApiError,
    (key) => {
      const fetch = respondWith(`upstream: ${key}${key.slice(2)} ${key.slice(1)}`, 500);

      return clientWith(key, fetch).getTaskHistory({ taskId: DEMO_TASK_ID });
    },
  ],
  [
    "validation",
    AngoValidationError,
    (key) => {
      const entry = { [key]: key, stage: key, duration: key };
      const body = JSON.stringify({
        status: "success",
        data: { taskHistory: [entry], total: key },
      });

      return clientWith(key, respondWith(body, 200)).getTaskHistory({ taskId: DEMO_TASK_ID });
    },
  ],
  [
    "network error",
    AngoNetworkError,
    (key) => {
      const fetch: FetchFunction = async () => {
        const cause = Object.assign(new Error(`parse failed: ${key}`), { data: key, code: key });
        throw new TypeError(`fetch failed for ${key}`, { cause });
      };

      return clientWith(key, fetch).getTaskHistory({ taskId: DEMO_TASK_ID });
    },
  ],
  [
    "timeout",
    AngoTimeoutError,
    (key) => {
      const fetch: FetchFunction = () => new Promise<Response>(() => {});

      return clientWith(key, fetch, { timeoutMs: 1 }).getTaskHistory({ taskId: DEMO_TASK_ID });
    },
  ],
  [
    "redirect",
    AngoRedirectError,
    (key) => {
      let hops = 0;
      const fetch: FetchFunction = async () =>
        new Response(null, {
          status: 302,
          headers: { location: ++hops === 1 ? `/${key}` : `http://${key.toLowerCase()}.test/` },
        });

      return clientWith(key, fetch).getTaskHistory({ taskId: DEMO_TASK_ID });
    },
  ],
];

describe("properties of errors", () => {
  test("errors never contain the key", async () => {
    await fc.assert(
      fc.asyncProperty(secretKeys, async (key) => {
        for (const [name, errorClass, call] of injectedFailures) {
          const error = await failureOf(call(key));

          assert.ok(error instanceof errorClass, `${name}: ${String(error)}`);
          assertKeyAbsent(error, key);
        }
      }),
      { numRuns: ERROR_RUNS },
    );
  });

  describe("over loopback sockets", () => {
    let echo: CountingServer;
    let malformed: CountingServer;
    let stalled: CountingServer;
    let closedUrl: string;

    before(async () => {
      echo = await startRawServer((request, response) => {
        const key = String(request.headers.apikey);
        response.writeHead(401, { "content-type": "application/json", "x-request-id": key });
        response.end(JSON.stringify({ status: "fail", message: `Invalid API key ${key}` }));
      });
      malformed = await startTcpServer((socket, head) => socket.end(`GARBAGE ${head}\r\n\r\n`));
      stalled = await startRawServer(() => {});
      const closed = await startRawServer(() => {});
      closedUrl = closed.url;
      await closed.close();
    });

    after(() => Promise.all([echo.close(), malformed.close(), stalled.close()]));

    test("socket errors never contain the key", async () => {
      await fc.assert(
        fc.asyncProperty(secretKeys, async (key) => {
          const cases: [string, new (...args: never[]) => Error, number][] = [
            [echo.url, AngoApiError, 5000],
            [malformed.url, AngoNetworkError, 5000],
            [stalled.url, AngoTimeoutError, 30],
            [closedUrl, AngoNetworkError, 5000],
          ];
          for (const [baseUrl, errorClass, timeoutMs] of cases) {
            const client = createTaskHistoryClient({
              apiKey: key,
              baseUrl,
              maxRetries: 0,
              timeoutMs,
            });
            const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

            assert.ok(error instanceof errorClass, `${baseUrl}: ${String(error)}`);
            assertKeyAbsent(error, key);
          }
        }),
        { numRuns: NETWORK_RUNS },
      );
    });
  });
});
