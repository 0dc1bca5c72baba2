import assert from "node:assert/strict";
import { test } from "node:test";
import { createProgress } from "../src/cli/progress.ts";

test("progress lines are throttled", () => {
  let now = 1_000;
  const lines: [string, boolean][] = [];
  const progress = createProgress(
    (line, final) => lines.push([line, final]),
    () => now,
  );
  progress.setTotal(10);
  progress.record(true);
  now += 100;
  progress.record(true);
  now += 200;
  progress.record(false);
  progress.finish();

  assert.deepEqual(lines, [
    ["1/10 tasks: 1 succeeded, 0 failed, 0.0/s", false],
    ["3/10 tasks: 2 succeeded, 1 failed, 10.0/s, ETA 0.7s", false],
    ["3/10 tasks: 2 succeeded, 1 failed, 10.0/s, ETA 0.7s", true],
  ]);
});

test("progress without total has no ETA", () => {
  let now = 0;
  const lines: string[] = [];
  const progress = createProgress(
    (line) => lines.push(line),
    () => now,
  );
  now = 2_000;
  progress.record(true);
  progress.finish();

  assert.deepEqual(lines, [
    "1 task: 1 succeeded, 0 failed, 0.5/s",
    "1 task: 1 succeeded, 0 failed, 0.5/s",
  ]);
});
