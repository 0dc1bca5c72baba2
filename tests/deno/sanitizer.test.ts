/**
 * Runs the client under `Deno.test` with its resource and op sanitizers on, which fail a test
 * that leaves a response body unread or a timer pending. Deno only. A `node:test` test under
 * Deno 2.9 passed while it left a fetch body unread, so these checks use `Deno.test`.
 */

import assert from "node:assert/strict";
import { AngoApiError, AngoRedirectError, AngoTimeoutError } from "../../src/index.ts";
import { DEMO_TASK_HISTORY, DEMO_TASK_ID } from "../../src/testing/index.ts";
import { createRecordingClient } from "../helpers/timing.ts";
import { TEST_KEY } from "../helpers/servers.ts";

/** The part of the Deno namespace that this file uses. */
declare const Deno: {
  test(definition: {
    name: string;
    sanitizeResources: boolean;
    sanitizeOps: boolean;
    fn: () => Promise<void>;
  }): void;
  serve(
    options: { port: number; hostname: string; signal: AbortSignal; onListen(): void },
    handler: (request: Request) => Response,
  ): { addr: { port: number }; finished: Promise<void> };
};

const TASK_PATH = `/v2/task/${DEMO_TASK_ID}/history`;
const HISTORY = JSON.stringify({
  status: "success",
  data: { taskHistory: DEMO_TASK_HISTORY, total: DEMO_TASK_HISTORY.length },
});
const LARGE_TEXT = "response body that the client does not use ".repeat(2000);

/**
 * Registers a test with both sanitizers on. They are turned on explicitly because a test of
 * Deno 2.9 with the default options passed while it left a fetch body unread.
 */
function sanitizedTest(name: string, fn: () => Promise<void>): void {
  Deno.test({ name, sanitizeResources: true, sanitizeOps: true, fn });
}

/** Serves `handler` with `Deno.serve` on 127.0.0.1 while `body` runs, then stops the server. */
async function withDenoServer(
  handler: (request: Request, requestNumber: number) => Response,
  body: (url: string) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  let requestNumber = 0;
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} },
    (request) => handler(request, ++requestNumber),
  );
  try {
    await body(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    controller.abort();
    await server.finished;
  }
}

function stalledBody(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"status":"success",'));
    },
  });
}

sanitizedTest("redirect bodies are consumed", async () => {
  await withDenoServer(
    (request) =>
      new URL(request.url).pathname.startsWith("/old")
        ? new Response(LARGE_TEXT, { status: 302, headers: { location: TASK_PATH } })
        : new Response(HISTORY, { headers: { "content-type": "application/json" } }),
    async (url) => {
      const { client } = createRecordingClient({ apiKey: TEST_KEY, baseUrl: `${url}/old` });
      const body = await client.getTaskHistory({ taskId: DEMO_TASK_ID });

      assert.equal(body.data.total, 5);
    },
  );
});

sanitizedTest("retried error bodies are consumed", async () => {
  await withDenoServer(
    (_request, requestNumber) =>
      requestNumber < 3
        ? new Response(LARGE_TEXT, { status: 503 })
        : new Response(HISTORY, { headers: { "content-type": "application/json" } }),
    async (url) => {
      const { client } = createRecordingClient({ apiKey: TEST_KEY, baseUrl: url });
      const body = await client.getTaskHistory({ taskId: DEMO_TASK_ID });

      assert.equal(body.data.total, 5);
    },
  );
});

sanitizedTest("final error body is consumed", async () => {
  await withDenoServer(
    () => new Response(LARGE_TEXT, { status: 500 }),
    async (url) => {
      const { client } = createRecordingClient({ apiKey: TEST_KEY, baseUrl: url });

      await assert.rejects(client.getTaskHistory({ taskId: DEMO_TASK_ID }), AngoApiError);
    },
  );
});

sanitizedTest("cross-origin redirect body is consumed", async () => {
  await withDenoServer(
    () => new Response(LARGE_TEXT, { status: 307, headers: { location: "http://127.0.0.1:9/" } }),
    async (url) => {
      const { client } = createRecordingClient({ apiKey: TEST_KEY, baseUrl: url });

      await assert.rejects(client.getTaskHistory({ taskId: DEMO_TASK_ID }), AngoRedirectError);
    },
  );
});

sanitizedTest("timeout mid-body leaves nothing open", async () => {
  await withDenoServer(
    () => new Response(stalledBody(), { headers: { "content-type": "application/json" } }),
    async (url) => {
      const { client } = createRecordingClient({ apiKey: TEST_KEY, baseUrl: url, timeoutMs: 50 });

      await assert.rejects(client.getTaskHistory({ taskId: DEMO_TASK_ID }), AngoTimeoutError);
    },
  );
});

sanitizedTest("abort mid-body leaves nothing open", async () => {
  await withDenoServer(
    () => new Response(stalledBody(), { headers: { "content-type": "application/json" } }),
    async (url) => {
      const { client } = createRecordingClient({ apiKey: TEST_KEY, baseUrl: url });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      const call = client.getTaskHistory({ taskId: DEMO_TASK_ID }, { signal: controller.signal });

      await assert.rejects(call, { name: "AbortError" });
    },
  );
});
