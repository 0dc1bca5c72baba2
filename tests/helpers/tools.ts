/**
 * Runs the command-line tools of dev dependencies from node_modules, for the Node-only tests in
 * `tests/tooling/` and `tests/package/`.
 */

import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Root folder of this repository. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

const TOOL_TIMEOUT_MS = 120_000;

/** Options of {@link runTool}. */
export interface RunToolOptions {
  /**
   * Working folder.
   * @default ROOT
   */
  cwd?: string;
  /**
   * Environment of the tool.
   * @default process.env
   */
  env?: NodeJS.ProcessEnv;
}

/** Returns the script behind a package's command, read from its package.json `bin` field. */
export function binScript(packageName: string, command: string): string {
  const packageDir = join(ROOT, "node_modules", packageName);
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    bin: string | Record<string, string>;
  };
  const script = typeof manifest.bin === "string" ? manifest.bin : manifest.bin[command];

  assert.ok(script, `${packageName} has no "${command}" command`);
  return join(packageDir, script);
}

/** Runs a package's command with the current Node binary, without a shell. */
export function runTool(
  packageName: string,
  command: string,
  args: string[],
  options: RunToolOptions = {},
): SpawnSyncReturns<string> {
  const result = spawnSync(process.execPath, [binScript(packageName, command), ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    encoding: "utf8",
    timeout: TOOL_TIMEOUT_MS,
  });

  assert.equal(result.error, undefined, `${command} failed to start: ${result.error}`);
  return result;
}

/** Formats the exit status and output of a finished command for an assertion message. */
export function describeRun(result: SpawnSyncReturns<string>): string {
  return `exit status ${result.status}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
}
