/**
 * Checks the npm package as users get it. The packed tarball must pass publint and Are the Types
 * Wrong. Once it is installed into a scratch project, its CLI must run, and the library, imported
 * by name, must work on this Node, Node 24, Bun, Deno and workerd. Node only: the other runtimes
 * are npm dev dependencies that this file starts.
 */

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { DEMO_TASK_HISTORY, DEMO_TASK_ID } from "../../src/testing/index.ts";
import { startFake, TEST_KEY, type TestServer } from "../helpers/servers.ts";
import { binScript, describeRun, ROOT, runTool } from "../helpers/tools.ts";
import { createScratchProject, runNpm, type ScratchProject } from "./scratch.ts";
import { runWorker } from "./workerd.ts";

const RUNTIME_TIMEOUT_MS = 60_000;
const require = createRequire(import.meta.url);
const runFile = promisify(execFile);

let scratch: ScratchProject;
let fake: TestServer;

before(async () => {
  scratch = createScratchProject();
  fake = await startFake({ [DEMO_TASK_ID]: DEMO_TASK_HISTORY });
});

after(async () => {
  await fake?.close();
  if (scratch !== undefined) {
    rmSync(scratch.folder, { recursive: true, force: true });
  }
});

/** What `consumer/smoke.mjs` records for one client, on any runtime. */
const EXPECTED_CALLS = {
  list: {
    status: "success",
    total: DEMO_TASK_HISTORY.length,
    stages: DEMO_TASK_HISTORY.map((entry) => entry.stage),
  },
  item: { status: "success", id: DEMO_TASK_HISTORY[2]?._id },
  unauthorized: { thrown: true, name: "AngoApiError", isAngoError: true, status: 401 },
  invalidId: { thrown: true, name: "AngoInputError", isAngoError: true, status: null },
};

interface SmokeRecord {
  runtime: string;
  injectedFetch: unknown;
  loopback: unknown;
}

function packageVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8"));

  return (manifest as { version: string }).version;
}

/** Runs `consumer/main.mjs` in the scratch project with a runtime's command line. */
async function runMain(command: string, args: string[]): Promise<SmokeRecord> {
  const { stdout } = await runFile(command, [...args, "main.mjs", fake.url, TEST_KEY], {
    cwd: scratch.project,
    timeout: RUNTIME_TIMEOUT_MS,
  });

  return JSON.parse(stdout) as SmokeRecord;
}

function assertCalls(record: SmokeRecord): void {
  assert.deepEqual(record.injectedFetch, EXPECTED_CALLS, "client with the fake as fetch");
  assert.deepEqual(record.loopback, EXPECTED_CALLS, "client with the fake on 127.0.0.1");
}

describe("npm tarball", () => {
  test("publint reports nothing", () => {
    const result = runTool("publint", "publint", ["run", "--strict", scratch.tarball]);

    assert.equal(result.status, 0, describeRun(result));
    assert.match(result.stdout, /All good!/, describeRun(result));
  });

  test("attw finds no problem", () => {
    const args = [scratch.tarball, "--profile", "esm-only", "--no-definitely-typed", "-f", "json"];
    const result = runTool("@arethetypeswrong/cli", "attw", args);

    assert.equal(result.status, 0, describeRun(result));
  });

  test("CLI bin is executable", () => {
    // npm packs file modes as they are on disk, so the build must set the executable bits.
    const built = join(ROOT, "dist", "src", "cli", "bin.js");
    assert.equal(statSync(built).mode & 0o111, 0o111, "dist/src/cli/bin.js is not executable");

    const installed = join(
      scratch.project,
      "node_modules",
      "ango-task-history",
      "dist/src/cli/bin.js",
    );
    assert.match(readFileSync(installed, "utf8"), /^#!\/usr\/bin\/env node\n/);
  });

  test("npx runs installed CLI", () => {
    const result = runNpm(
      ["exec", "--offline", "--", "ango-task-history", "--demo"],
      scratch.project,
    );

    assert.equal(result.status, 0, describeRun(result));
    assert.match(result.stdout, /^Task [0-9a-f]{24}\n/);
    assert.match(result.stdout, /\nTotal: 5 entries, /);
  });
});

describe("installed package", { concurrency: true }, () => {
  test("runs on this Node", async () => {
    const nodePath = realpathSync(process.execPath);
    assert.ok(
      !nodePath.startsWith(join(ROOT, "node_modules")),
      `npm scripts run ${nodePath}: run npm ci, whose prepare script removes node_modules/.bin/node`,
    );

    const record = await runMain(process.execPath, []);

    assert.equal(record.runtime, `node ${process.versions.node}`);
    assertCalls(record);
  });

  test("runs on Node 24", async () => {
    const node24 = join(require.resolve("node24/package.json"), "..", "bin", "node");
    const record = await runMain(node24, []);

    assert.equal(record.runtime, `node ${packageVersion("node24")}`);
    assert.match(record.runtime, /^node 24\./);
    assertCalls(record);
  });

  test("runs on Bun", async () => {
    const record = await runMain(join(ROOT, "node_modules", "bun", "bin", "bun.exe"), []);

    assert.equal(record.runtime, `bun ${packageVersion("bun")}`);
    assertCalls(record);
  });

  test("runs on Deno", async () => {
    const deno = [binScript("deno", "deno"), "run", "--allow-net=127.0.0.1"];
    const record = await runMain(process.execPath, deno);

    assert.equal(record.runtime, `deno ${packageVersion("deno")}`);
    assertCalls(record);
  });

  test("runs on workerd", async () => {
    const result = await runWorker(scratch.project, { FAKE_API_URL: fake.url, API_KEY: TEST_KEY });
    assert.equal(result.status, 200, `${result.body}\n${result.log}`);

    const record = JSON.parse(result.body) as SmokeRecord;
    assert.equal(record.runtime, "Cloudflare-Workers");
    assertCalls(record);
  });
});
