import type * as Library from "../src/index.ts";
import { DEMO_TASK_HISTORY } from "../src/testing/index.ts";

/** The exports of the built package, `dist/src/index.js`, which `npm run bench` builds first. */
export type BuiltLibrary = typeof Library;

/** Imports the built package, so that the benchmarks measure the code that users run. */
export async function loadBuiltLibrary(): Promise<BuiltLibrary> {
  return (await import(new URL("../dist/src/index.js", import.meta.url).href)) as BuiltLibrary;
}

/** API key that the benchmark clients send; the benchmark server does not check it. */
export const BENCH_KEY = "bench-key-5d1e9a";

/** Returns a valid task id made from `index`. */
export function benchTaskId(index: number): string {
  return index.toString(16).padStart(24, "0");
}

/**
 * Encodes the body of a `GET /v2/task/{taskId}/history` response with `entries` entries, made
 * from the five entries of the demo history with distinct ids.
 */
export function historyBody(entries: number): Uint8Array {
  const taskHistory = Array.from({ length: entries }, (_, index) => {
    const template = DEMO_TASK_HISTORY[index % DEMO_TASK_HISTORY.length];

    return { ...template, _id: benchTaskId(index), id: benchTaskId(index) };
  });

  return new TextEncoder().encode(
    JSON.stringify({ status: "success", data: { taskHistory, total: entries } }),
  );
}
