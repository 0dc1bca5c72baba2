/**
 * Checks that no timer or socket of the client keeps a process alive after a call settles.
 * Node only, because it starts Node, Bun and Deno as child processes, which `deno test` does
 * not permit without `--allow-run`.
 */

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { DEMO_TASK_HISTORY, DEMO_TASK_ID } from "../../src/testing/index.ts";
import { startFake, startStaticServer, TEST_KEY, type TestServer } from "../helpers/servers.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCRIPT = "tests/tooling/fixtures/one-call.ts";

/** Far below the 30 s time limit of the call, and far above a runtime's start-up time. */
const EXIT_LIMIT_MS = 5000;

const RUNTIMES: [string, string, string[]][] = [
  ["Node", process.execPath, ["--import", "tsx", SCRIPT]],
  ["Bun", "node_modules/.bin/bun", [SCRIPT]],
  ["Deno", "node_modules/.bin/deno", ["run", "--allow-net=127.0.0.1", SCRIPT]],
];

interface Exit {
  code: number | null;
  stdout: string;
  elapsedMs: number;
}

/** Runs a command from the repository root and kills it when it outlives the limit. */
function run(command: string, args: string[]): Promise<Exit> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const killer = setTimeout(() => child.kill("SIGKILL"), EXIT_LIMIT_MS + 5000);
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));

  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(killer);
      resolve({ code, stdout: stdout.trim(), elapsedMs: performance.now() - started });
    });
  });
}

const OUTCOMES: [string, () => Promise<TestServer>, string][] = [
  ["success", () => startFake({ [DEMO_TASK_ID]: DEMO_TASK_HISTORY }), "ok 5"],
  ["failure", () => startStaticServer(404, "application/json", "{}"), "failed AngoApiError"],
];

describe("process exit after a call", () => {
  for (const [runtime, command, args] of RUNTIMES) {
    for (const [outcome, startServer, expectedOutput] of OUTCOMES) {
      test(`${runtime} exits after a ${outcome}`, async () => {
        const server = await startServer();
        try {
          const exit = await run(command, [...args, server.url, TEST_KEY, DEMO_TASK_ID]);

          assert.equal(exit.stdout, expectedOutput);
          assert.equal(exit.code, 0);
          assert.ok(exit.elapsedMs < EXIT_LIMIT_MS, `exited after ${exit.elapsedMs} ms`);
        } finally {
          await server.close();
        }
      });
    }
  }
});
