import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { DEMO_TASK_HISTORY, DEMO_TASK_ID } from "../../src/testing/index.ts";
import { startFake, TEST_KEY, type TestServer } from "../helpers/servers.ts";
import { ROOT } from "../helpers/tools.ts";

interface Exit {
  code: number | null;
  stderr: string;
}

/**
 * Runs the CLI in its own Node process. With `closeAfterFirstChunk`, stdout is closed after the
 * first chunk arrives, as `| head -1` does.
 */
function runBin(args: string[], closeAfterFirstChunk: boolean): Promise<Exit> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/bin.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ANGO_API_KEY: TEST_KEY },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.once("data", () => {
    if (closeAfterFirstChunk) {
      child.stdout.destroy();
    }
  });

  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

describe("CLI process", () => {
  let server: TestServer;

  before(async () => {
    const template = DEMO_TASK_HISTORY[1];
    assert.ok(template);
    const entries = Array.from({ length: 3000 }, (_, index) => ({
      ...template,
      _id: index.toString(16).padStart(24, "0"),
    }));
    server = await startFake({ [DEMO_TASK_ID]: entries });
  });

  after(() => server.close());

  for (const format of ["table", "json"]) {
    test(`closed stdout ends quietly (${format})`, async () => {
      const args = ["--task-id", DEMO_TASK_ID, "--base-url", server.url];
      const { code, stderr } = await runBin(format === "json" ? [...args, "--json"] : args, true);

      assert.equal(stderr, "");
      assert.equal(code, 0);
    });
  }

  test("usage error exits 2 with one line", async () => {
    const { code, stderr } = await runBin(["--task-id", "a/b"], false);

    assert.equal(code, 2);
    assert.match(stderr, /^ango-task-history: taskId must be 24 hexadecimal characters.*\n$/);
  });
});
