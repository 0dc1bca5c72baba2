import { type BuiltLibrary, BENCH_KEY, benchTaskId, historyBody } from "./histories.ts";
import { startBenchServer } from "./loopback.ts";
import { median } from "./measure.ts";

/** Settings of the batch benchmark. */
export interface BatchPlan {
  tasks: number;
  latencyMs: number;
  concurrency: number;
  /** Timed batches; the median is reported. */
  runs: number;
}

/** Wall times of a batch and of a sequential loop over the same tasks. */
export interface BatchThroughput {
  batchMs: number;
  /** `tasks * latencyMs / concurrency`: the time if only the server latency counted. */
  idealMs: number;
  /** `batchMs / idealMs`. */
  ratio: number;
  sequentialMs: number;
  /** `sequentialMs / batchMs`. */
  speedup: number;
  /**
   * `concurrency` loops of bare `fetch` plus `response.json()` over the same tasks: what the
   * machine's HTTP client reaches at that concurrency, without validation or pacing.
   */
  bareFetchMs: number;
}

/**
 * Times `getTaskHistories` over `tasks` tasks, each served after `latencyMs` with the
 * five-entry demo history, with pacing off, and a sequential loop of `getTaskHistory` calls
 * over the same tasks, as the Python SDK runs them.
 */
export async function measureBatchThroughput(
  library: BuiltLibrary,
  plan: BatchPlan,
): Promise<BatchThroughput> {
  const server = await startBenchServer({
    slow: { body: historyBody(5), latencyMs: plan.latencyMs },
  });
  try {
    const client = library.createTaskHistoryClient({
      apiKey: BENCH_KEY,
      baseUrl: `${server.url}/slow`,
    });
    const taskIds = Array.from({ length: plan.tasks }, (_, index) => benchTaskId(index));
    const options = { concurrency: plan.concurrency, requestsPerMinute: Infinity };
    const runBatch = async (ids: string[]): Promise<number> => {
      const startedAt = performance.now();
      for await (const result of client.getTaskHistories(ids, options)) {
        if (result.status === "rejected") {
          throw result.reason;
        }
      }

      return performance.now() - startedAt;
    };

    await runBatch(taskIds.slice(0, 100));
    const batchTimes: number[] = [];
    for (let run = 0; run < plan.runs; run++) {
      batchTimes.push(await runBatch(taskIds));
    }

    const bareFetchTimes: number[] = [];
    for (let run = 0; run < plan.runs; run++) {
      bareFetchTimes.push(await runBareFetchLoops(`${server.url}/slow`, taskIds, plan.concurrency));
    }

    const sequentialStart = performance.now();
    for (const taskId of taskIds) {
      await client.getTaskHistory({ taskId });
    }

    const sequentialMs = performance.now() - sequentialStart;
    const batchMs = median(batchTimes);
    const idealMs = (plan.tasks * plan.latencyMs) / plan.concurrency;

    return {
      batchMs,
      idealMs,
      ratio: batchMs / idealMs,
      sequentialMs,
      speedup: sequentialMs / batchMs,
      bareFetchMs: median(bareFetchTimes),
    };
  } finally {
    await server.close();
  }
}

/** Runs `concurrency` loops that each fetch and parse every `concurrency`-th task. */
async function runBareFetchLoops(
  baseUrl: string,
  taskIds: readonly string[],
  concurrency: number,
): Promise<number> {
  const headers = { apikey: BENCH_KEY };
  const startedAt = performance.now();
  const loops = Array.from({ length: concurrency }, async (_, first) => {
    for (let index = first; index < taskIds.length; index += concurrency) {
      const response = await fetch(`${baseUrl}/v2/task/${taskIds[index]}/history`, { headers });
      await response.json();
    }
  });
  await Promise.all(loops);

  return performance.now() - startedAt;
}
