/**
 * Checks of the OpenAPI spec and the types generated from it. Node only, because the checks
 * run the Redocly and openapi-typescript command-line tools from node_modules.
 */

import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SPEC = join(ROOT, "openapi", "ango-task-history.yaml");
const GENERATED = join(ROOT, "generated", "ango-api.ts");

// Redocly CLI 2.x sends telemetry to otel.cloud.redocly.com and checks registry.npmjs.org for a
// newer version, so both are turned off.
const TOOL_ENV = {
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
};

const TOOL_TIMEOUT_MS = 120_000;

/** Returns the script behind a package's command, read from its package.json `bin` field. */
function binScript(packageName: string, command: string): string {
  const packageDir = join(ROOT, "node_modules", packageName);
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    bin: Record<string, string>;
  };
  const script = manifest.bin[command];

  assert.ok(script, `${packageName} has no "${command}" command`);
  return join(packageDir, script);
}

/** Runs a package's command with the current Node binary, without a shell. */
function runTool(packageName: string, command: string, args: string[]): SpawnSyncReturns<string> {
  const result = spawnSync(process.execPath, [binScript(packageName, command), ...args], {
    cwd: ROOT,
    env: TOOL_ENV,
    encoding: "utf8",
    timeout: TOOL_TIMEOUT_MS,
  });

  assert.equal(result.error, undefined, `${command} failed to start: ${result.error}`);
  return result;
}

function describeRun(result: SpawnSyncReturns<string>): string {
  return `exit status ${result.status}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
}

test("spec lints without problems", () => {
  const result = runTool("@redocly/cli", "redocly", ["lint", "--format=json", SPEC]);

  assert.equal(result.status, 0, describeRun(result));

  // Redocly exits with 0 when it finds only warnings, so the totals are checked as well.
  const report = JSON.parse(result.stdout) as { totals: { errors: number; warnings: number } };
  assert.equal(report.totals.errors, 0, describeRun(result));
  assert.equal(report.totals.warnings, 0, describeRun(result));
});

test("generated types match spec", () => {
  const outputDir = mkdtempSync(join(tmpdir(), "ango-generated-"));
  const output = join(outputDir, "ango-api.ts");

  try {
    const result = runTool("openapi-typescript", "openapi-typescript", [SPEC, "-o", output]);
    assert.equal(result.status, 0, describeRun(result));

    const fresh = readFileSync(output);
    const committed = readFileSync(GENERATED);
    assert.ok(
      fresh.equals(committed),
      "generated/ango-api.ts is out of date with openapi/ango-task-history.yaml; " +
        "run `npm run generate` and commit the result",
    );
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
});
