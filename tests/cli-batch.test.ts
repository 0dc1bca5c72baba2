import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { TaskHistoryEntry } from "../src/index.ts";
import { DEMO_TASK_HISTORY, DEMO_TASK_ID } from "../src/testing/index.ts";
import { runCli } from "./helpers/cli.ts";
import {
  readFixture,
  startFake,
  startRawServer,
  TEST_KEY,
  type TestServer,
} from "./helpers/servers.ts";

const ONE_LABEL_TASK = "64536780c47af30015be5a59";
const UNKNOWN_TASK = "0000000000000000000000ff";
const ENV = { ANGO_API_KEY: TEST_KEY };
const UNPACED = ["--requests-per-minute", "Infinity"];

const folder = new URL(`../.tmp/cli-batch-${process.pid}/`, import.meta.url);

/** Writes a task ids file in a folder of this test run and returns its path. */
function writeIdsFile(name: string, text: string): string {
  mkdirSync(folder, { recursive: true });
  const url = new URL(name, folder);
  writeFileSync(url, text);

  return fileURLToPath(url);
}

function oneLabelHistory(): TaskHistoryEntry[] {
  const body = readFixture("docs-2026-task-history-list.json") as {
    data: { taskHistory: TaskHistoryEntry[] };
  };

  return body.data.taskHistory;
}

