import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "./measure.ts";

/** Median wall time of a Node process that imports the built package, and of an empty one. */
export interface ImportTime {
  emptyMs: number;
  importMs: number;
  /** `importMs - emptyMs`: the cost of the import. */
  differenceMs: number;
}

/**
 * Starts `runs` Node processes that import `dist/src/index.js` and `runs` that run an empty
 * script, alternating, and returns the median wall time of each.
 */
export function measureImportTime(runs: number): ImportTime {
  const folder = mkdtempSync(join(tmpdir(), "ango-import-time-"));
  try {
    const empty = join(folder, "empty.mjs");
    const importing = join(folder, "import.mjs");
    const packageEntry = new URL("../dist/src/index.js", import.meta.url).href;
    writeFileSync(empty, "");
    writeFileSync(importing, `import ${JSON.stringify(packageEntry)};\n`);

    const emptyTimes: number[] = [];
    const importTimes: number[] = [];
    for (let run = 0; run < runs; run++) {
      emptyTimes.push(timeProcess(empty));
      importTimes.push(timeProcess(importing));
    }

    const emptyMs = median(emptyTimes);
    const importMs = median(importTimes);

    return { emptyMs, importMs, differenceMs: importMs - emptyMs };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function timeProcess(script: string): number {
  const startedAt = performance.now();
  const result = spawnSync(process.execPath, [script], { stdio: "inherit" });
  if (result.status !== 0) {
    throw new Error(`node ${script} exited with ${result.status}`);
  }

  return performance.now() - startedAt;
}
