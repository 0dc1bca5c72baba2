import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTaskHistoryClient } from "../src/index.ts";
import type { TaskHistoryEntry } from "../src/schemas.ts";
import { createFakeAngoServer, DEMO_TASK_HISTORY, DEMO_TASK_ID } from "../src/testing/index.ts";
import {
  readFixture,
  readFixtureText,
  startFake,
  startStaticServer,
  TEST_KEY,
  type TestServer,
} from "./helpers/servers.ts";

const REVIEW_ENTRY_ID = "791e558e08baa7196b50ac2f";

describe("getTaskHistory against the fake on loopback", () => {
  let server: TestServer;

  before(async () => {
    server = await startFake({ [DEMO_TASK_ID]: DEMO_TASK_HISTORY });
  });

  after(() => server.close());

  test("taskId returns the whole history", async () => {
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
    const body = await client.getTaskHistory({ taskId: DEMO_TASK_ID });

    assert.equal(body.status, "success");
    assert.equal(body.data.total, 5);
    assert.deepEqual(
      body.data.taskHistory.map((entry) => entry.stage),
      ["Start", "Label", "Review", "Label", "Review"],
    );
    assert.deepEqual(body, readFixture("synthetic-five-stage-history.json"));
  });

  test("taskHistoryId returns one entry", async () => {
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
    const body = await client.getTaskHistory({ taskHistoryId: REVIEW_ENTRY_ID });

    assert.equal(body.data.taskHistory._id, REVIEW_ENTRY_ID);
    assert.equal(body.data.taskHistory.stage, "Review");
  });

  test("requests carry the apikey header and exact paths", async () => {
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
    const before = server.requests.length;
    await client.getTaskHistory({ taskId: DEMO_TASK_ID });
    await client.getTaskHistory({ taskHistoryId: REVIEW_ENTRY_ID });

    assert.deepEqual(server.requests.slice(before), [
      { method: "GET", path: `/v2/task/${DEMO_TASK_ID}/history`, apikey: TEST_KEY },
      { method: "GET", path: `/v2/taskHistory/${REVIEW_ENTRY_ID}`, apikey: TEST_KEY },
    ]);
  });

  test("baseUrl with trailing slashes works", async () => {
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: `${server.url}//` });
    const before = server.requests.length;
    await client.getTaskHistory({ taskId: DEMO_TASK_ID });

    assert.equal(server.requests[before]?.path, `/v2/task/${DEMO_TASK_ID}/history`);
  });

  test("baseUrl path prefix is kept", async () => {
    const client = createTaskHistoryClient({
      apiKey: TEST_KEY,
      baseUrl: `${server.url}/proxy/ango/`,
    });
    const before = server.requests.length;
    const body = await client.getTaskHistory({ taskId: DEMO_TASK_ID });

    assert.equal(body.data.total, 5);
    assert.equal(server.requests[before]?.path, `/proxy/ango/v2/task/${DEMO_TASK_ID}/history`);
  });

  test("uppercase hex ids are accepted", async () => {
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
    const before = server.requests.length;
    const body = await client.getTaskHistory({ taskId: DEMO_TASK_ID.toUpperCase() });

    assert.equal(body.data.total, 5);

    assert.equal(server.requests[before]?.path, `/v2/task/${DEMO_TASK_ID.toUpperCase()}/history`);
  });
});

describe("getTaskHistory with an injected fetch", () => {
  test("fake handler works as fetch", async () => {
    const fake = createFakeAngoServer({
      apiKey: TEST_KEY,
      histories: { [DEMO_TASK_ID]: DEMO_TASK_HISTORY },
    });
    const seen: string[] = [];
    const client = createTaskHistoryClient({
      apiKey: TEST_KEY,
      fetch: (request) => {
        seen.push(request.url);

        return fake(request);
      },
    });
    const body = await client.getTaskHistory({ taskId: DEMO_TASK_ID });

    assert.equal(body.data.taskHistory.length, 5);
    assert.deepEqual(seen, [`https://imeritapi.ango.ai/v2/task/${DEMO_TASK_ID}/history`]);
  });
});

describe("documented response shapes", () => {
  const cases: { fixture: string; kind: "task" | "entry"; stages: string[] }[] = [
    { fixture: "docs-2026-task-history-list.json", kind: "task", stages: ["Label"] },
    { fixture: "docs-2023-task-history-item.json", kind: "entry", stages: ["Label"] },
    {
      fixture: "synthetic-five-stage-history.json",
      kind: "task",
      stages: ["Start", "Label", "Review", "Label", "Review"],
    },
  ];

  for (const { fixture, kind, stages } of cases) {
    test(`${fixture} validates unchanged`, async () => {
      const server = await startStaticServer(200, "application/json", readFixtureText(fixture));
      try {
        const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
        const body =
          kind === "task"
            ? await client.getTaskHistory({ taskId: DEMO_TASK_ID })
            : await client.getTaskHistory({ taskHistoryId: REVIEW_ENTRY_ID });
        const { taskHistory } = body.data;
        const entries: TaskHistoryEntry[] = Array.isArray(taskHistory)
          ? taskHistory
          : [taskHistory];

        assert.deepEqual(body, readFixture(fixture));
        assert.deepEqual(
          entries.map((entry) => entry.stage),
          stages,
        );
      } finally {
        await server.close();
      }
    });
  }

  test("unknown fields are kept", async () => {
    const body = readFixture("docs-2026-task-history-list.json") as {
      data: { taskHistory: Record<string, unknown>[]; futureField?: unknown };
    };
    body.data.futureField = { added: true };
    const entry = body.data.taskHistory[0];
    assert.ok(entry);
    entry.reviewScore = 0.75;
    const server = await startStaticServer(200, "application/json", JSON.stringify(body));
    try {
      const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
      const result = await client.getTaskHistory({ taskId: DEMO_TASK_ID });

      assert.deepEqual(result.data.taskHistory[0]?.reviewScore, 0.75);
      assert.deepEqual((result.data as Record<string, unknown>).futureField, { added: true });
    } finally {
      await server.close();
    }
  });
});