describe("CLI batch mode", () => {
  let server: TestServer;
  let batchArgs: (file: string) => string[];

  before(async () => {
    server = await startFake({
      [DEMO_TASK_ID]: DEMO_TASK_HISTORY,
      [ONE_LABEL_TASK]: oneLabelHistory(),
    });
    batchArgs = (file) => ["--task-ids-file", file, "--base-url", server.url, ...UNPACED];
  });

  after(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test("summary covers every stage", async () => {
    const file = writeIdsFile("two.txt", `  ${DEMO_TASK_ID}  \n\n${ONE_LABEL_TASK}\r\n\n`);
    const { code, stdout, stderr } = await runCli(batchArgs(file), ENV);

    assert.equal(code, 0, stderr);
    assert.equal(stderr, "");
    const lines = stdout.split("\n");
    assert.equal(lines[0], "Tasks: 2 (2 succeeded, 0 failed)");
    assert.match(
      lines[2] ?? "",
      /^Stage\s+Tasks\s+Visits\s+Active\s+Idle\s+Blur\s+Rework\s+Skipped$/,
    );
    assert.match(stdout, /\nStart\s+1\s+1\s+0s\s+0s\s+0s\s+0\s+0\n/);
    assert.match(stdout, /\nLabel\s+2\s+3\s+10m 21s\s+46\.5s\s+12s\s+1\s+0\n/);
    assert.match(stdout, /\nReview\s+1\s+2\s+2m 35s\s+0s\s+2\.5s\s+1\s+0\n/);
    assert.match(stdout, /\nTotal\s+2\s+6\s+12m 56s\s+46\.5s\s+14\.5s\s+2\s+0\n/);
    assert.match(
      stdout,
      /\nPaths:\n {2}1 {2}Label\n {2}1 {2}Start > Label > Review > Label > Review$/,
    );
  });

  test("--json writes one line per task", async () => {
    const file = writeIdsFile("json.txt", `${DEMO_TASK_ID}\n${ONE_LABEL_TASK}\n`);
    const { code, stdout } = await runCli([...batchArgs(file), "--json"], ENV);

    assert.equal(code, 0);
    const lines = stdout.split("\n").map((line) => JSON.parse(line));
    assert.equal(lines.length, 2);
    const byId = new Map(lines.map((line) => [line.taskId, line]));
    assert.equal(byId.get(DEMO_TASK_ID)?.status, "fulfilled");
    assert.deepEqual(byId.get(DEMO_TASK_ID)?.value.data.taskHistory, DEMO_TASK_HISTORY);
    assert.equal(byId.get(ONE_LABEL_TASK)?.value.data.total, 1);
  });

  test("failed tasks are listed, exit 1", async () => {
    const file = writeIdsFile("failing.txt", `${DEMO_TASK_ID}\nnot-an-id\n${UNKNOWN_TASK}\n`);
    const { code, stdout, stderr } = await runCli(batchArgs(file), ENV);

    assert.equal(code, 1);
    assert.equal(stderr, "ango-task-history: 2 of 3 tasks failed");
    assert.match(stdout, /^Tasks: 3 \(1 succeeded, 2 failed\)\n/);
    assert.match(stdout, /\nFailed tasks: 2\n/);
    assert.match(stdout, /\n {2}not-an-id: AngoInputError: taskId must be 24 hexadecimal/);
    assert.match(stdout, new RegExp(`\\n {2}${UNKNOWN_TASK}: AngoApiError: .*HTTP 404`));
  });

  test("failures beyond five are counted", async () => {
    const ids = Array.from({ length: 7 }, (_, index) => `bad-${index}`);
    const file = writeIdsFile("seven.txt", ids.join("\n"));
    const { code, stdout } = await runCli(batchArgs(file), ENV);

    assert.equal(code, 1);
    assert.equal(stdout.match(/: AngoInputError: /g)?.length, 5);
    assert.match(stdout, /\n {2}and 2 more$/);
  });

  test("--json failure line names error", async () => {
    const file = writeIdsFile("json-failing.txt", `${UNKNOWN_TASK}\n`);
    const { code, stdout } = await runCli([...batchArgs(file), "--json"], ENV);

    assert.equal(code, 1);
    const line = JSON.parse(stdout);
    assert.equal(line.taskId, UNKNOWN_TASK);
    assert.equal(line.status, "rejected");
    assert.equal(line.error.name, "AngoApiError");
    assert.match(line.error.message, /HTTP 404: Task not found/);
  });

  test("- reads ids from stdin", async () => {
    const stdin = `${ONE_LABEL_TASK}\n${DEMO_TASK_ID}\n`;
    const { code, stdout } = await runCli(batchArgs("-"), ENV, { stdin });

    assert.equal(code, 0);
    assert.match(stdout, /^Tasks: 2 \(2 succeeded, 0 failed\)/);
  });

  test("progress shows on a terminal", async () => {
    const file = writeIdsFile("progress.txt", `${DEMO_TASK_ID}\n\n${UNKNOWN_TASK}\n`);
    const { progress } = await runCli(batchArgs(file), ENV, { progress: true });

    assert.ok(progress.length >= 2, `${progress.length} progress lines`);
    assert.match(progress.at(-1) ?? "", /^2\/2 tasks: 1 succeeded, 1 failed, \d+\.\d\/s$/);
  });

  test("no progress without a terminal", async () => {
    const file = writeIdsFile("quiet.txt", `${DEMO_TASK_ID}\n`);
    const { progress, stderr } = await runCli(batchArgs(file), ENV);

    assert.deepEqual(progress, []);
    assert.equal(stderr, "");
  });
});

describe("CLI batch options", () => {
  test("--concurrency bounds requests", async () => {
    let open = 0;
    let maxOpen = 0;
    const body = JSON.stringify({ status: "success", data: { taskHistory: [], total: 0 } });
    const server = await startRawServer((_request, response) => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      setTimeout(() => {
        open--;
        response.writeHead(200, { "content-type": "application/json" });
        response.end(body);
      }, 50);
    });
    try {
      const ids = Array.from({ length: 8 }, (_, index) => index.toString(16).padStart(24, "0"));
      const args = ["--task-ids-file", "-", "--base-url", server.url, ...UNPACED];
      const stdin = ids.join("\n");
      const { code } = await runCli([...args, "--concurrency", "2"], ENV, { stdin });

      assert.equal(code, 0);
      assert.equal(server.requests.length, 8);
      assert.ok(maxOpen <= 2, `${maxOpen} requests were open at once`);
    } finally {
      await server.close();
    }
  });

  const file = ["--task-ids-file", "ids.txt"];
  const cases: [string, string[], RegExp][] = [
    ["zero concurrency", [...file, "--concurrency", "0"], /--concurrency must be a positive/],
    ["fractional concurrency", [...file, "--concurrency", "1.5"], /got "1\.5"/],
    ["word as concurrency", [...file, "--concurrency", "many"], /got "many"/],
    ["zero requests a minute", [...file, "--requests-per-minute", "0"], /or Infinity, got "0"/],
    ["negative requests a minute", [...file, "--requests-per-minute=-5"], /got "-5"/],
    ["concurrency without file", ["--task-id", DEMO_TASK_ID, "--concurrency", "2"], /need/],
    ["file and a task id", [...file, "--task-id", DEMO_TASK_ID], /not both/],
    ["file with demo", [...file, "--demo"], /--demo/],
    ["missing ids file", ["--task-ids-file", "/nonexistent/ids.txt"], /Cannot read/],
  ];

  for (const [name, args, message] of cases) {
    test(`${name} exits 2`, async () => {
      const { code, stdout, stderr } = await runCli(args, ENV);

      assert.equal(code, 2);
      assert.equal(stdout, "");
      assert.match(stderr, message);
    });
  }
});
