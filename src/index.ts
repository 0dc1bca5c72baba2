/**
 * Typed client for the task stage history endpoints of the iMerit Ango Hub REST API.
 *
 * ```ts
 * import { createTaskHistoryClient } from "ango-task-history";
 *
 * const client = createTaskHistoryClient({ apiKey: "..." });
 * const { data } = await client.getTaskHistory({ taskId: "6453677fc47af30015be5a58" });
 * for (const entry of data.taskHistory) console.log(entry.stage, entry.duration);
 * ```
 *
 * @module
 */

export {
  type BatchSummary,
  createStageAggregator,
  type HistorySummary,
  type PathCount,
  type StageAggregate,
  type StageAggregator,
  type StageSummary,
  type StageTotals,
  summarizeHistory,
} from "./analytics.ts";
export { DEFAULT_BASE_URL } from "./base-url.ts";
export {
  type BatchOptions,
  DEFAULT_CONCURRENCY,
  DEFAULT_REQUESTS_PER_MINUTE,
  type SettledTaskResult,
} from "./batch.ts";
export {
  type ByTaskHistoryId,
  type ByTaskId,
  createTaskHistoryClient,
  type TaskHistoryClient,
} from "./client.ts";
export {
  AngoApiError,
  AngoError,
  AngoInputError,
  AngoNetworkError,
  AngoRedirectError,
  type AngoResponseDetails,
  AngoTimeoutError,
  AngoValidationError,
  type AngoValidationIssue,
} from "./errors.ts";
export type { CallOptions, RetryListener, TaskHistoryClientOptions } from "./options.ts";
export { MAX_RETRY_AFTER_MS, type RetryableError, type RetryEvent } from "./retry.ts";
export type {
  AngoErrorBody,
  Asset,
  TaskHistoryEntry,
  TaskHistoryItemResponse,
  TaskHistoryListResponse,
} from "./schemas.ts";
export type { FetchFunction } from "./transport.ts";
