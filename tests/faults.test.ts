import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  AngoApiError,
  AngoNetworkError,
  AngoTimeoutError,
  AngoValidationError,
  createTaskHistoryClient,
} from "../src/index.ts";
import { DEMO_TASK_ID } from "../src/testing/index.ts";
import { assertKeyAbsent, failureOf } from "./helpers/errors.ts";
import {
  readFixtureText,
  startRawServer,
  startTcpServer,
  TEST_KEY,
  type TestServer,
} from "./helpers/servers.ts";

const TASK_PATH = `/v2/task/${DEMO_TASK_ID}/history`;
const HISTORY = readFixtureText("synthetic-five-stage-history.json");

/** Runs `body` with a client of `server`, then closes the server. */
async function withServer(
  server: TestServer,
  options: { timeoutMs?: number; maxRetries?: number; retryDelayMs?: number },
  body: (client: ReturnType<typeof createTaskHistoryClient>) => Promise<void>,
): Promise<void> {
  try {
    await body(createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url, ...options }));
  } finally {
    await server.close();
  }
}

describe("server faults", () => {
  test("reset then success is retried", async () => {
    const server = await startRawServer((_request, response) => {
      if (server.requests.length === 1) {
        response.socket?.destroy();

        return;
      }

      response.writeHead(200, { "content-type": "application/json" });
      response.end(HISTORY);
    });

    await withServer(server, { retryDelayMs: 1 }, async (client) => {
      const body = await client.getTaskHistory({ taskId: DEMO_TASK_ID });

      assert.equal(body.data.total, 5);
      assert.deepEqual(server.requests, [
        { method: "GET", path: TASK_PATH, apikey: TEST_KEY },
        { method: "GET", path: TASK_PATH, apikey: TEST_KEY },
      ]);
    });
  });

  test("headers then stall times out", async () => {
    const server = await startRawServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"status":"success",');
    });

    await withServer(server, { timeoutMs: 250, maxRetries: 0 }, async (client) => {
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoTimeoutError, String(error));
      assert.equal(error.name, "AngoTimeoutError");
      assert.equal(error.method, "GET");
      assert.equal(error.path, TASK_PATH);
      assert.equal(error.timeoutMs, 250);
      assert.equal(error.message, `GET ${TASK_PATH} timed out after 250 ms`);
      assert.equal(server.requests.length, 1);
    });
  });

  test("stalled attempts are each retried", async () => {
    const server = await startRawServer(() => {});

    await withServer(server, { timeoutMs: 250, maxRetries: 2, retryDelayMs: 1 }, async (client) => {
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoTimeoutError, String(error));
      assert.equal(server.requests.length, 3);
    });
  });

  test("slow drip of body times out", async () => {
    const server = await startRawServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "1000000" });
      response.write("[");
      const timer = setInterval(() => response.write(" ".repeat(100)), 10);
      response.on("close", () => clearInterval(timer));
    });

    await withServer(server, { timeoutMs: 200, maxRetries: 0 }, async (client) => {
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoTimeoutError, String(error));
      assert.equal(server.requests.length, 1);
    });
  });

  test("HTML 502 is retried then reported", async () => {
    const page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    const server = await startRawServer((_request, response) => {
      response.writeHead(502, { "content-type": "text/html" });
      response.end(page);
    });

    await withServer(server, { maxRetries: 1, retryDelayMs: 1 }, async (client) => {
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoApiError, String(error));
      assert.equal(error.status, 502);
      assert.equal(error.bodyExcerpt, page);
      assert.equal(server.requests.length, 2);
    });
  });

  test("connection cut mid-JSON is retried", async () => {
    const server = await startRawServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "5000" });
      response.end(HISTORY.slice(0, 100));
      response.socket?.end();
    });

    await withServer(server, { maxRetries: 1, retryDelayMs: 1 }, async (client) => {
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoNetworkError, String(error));
      assert.equal(server.requests.length, 2);
    });
  });

  test("complete truncated JSON is not retried", async () => {
    const server = await startRawServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(HISTORY.slice(0, 100));
    });

    await withServer(server, { retryDelayMs: 1 }, async (client) => {
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoValidationError, String(error));
      assert.equal(error.issues[0]?.received, "invalid JSON");
      assert.equal(server.requests.length, 1);
    });
  });

  test("chunked empty 200 is not retried", async () => {
    const server = await startRawServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.flushHeaders();
      response.end();
    });

    await withServer(server, { retryDelayMs: 1 }, async (client) => {
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoValidationError, String(error));
      assert.equal(error.issues[0]?.received, "empty body");
      assert.equal(server.requests.length, 1);
    });
  });

  const reasons: [string, Buffer][] = [
    ["UTF-8", Buffer.from("OK \u2713", "utf8")],
    ["Latin-1", Buffer.from("Caf\u00e9", "latin1")],
  ];

  for (const [encoding, reason] of reasons) {
    test(`${encoding} reason phrase is ignored`, async () => {
      const server = await startTcpServer((socket) => {
        const head =
          "\r\ncontent-type: application/json\r\n" +
          `content-length: ${Buffer.byteLength(HISTORY)}\r\nconnection: close\r\n\r\n`;
        socket.end(
          Buffer.concat([Buffer.from("HTTP/1.1 200 "), reason, Buffer.from(head + HISTORY)]),
        );
      });

      await withServer(server, { maxRetries: 0 }, async (client) => {
        const body = await client.getTaskHistory({ taskId: DEMO_TASK_ID });

        assert.equal(body.data.total, 5);
      });
    });
  }

  test("malformed response echoing key is redacted", async () => {
    const server = await startTcpServer((socket, head) => {
      socket.end(`GARBAGE ${head}\r\n\r\n`);
    });

    await withServer(server, { maxRetries: 0 }, async (client) => {
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoNetworkError, String(error));
      assert.equal(server.requests[0]?.apikey, TEST_KEY);
      assertKeyAbsent(error);
    });
  });
});
