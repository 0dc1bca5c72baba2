/**
 * Type-level tests of the public client API. `tsc -p tsconfig.json` checks this file; it is
 * never run. Each `@ts-expect-error` line must fail to compile, or tsc reports the directive
 * as unused.
 */
import {
  type AngoApiError,
  type ByTaskHistoryId,
  type ByTaskId,
  type AngoNetworkError,
  type AngoTimeoutError,
  createTaskHistoryClient,
  type RetryEvent,
  type TaskHistoryEntry,
  type TaskHistoryItemResponse,
  type TaskHistoryListResponse,
} from "../../src/index.ts";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

const client = createTaskHistoryClient({ apiKey: "key" });
const taskId = "729fae923d5a4fd12aabfe22";

// A task id selects the list endpoint and its envelope.
const list = client.getTaskHistory({ taskId });
export type ListResult = Assert<Equal<typeof list, Promise<TaskHistoryListResponse>>>;

// A task history id selects the single-entry endpoint and its envelope.
const item = client.getTaskHistory({ taskHistoryId: taskId });
export type ItemResult = Assert<Equal<typeof item, Promise<TaskHistoryItemResponse>>>;

// A selector whose kind is known only at run time gives either envelope.
declare const selector: ByTaskId | ByTaskHistoryId;
const either = client.getTaskHistory(selector, { maxRetries: 0 });
export type EitherResult = Assert<
  Equal<typeof either, Promise<TaskHistoryListResponse | TaskHistoryItemResponse>>
>;

export async function readFields(): Promise<void> {
  const { data } = await list;
  const entries: TaskHistoryEntry[] = data.taskHistory;
  const total: number = data.total;
  const single: TaskHistoryEntry = (await item).data.taskHistory;
  const assignee: string | null | undefined = single.assignee;
  void [entries, total, assignee];
}

// @ts-expect-error Both ids at once are rejected: the call would be ambiguous.
client.getTaskHistory({ taskId, taskHistoryId: taskId });

// @ts-expect-error One of the two ids is required.
client.getTaskHistory({});

// @ts-expect-error The selector object is required.
client.getTaskHistory();

// @ts-expect-error Ids are strings, not numbers.
client.getTaskHistory({ taskId: 42 });

// @ts-expect-error An unknown property is not a selector.
client.getTaskHistory({ id: taskId });

// @ts-expect-error The API key is required.
createTaskHistoryClient({});

// @ts-expect-error The API key is a string.
createTaskHistoryClient({ apiKey: 42 });

// A batch yields settled results whose `value` is the list envelope.
export async function readBatch(ids: AsyncIterable<string>): Promise<void> {
  for await (const result of client.getTaskHistories(ids, { concurrency: 4 })) {
    if (result.status === "fulfilled") {
      const value: TaskHistoryListResponse = result.value;
      void value;
    } else {
      const reason: unknown = result.reason;
      // @ts-expect-error A rejected result has no value.
      void [reason, result.value];
    }
  }
}

// @ts-expect-error Batch ids are strings.
client.getTaskHistories([42]);

// @ts-expect-error Batch options are named; there is no `limit`.
client.getTaskHistories([taskId], { limit: 4 });

// The error of a retry event is one of the three retryable errors, so callers can narrow it.
export type RetryError = Assert<
  Equal<RetryEvent["error"], AngoApiError | AngoNetworkError | AngoTimeoutError>
>;

// An onRetry listener may return a value or a promise, which the client ignores.
createTaskHistoryClient({ apiKey: "key", onRetry: async (event) => event.delayMs });
client.getTaskHistory({ taskId }, { onRetry: (event) => [event.attempt], maxRetries: 0 });

// @ts-expect-error timeoutMs is a number of milliseconds, not a string.
createTaskHistoryClient({ apiKey: "key", timeoutMs: "30s" });

// @ts-expect-error A call takes no retryDelayMs: backoff is set on the client.
client.getTaskHistory({ taskId }, { retryDelayMs: 10 });
