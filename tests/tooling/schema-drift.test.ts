/**
 * Checks the regeneration workflow of the README: after a change to the spec and
 * `npm run generate`, type checking `tests/types/schemas-match.check.ts` fails at each schema that
 * no longer matches the generated types. Node only, because it runs openapi-typescript and tsc.
 *
 * The spec, the generated types, `src/schemas.ts` and the check are copied into a temporary tree
 * under `.tmp/`, so that the repository stays unchanged and `valibot` still resolves from
 * node_modules.
 */

import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { describeRun, ROOT, runTool } from "../helpers/tools.ts";

const CHECK_FILE = "tests/types/schemas-match.check.ts";
const ENTRY_HEADING = "\n    TaskHistoryEntry:\n";
const PROPERTIES_HEADING = "\n      properties:\n";
const EXTRA_PROPERTY = [
  "        reviewScore:",
  "          type: number",
  "          description: Score that a reviewer gave the task at this stage.",
  "",
].join("\n");

let tree = "";

/** Copies the files that the drift check reads into a new folder below `.tmp/`. */
before(() => {
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  tree = mkdtempSync(join(ROOT, ".tmp", "schema-drift-"));

  for (const file of ["openapi/ango-task-history.yaml", "generated/ango-api.ts", CHECK_FILE]) {
    cpSync(join(ROOT, file), join(tree, file));
  }

  cpSync(join(ROOT, "src"), join(tree, "src"), { recursive: true });
  writeFileSync(
    join(tree, "tsconfig.json"),
    JSON.stringify({ extends: join(ROOT, "tsconfig.json"), include: [CHECK_FILE] }),
  );
});

after(() => {
  rmSync(tree, { recursive: true, force: true });
});

/** Adds an optional `reviewScore` number to `TaskHistoryEntry` in the copied spec. */
function addFieldToSpec(): void {
  const specPath = join(tree, "openapi", "ango-task-history.yaml");
  const spec = readFileSync(specPath, "utf8");
  const entryStart = spec.indexOf(ENTRY_HEADING);
  assert.notEqual(entryStart, -1, "TaskHistoryEntry schema not found in the spec");

  const propertiesEnd = spec.indexOf(PROPERTIES_HEADING, entryStart) + PROPERTIES_HEADING.length;
  assert.ok(propertiesEnd > entryStart, "TaskHistoryEntry has no properties in the spec");

  writeFileSync(
    specPath,
    spec.slice(0, propertiesEnd) + EXTRA_PROPERTY + spec.slice(propertiesEnd),
  );
}

test("drift check names changed schemas", () => {
  addFieldToSpec();
  const generate = runTool("openapi-typescript", "openapi-typescript", [
    join(tree, "openapi", "ango-task-history.yaml"),
    "-o",
    join(tree, "generated", "ango-api.ts"),
  ]);
  assert.equal(generate.status, 0, describeRun(generate));
  assert.match(
    readFileSync(join(tree, "generated", "ango-api.ts"), "utf8"),
    /reviewScore\?: number/,
  );

  const result = runTool("typescript", "tsc", ["-p", join(tree, "tsconfig.json")]);
  assert.notEqual(result.status, 0, describeRun(result));

  // One error for each schema that contains an entry, on its line of the check, and none
  // elsewhere: the error body schema still matches, and the copied tree itself compiles.
  const errorCount = result.stdout.match(/error TS\d+/g)?.length ?? 0;
  const checkSource = readFileSync(join(tree, CHECK_FILE), "utf8").split("\n");
  const failedLines = [
    ...result.stdout.matchAll(/schemas-match\.check\.ts\((\d+),\d+\): error/g),
  ].map((match) => checkSource[Number(match[1]) - 1]?.trim());
  assert.deepEqual(failedLines, [
    "Assert<SameShape<EntryOutput, TaskHistoryEntry>>,",
    "Assert<SameShape<ListResponseOutput, TaskHistoryListResponse>>,",
    "Assert<SameShape<ItemResponseOutput, TaskHistoryItemResponse>>,",
  ]);
  assert.equal(errorCount, failedLines.length, result.stdout);
});
