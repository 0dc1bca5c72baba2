import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { serveOnLoopback } from "../src/cli/serve.ts";
import { createFakeAngoServer, DEMO_TASK_HISTORY, DEMO_TASK_ID } from "../src/testing/index.ts";
import { readFixture, startFake, TEST_KEY, type TestServer } from "./helpers/servers.ts";

const ENTRY_ID = "e3dfc967a64cb14028d512c9";

async function get(url: string, apikey: string | null = TEST_KEY, method = "GET") {
  const headers: Record<string, string> = apikey === null ? {} : { apikey };
  const response = await fetch(url, { method, headers });

  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: await response.json(),
  };
}

describe("fake Ango server", () => {
  let server: TestServer;

  before(async () => {
    server = await startFake({ [DEMO_TASK_ID]: DEMO_TASK_HISTORY });
  });

  after(() => server.close());

  test("serves the demo history", async () => {
    const { status, type, body } = await get(`${server.url}/v2/task/${DEMO_TASK_ID}/history`);

    assert.equal(status, 200);
    assert.match(type ?? "", /^application\/json/);
    assert.deepEqual(body, readFixture("synthetic-five-stage-history.json"));
  });

  test("serves one entry by _id", async () => {
    const { status, body } = await get(`${server.url}/v2/taskHistory/${ENTRY_ID}`);

    assert.equal(status, 200);
    assert.deepEqual(body, { status: "success", data: { taskHistory: DEMO_TASK_HISTORY[1] } });
  });

  test("matches ids in any letter case", async () => {
    const { status, body } = await get(`${server.url}/v2/taskHistory/${ENTRY_ID.toUpperCase()}`);

    assert.equal(status, 200);
    assert.equal(body.data.taskHistory._id, ENTRY_ID);
  });

  test("serves paths behind a prefix", async () => {
    const { status } = await get(`${server.url}/proxy/v2/task/${DEMO_TASK_ID}/history`);

    assert.equal(status, 200);
  });

  const errors: [string, string, string | null, string, number, string][] = [
    ["missing key", `/v2/task/${DEMO_TASK_ID}/history`, null, "GET", 401, "Invalid API key"],
    ["wrong key", `/v2/task/${DEMO_TASK_ID}/history`, "other", "GET", 401, "Invalid API key"],
    ["invalid task id", "/v2/task/abc/history", TEST_KEY, "GET", 400, "Invalid task id"],
    ["unknown task", `/v2/task/${"0".repeat(24)}/history`, TEST_KEY, "GET", 404, "Task not found"],
    ["invalid entry id", "/v2/taskHistory/xyz", TEST_KEY, "GET", 400, "Invalid task history id"],
    [
      "unknown entry",
      `/v2/taskHistory/${"0".repeat(24)}`,
      TEST_KEY,
      "GET",
      404,
      "Task history not found",
    ],
    ["unknown path", "/v2/tasks", TEST_KEY, "GET", 404, "Not found"],
    ["malformed escape", "/v2/task/%E0%A4%A/history", TEST_KEY, "GET", 400, "Invalid task id"],
    [
      "POST",
      `/v2/task/${DEMO_TASK_ID}/history`,
      TEST_KEY,
      "POST",
      405,
      "Method POST is not allowed",
    ],
  ];

  for (const [name, path, apikey, method, status, message] of errors) {
    test(`${name} gives ${status}`, async () => {
      const result = await get(`${server.url}${path}`, apikey, method);

      assert.equal(result.status, status);
      assert.deepEqual(result.body, { status: "fail", message });
    });
  }
});

describe("fake served on ::1", () => {
  test("answers over IPv6 loopback", async (context) => {
    const fake = createFakeAngoServer({ apiKey: TEST_KEY, histories: {} });
    let server;
    try {
      server = await serveOnLoopback(fake, "::1");
    } catch {
      context.skip("this machine has no IPv6 loopback address");

      return;
    }

    try {
      const { status } = await get(`${server.url}/v2/task/${DEMO_TASK_ID}/history`);

      assert.match(server.url, /^http:\/\/\[::1\]:\d+$/);
      assert.equal(status, 404);
    } finally {
      await server.close();
    }
  });
});

describe("demo data", () => {
  test("matches the five-stage fixture", () => {
    const fixture = readFixture("synthetic-five-stage-history.json") as {
      data: { taskHistory: { labelTaskId: string }[] };
    };

    assert.deepEqual(DEMO_TASK_HISTORY, fixture.data.taskHistory);
    assert.equal(DEMO_TASK_ID, fixture.data.taskHistory[0]?.labelTaskId);
  });
});
