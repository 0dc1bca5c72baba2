import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { DEMO_TASK_HISTORY, DEMO_TASK_ID } from "../../src/testing/index.ts";
import { startFake, TEST_KEY } from "../helpers/servers.ts";
import { ROOT } from "../helpers/tools.ts";

test("batch on a pipe shows no progress", async () => {
  const server = await startFake({ [DEMO_TASK_ID]: DEMO_TASK_HISTORY });
  try {
    const args = ["--task-ids-file", "-", "--base-url", server.url, "--requests-per-minute", "60"];
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/bin.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, ANGO_API_KEY: TEST_KEY },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(`${DEMO_TASK_ID}\n${DEMO_TASK_ID}\n`);
    const code = await new Promise((resolve) => child.on("close", resolve));

    assert.equal(stderr, "");
    assert.equal(code, 0);
    assert.match(stdout, /^Tasks: 2 \(2 succeeded, 0 failed\)\n/);
  } finally {
    await server.close();
  }
});
