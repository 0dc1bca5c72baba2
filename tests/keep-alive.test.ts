import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createTaskHistoryClient, type TaskHistoryClient } from "../src/index.ts";
import { DEMO_TASK_ID } from "../src/testing/index.ts";
import { failureOf } from "./helpers/errors.ts";
import { startRawServer, TEST_KEY } from "./helpers/servers.ts";
import { createRecordingClient } from "./helpers/timing.ts";

const TASK_PATH = `/v2/task/${DEMO_TASK_ID}/history`;

/**
 * Connections that a runtime may open for sequential calls when it reuses them: one, plus
 * spares for a pool that replaces a socket now and then.
 */
const MAX_CONNECTIONS = 5;

/** Growth of the heap that still counts as flat; a leak of one body per call exceeds it. */
const MAX_HEAP_GROWTH_BYTES = 64 * 1024 * 1024;

const ERROR_BODY = JSON.stringify({ status: "error", message: "x".repeat(2_000) });

async function failRepeatedly(client: TaskHistoryClient, calls: number): Promise<void> {
  for (let index = 0; index < calls; index++) {
    await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));
  }
}

describe("connection reuse", () => {
  test("2000 failing calls stay flat", async () => {
    const server = await startRawServer((_request, response) => {
      response.writeHead(500, { "content-type": "application/json" });
      response.end(ERROR_BODY);
    });
    const client = createTaskHistoryClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      maxRetries: 0,
    });
    try {
      await failRepeatedly(client, 50);
      const heapBefore = process.memoryUsage().heapUsed;
      await failRepeatedly(client, 2000);
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

      assert.equal(server.requests.length, 2050);
      assert.ok(server.connections() <= MAX_CONNECTIONS, `${server.connections()} connections`);
      assert.ok(heapGrowth < MAX_HEAP_GROWTH_BYTES, `heap grew by ${heapGrowth} bytes`);
    } finally {
      await server.close();
    }
  });

  test("retried error bodies are drained", async () => {
    const server = await startRawServer((_request, response) => {
      response.writeHead(503, { "content-type": "application/json" });
      response.end(ERROR_BODY);
    });
    const { client } = createRecordingClient({ apiKey: TEST_KEY, baseUrl: server.url });
    try {
      await failRepeatedly(client, 300);

      assert.equal(server.requests.length, 900);
      assert.ok(server.connections() <= MAX_CONNECTIONS, `${server.connections()} connections`);
    } finally {
      await server.close();
    }
  });

  test("redirect bodies are cancelled", async () => {
    const server = await startRawServer((request, response) => {
      if (request.url?.startsWith("/old/")) {
        response.writeHead(302, { location: TASK_PATH, "content-type": "text/html" });
        response.end(`<a href="${TASK_PATH}">moved</a>`.repeat(2000));

        return;
      }

      response.writeHead(500);
      response.end();
    });
    const client = createTaskHistoryClient({
      apiKey: TEST_KEY,
      baseUrl: `${server.url}/old`,
      maxRetries: 0,
    });
    try {
      await failRepeatedly(client, 300);

      assert.equal(server.requests.length, 600);
      assert.ok(server.connections() <= MAX_CONNECTIONS, `${server.connections()} connections`);
    } finally {
      await server.close();
    }
  });
});
