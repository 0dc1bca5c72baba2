/**
 * Runs every benchmark once and prints its figures, its ratio against its baseline, and whether
 * it meets its target. `npm run bench` builds the package first, then runs this file with tsx.
 */

import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { measureBatchThroughput } from "./batch-throughput.ts";
import { measureBundleSizes } from "./bundle-size.ts";
import { measureCallOverhead } from "./call-overhead.ts";
import { loadBuiltLibrary } from "./histories.ts";
import { measureImportTime } from "./import-time.ts";
import type { ComparisonPlan } from "./measure.ts";
import { measureValidation } from "./validation.ts";

const TARGETS = {
  smallRatio: 1.1,
  largeRatio: 1.5,
  batchRatio: 1.2,
  bundleGzip: 6_000,
};

const summary: [string, string, string, boolean][] = [];

function report(name: string, result: string, target: string, met: boolean): void {
  summary.push([name, result, target, met]);
}

function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 3 : 1)} ms`;
}

function kB(bytes: number): string {
  return `${(bytes / 1000).toFixed(2)} kB`;
}

const cpuModel = /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1];
console.log(
  `Node ${process.version}, ${availableParallelism()} cores, ${cpuModel ?? "unknown CPU"}`,
);

const library = await loadBuiltLibrary();

/** Runs one call-overhead comparison and prints and records its figures. */
async function runCallOverhead(
  title: string,
  entries: number,
  parse: "response.json" | "JSON.parse",
  plan: ComparisonPlan,
  targetRatio: number,
): Promise<void> {
  console.log(`\n${title}: getTaskHistory vs fetch + ${parse}, ${entries} entries`);
  const result = await measureCallOverhead(library, entries, parse, plan);
  const rounds = `${plan.rounds} rounds of ${plan.callsPerRound} calls`;
  console.log(`   body ${kB(result.bodyBytes)}, median per call over ${rounds}`);
  console.log(`   fetch + ${parse}: ${ms(result.baselineMs)}`);
  console.log(`   getTaskHistory: ${ms(result.subjectMs)}`);
  console.log(`   ratio ${result.ratio.toFixed(3)} (target <= ${targetRatio})`);
  report(title, result.ratio.toFixed(3), `<= ${targetRatio}`, result.ratio <= targetRatio);
}

await runCallOverhead(
  "1. Per-call overhead",
  20,
  "response.json",
  { warmupCalls: 300, rounds: 30, callsPerRound: 100 },
  TARGETS.smallRatio,
);
await runCallOverhead(
  "2. Large history",
  1_000,
  "JSON.parse",
  { warmupCalls: 10, rounds: 30, callsPerRound: 5 },
  TARGETS.largeRatio,
);

console.log("\n   Validation alone on the same body, median of 30 runs each:");
const validation = await measureValidation(1_000, 30);
console.log(`   JSON.parse: ${ms(validation.parseMs)}   compiled check: ${ms(validation.checkMs)}`);
console.log(`   valibot safeParse: ${ms(validation.valibotMs)} (runs only for an invalid body)`);

console.log("\n3. Batch: 1,000 tasks, 10 ms server latency, concurrency 16, pacing off");
const batch = await measureBatchThroughput(library, {
  tasks: 1_000,
  latencyMs: 10,
  concurrency: 16,
  runs: 5,
});
console.log(
  `   getTaskHistories: ${ms(batch.batchMs)} (median of 5)   ideal: ${ms(batch.idealMs)}`,
);
console.log(`   ratio to ideal ${batch.ratio.toFixed(3)} (target <= ${TARGETS.batchRatio})`);
const bareRatio = (batch.batchMs / batch.bareFetchMs).toFixed(3);
console.log(
  `   16 loops of bare fetch + json: ${ms(batch.bareFetchMs)} (median of 5), ratio ${bareRatio}`,
);
console.log(
  `   sequential loop: ${ms(batch.sequentialMs)}   speed-up ${batch.speedup.toFixed(1)}x`,
);
report(
  "3. Batch vs ideal",
  batch.ratio.toFixed(3),
  `<= ${TARGETS.batchRatio}`,
  batch.ratio <= TARGETS.batchRatio,
);

console.log("\n4. Bundle size: src/index.ts with esbuild, minified ESM, gzip level 9");
const bundle = await measureBundleSizes();
const valibotShare = bundle.totalGzip - bundle.withoutValibotGzip;
console.log(`   total ${kB(bundle.totalGzip)} gzipped (${kB(bundle.totalMinified)} minified)`);
console.log(`   openapi-fetch alone ${kB(bundle.openapiFetchAloneGzip)} gzipped`);
console.log(`   valibot share ${kB(valibotShare)} gzipped (total minus a bundle without valibot)`);
console.log("   minified bytes by source:");
const bySource = Object.entries(bundle.minifiedBySource).sort(
  (first, second) => second[1] - first[1],
);
for (const [source, bytes] of bySource.filter(([, bytes]) => bytes > 0)) {
  console.log(`     ${String(bytes).padStart(6)}  ${source}`);
}
report(
  "4. Bundle size",
  kB(bundle.totalGzip),
  `<= ${kB(TARGETS.bundleGzip)}`,
  bundle.totalGzip <= TARGETS.bundleGzip,
);

console.log("\n5. Import time of dist/src/index.js in a new Node process, 20 runs each");
const importTime = measureImportTime(20);
console.log(`   empty script: ${ms(importTime.emptyMs)}   import: ${ms(importTime.importMs)}`);
console.log(`   import cost ${ms(importTime.differenceMs)} (no target)`);

console.log("\nSummary");
for (const [name, result, target, met] of summary) {
  const verdict = met ? "met" : "NOT met";
  console.log(`  ${name.padEnd(24)} ${result.padStart(9)}  target ${target.padEnd(10)} ${verdict}`);
}
