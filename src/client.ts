import createClient from "openapi-fetch";
import type { paths } from "../generated/ango-api.ts";
import { DEFAULT_BASE_URL, parseBaseUrl } from "./base-url.ts";
import { type BatchOptions, runBatch, type SettledTaskResult } from "./batch.ts";
import { AngoInputError } from "./errors.ts";
import { assertApiKey, assertSignal, parseSelector } from "./input.ts";
import { type Exchange, readOutcome } from "./response.ts";
import {
  type TaskHistoryItemResponse,
  TaskHistoryItemResponseSchema,
  type TaskHistoryListResponse,
  TaskHistoryListResponseSchema,
} from "./schemas.ts";
import { createTransport, type FetchFunction } from "./transport.ts";

/**
 * Serializes the query of every call as empty: the endpoints take none, and openapi-fetch's
 * default serializer walks inherited properties, so a polluted `Object.prototype` would add some.
 */
const noQuery = (): string => "";

/** Options of {@link createTaskHistoryClient}. */
export interface TaskHistoryClientOptions {
  /** Ango Hub API key, sent in the `apikey` header to the origin of `baseUrl` only. */
  apiKey: string;
  /**
   * Root URL of the API, without `/v2`. A path prefix is kept, for a proxy.
   * @default "https://imeritapi.ango.ai"
   */
  baseUrl?: string | undefined;
  /**
   * `fetch` implementation, for edge runtimes and tests. It receives a `Request`.
   * @default globalThis.fetch
   */
  fetch?: FetchFunction | undefined;
  /**
   * Permits an `http:` base URL on a host other than loopback, which sends the key unencrypted.
   * @default false
   */
  allowInsecureHttp?: boolean | undefined;
}

/** Options of one call. */
export interface CallOptions {
  /** Cancels the call. The promise then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** Selects the history of one task. */
export interface ByTaskId {
  /** Id of the labeling task: 24 hexadecimal characters. */
  taskId: string;
  taskHistoryId?: undefined;
}

/** Selects one entry of a task history. */
export interface ByTaskHistoryId {
  /** Id of the history entry: 24 hexadecimal characters. */
  taskHistoryId: string;
  taskId?: undefined;
}

/** Client of the two task history endpoints. */
export interface TaskHistoryClient {
  /**
   * Fetches every stage history entry of a task (`GET /v2/task/{taskId}/history`).
   *
   * @throws {AngoInputError} before any request when the id is invalid.
   * @throws {AngoApiError} for a non-2xx status.
   * @throws {AngoValidationError} when the body does not match the API schema.
   */
  getTaskHistory(selector: ByTaskId, options?: CallOptions): Promise<TaskHistoryListResponse>;
  /** Fetches one history entry (`GET /v2/taskHistory/{taskHistoryId}`). */
  getTaskHistory(
    selector: ByTaskHistoryId,
    options?: CallOptions,
  ): Promise<TaskHistoryItemResponse>;
  /**
   * Fetches the histories of many tasks, with bounded concurrency and paced request starts, and
   * yields one result per task as it settles, in completion order. A failed task becomes a
   * `rejected` result and the batch goes on; an invalid id is rejected with an
   * {@link AngoInputError} without a request. After a 429 response every new start waits for
   * the server's `Retry-After` (or a backoff), and the task is sent again, at most 4 times.
   *
   * @param taskIds ids of the tasks, read lazily: an array, a generator or an async iterable.
   * @throws {AngoInputError} at once when `taskIds` is not iterable or an option is invalid.
   * @example
   * ```ts
   * for await (const result of client.getTaskHistories(taskIds, { concurrency: 4 })) {
   *   if (result.status === "fulfilled") console.log(result.taskId, result.value.data.total);
   * }
   * ```
   */
  getTaskHistories(
    taskIds: Iterable<string> | AsyncIterable<string>,
    options?: BatchOptions,
  ): AsyncIterable<SettledTaskResult<TaskHistoryListResponse>>;
}

/**
 * Creates a client of the task history endpoints.
 *
 * @throws {AngoInputError} when `apiKey` is missing or invalid, or `baseUrl` is invalid.
 * @example
 * ```ts
 * const client = createTaskHistoryClient({ apiKey: process.env.ANGO_API_KEY! });
 * const { data } = await client.getTaskHistory({ taskId: "6453677fc47af30015be5a58" });
 * ```
 */
export function createTaskHistoryClient(options: TaskHistoryClientOptions): TaskHistoryClient {
  if (typeof options !== "object" || options === null) {
    throw new AngoInputError("createTaskHistoryClient expects an options object with apiKey");
  }

  const { apiKey, fetch: fetchImpl = globalThis.fetch, allowInsecureHttp = false } = options;
  assertApiKey(apiKey);
  if (typeof fetchImpl !== "function") {
    throw new AngoInputError("fetch must be a function that takes a Request");
  }

  const { origin, basePath } = parseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL, allowInsecureHttp);
  const redact = (text: string): string => text.replaceAll(apiKey, "[redacted]");

  const api = createClient<paths>({
    baseUrl: `${origin}${basePath}`,
    headers: { apikey: apiKey },
    fetch: createTransport((request) => fetchImpl(request)),
    redirect: "manual",
  });

  async function getTaskHistory(
    selector: ByTaskId | ByTaskHistoryId,
    callOptions: CallOptions = {},
  ): Promise<TaskHistoryListResponse | TaskHistoryItemResponse> {
    const target = parseSelector(selector, apiKey);
    const { signal } = callOptions;
    assertSignal(signal);

    if (target.kind === "task") {
      const outcome = await api.GET("/v2/task/{taskId}/history", {
        params: { path: { taskId: target.taskId } },
        querySerializer: noQuery,
        parseAs: "text",
        signal,
      });
      const exchange = exchangeOf(`${basePath}/v2/task/${target.taskId}/history`);

      return readOutcome(TaskHistoryListResponseSchema, outcome, exchange);
    }

    const outcome = await api.GET("/v2/taskHistory/{taskHistoryId}", {
      params: { path: { taskHistoryId: target.taskHistoryId } },
      querySerializer: noQuery,
      parseAs: "text",
      signal,
    });
    const exchange = exchangeOf(`${basePath}/v2/taskHistory/${target.taskHistoryId}`);

    return readOutcome(TaskHistoryItemResponseSchema, outcome, exchange);
  }

  function exchangeOf(path: string): Exchange {
    return { method: "GET", path, redact };
  }

  function getTaskHistories(
    taskIds: Iterable<string> | AsyncIterable<string>,
    batchOptions?: BatchOptions,
  ): AsyncIterable<SettledTaskResult<TaskHistoryListResponse>> {
    return runBatch(
      taskIds,
      {
        check: (taskId) => void parseSelector({ taskId }, apiKey),
        run: (taskId, signal) =>
          getTaskHistory({ taskId }, { signal }) as Promise<TaskHistoryListResponse>,
      },
      batchOptions,
    );
  }

  return Object.freeze({ getTaskHistory, getTaskHistories } as TaskHistoryClient);
}
