import { createStageAggregator, summarizeHistory } from "../analytics.ts";
import type { SettledTaskResult } from "../batch.ts";
import type { TaskHistoryClient } from "../client.ts";
import type { TaskHistoryListResponse } from "../schemas.ts";
import { type BatchFailure, describeFailure, formatBatchSummary } from "./batch-summary.ts";
import type { CliOutput } from "./main.ts";
import { printableJson } from "./printable.ts";
import { createProgress } from "./progress.ts";
import { countTaskIds, openTaskIdsFile, readTaskIds } from "./task-ids.ts";

/** Number of failed tasks whose error the summary shows. */
const SHOWN_FAILURES = 5;

/** Options of the batch mode of the CLI. */
export interface BatchCommandOptions {
  /** Path of the file of task ids, one a line, or `-` for standard input. */
  taskIdsFile: string;
  /** Writes one JSON line per task instead of the stage summary. */
  json: boolean;
  concurrency?: number | undefined;
  requestsPerMinute?: number | undefined;
}

/**
 * Fetches the history of every task of the ids file and writes NDJSON, one line per task, or
 * a stage summary of all tasks. Shows a progress line when `output.progress` is set.
 *
 * @throws {Error} after the output when at least one task failed, so that the CLI exits with 1.
 */
export async function runBatchCommand(
  client: TaskHistoryClient,
  options: BatchCommandOptions,
  output: CliOutput,
  stdin: NodeJS.ReadableStream,
): Promise<void> {
  const input = await openTaskIdsFile(options.taskIdsFile, stdin);
  const progress = output.progress === undefined ? undefined : createProgress(output.progress);
  if (progress !== undefined && options.taskIdsFile !== "-") {
    progress.setTotal(await countTaskIds(options.taskIdsFile));
  }

  const results = client.getTaskHistories(readTaskIds(input), {
    concurrency: options.concurrency,
    requestsPerMinute: options.requestsPerMinute,
  });
  const aggregator = createStageAggregator();
  const failures: BatchFailure[] = [];
  let settledCount = 0;
  let failedCount = 0;
  for await (const result of results) {
    settledCount++;
    progress?.record(result.status === "fulfilled");
    if (result.status === "rejected") {
      failedCount++;
      if (failures.length < SHOWN_FAILURES) {
        failures.push({ taskId: result.taskId, reason: result.reason });
      }
    }

    if (options.json) {
      await output.stdout(printableJson(toJsonLine(result), 0));
    } else if (result.status === "fulfilled") {
      aggregator.add(summarizeHistory(result.value.data.taskHistory));
    }
  }

  progress?.finish();
  if (!options.json) {
    await output.stdout(formatBatchSummary(aggregator.result(), failures, failedCount));
  }

  if (failedCount > 0) {
    throw new Error(`${failedCount} of ${settledCount} tasks failed`);
  }
}

/** Builds the NDJSON line of one task: the response body, or the name and message of its error. */
function toJsonLine(result: SettledTaskResult<TaskHistoryListResponse>): object {
  if (result.status === "fulfilled") {
    return result;
  }

  const { reason } = result;
  const error =
    reason instanceof Error
      ? { name: reason.name, message: reason.message }
      : { name: "Error", message: describeFailure(reason) };

  return { taskId: result.taskId, status: "rejected", error };
}
