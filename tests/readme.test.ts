import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { DEMO_TASK_HISTORY } from "../src/testing/index.ts";

const root = new URL("../", import.meta.url);

/** Code blocks of the README that follow a `<!-- tested -->` marker. */
function testedExamples(): string[] {
  const readme = readFileSync(new URL("README.md", root), "utf8");
  const blocks = [...readme.matchAll(/<!-- tested -->\s*```ts\n([\s\S]*?)```/g)];

  return blocks.map((match) => match[1] ?? "");
}

/** Rewrites the package imports of an example to the source files of this checkout. */
function useSources(code: string): string {
  const index = new URL("src/index.ts", root).href;
  const testing = new URL("src/testing/index.ts", root).href;

  return code
    .replaceAll('from "ango-task-history/testing"', `from "${testing}"`)
    .replaceAll('from "ango-task-history"', `from "${index}"`);
}

test("README example runs", async () => {
  const examples = testedExamples();
  assert.equal(examples.length, 1);

  const folder = new URL(".tmp/", root);
  mkdirSync(folder, { recursive: true });
  const file = new URL(`readme-example-${process.pid}.ts`, folder);
  writeFileSync(file, useSources(examples[0] ?? ""));

  const printed: string[] = [];
  const originalLog = console.log;
  console.log = (...values: unknown[]) => printed.push(values.join(" "));
  try {
    await import(pathToFileURL(file.pathname).href);
  } finally {
    console.log = originalLog;
    rmSync(file);
  }

  const expected = DEMO_TASK_HISTORY.map(
    (entry) => `${entry.stage} ${entry.assignee ?? "-"} ${entry.duration}`,
  );
  assert.deepEqual(printed, expected);
});
