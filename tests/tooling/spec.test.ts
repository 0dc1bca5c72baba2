/**
 * Checks of the OpenAPI spec and the types generated from it. Node only, because the checks
 * run the Redocly and openapi-typescript command-line tools from node_modules.
 */

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { describeRun, ROOT, runTool } from "../helpers/tools.ts";

const SPEC = join(ROOT, "openapi", "ango-task-history.yaml");
const GENERATED = join(ROOT, "generated", "ango-api.ts");

// Redocly CLI 2.x sends telemetry to otel.cloud.redocly.com and checks registry.npmjs.org for a
// newer version, so both are turned off.
const TOOL_ENV = {
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
};

test("spec lints without problems", () => {
  const result = runTool("@redocly/cli", "redocly", ["lint", "--format=json", SPEC], {
    env: TOOL_ENV,
  });

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
    const result = runTool("openapi-typescript", "openapi-typescript", [SPEC, "-o", output], {
      env: TOOL_ENV,
    });
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
