import createClient, { type Client } from "openapi-fetch";
import type * as v from "valibot";
import type { paths } from "../generated/ango-api.ts";
import { DEFAULT_BASE_URL, parseBaseUrl } from "./base-url.ts";
import { type BatchOptions, runBatch, type SettledTaskResult } from "./batch.ts";
import { runWithRetries } from "./call.ts";
import { AngoInputError } from "./errors.ts";
import { assertApiKey, parseSelector } from "./input.ts";
import {
  type CallOptions,
  type CallSettings,
  type ClientSettings,
  readCallSettings,
  readClientSettings,
  type TaskHistoryClientOptions,
} from "./options.ts";
import { createRedactor, type Redact } from "./redact.ts";
import { readOutcome, type TextOutcome } from "./response.ts";
import { type RetryTiming, SYSTEM_TIMING } from "./retry.ts";
import {
  type TaskHistoryItemResponse,
  TaskHistoryItemResponseSchema,
  type TaskHistoryListResponse,
  TaskHistoryListResponseSchema,
} from "./schemas.ts";
import { createTransport } from "./transport.ts";

/**
 * Serializes the query of every call as empty: the endpoints take none, and openapi-fetch's
 * default serializer walks inherited properties, so a polluted `Object.prototype` would add some.
 */
const noQuery = (): string => "";

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
   * @throws {AngoInputError} before any request when the id or an option is invalid.
   * @throws {AngoApiError} for a non-2xx status, after the retries that it allows.
   * @throws {AngoValidationError} when the body does not match the API schema.
   * @throws {AngoNetworkError} when no response arrives, after the retries.
   * @throws {AngoTimeoutError} when the last attempt takes longer than `timeoutMs`.
   * @throws {AngoRedirectError} for a redirect to another origin, or more than 5 hops.
   */
  getTaskHistory(selector: ByTaskId, options?: CallOptions): Promise<TaskHistoryListResponse>;
  /** Fetches one history entry (`GET /v2/taskHistory/{taskHistoryId}`), with the same errors. */
  getTaskHistory(
    selector: ByTaskHistoryId,
    options?: CallOptions,
  ): Promise<TaskHistoryItemResponse>;
  /** Fetches either, for a selector whose kind is known only at run time. */
  getTaskHistory(
    selector: ByTaskId | ByTaskHistoryId,
    options?: CallOptions,
  ): Promise<TaskHistoryListResponse | TaskHistoryItemResponse>;
  /**
   * Fetches the histories of many tasks, with bounded concurrency and paced request starts, and
   * yields one result per task as it settles, in completion order. A failed task becomes a
   * `rejected` result and the batch goes on; an invalid id is rejected with an
   * {@link AngoInputError} without a request. Each task has the client's retries. While the
   * client waits to send a task again after a 429 response, no other task starts, and a task
   * that fails with a 429 pauses new starts for its `Retry-After` (1 s without one, 60 s at most).
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
 * @throws {AngoInputError} when `apiKey`, `baseUrl` or another option is missing or invalid.
 * @example
 * ```ts
 * const client = createTaskHistoryClient({ apiKey: process.env.ANGO_API_KEY! });
 * const { data } = await client.getTaskHistory({ taskId: "6453677fc47af30015be5a58" });
 * ```
 */
export function createTaskHistoryClient(options: TaskHistoryClientOptions): TaskHistoryClient {
  return createClientWithTiming(options, SYSTEM_TIMING);
}

/**
 * Creates a client whose retry waits and jitter come from `timing`, so that tests can record the
 * waits instead of sleeping. The package does not export it.
 */
export function createClientWithTiming(
  options: TaskHistoryClientOptions,
  timing: RetryTiming,
): TaskHistoryClient {
  const { apiKey, basePath, settings, redact, api } = setUp(options);

  async function getTaskHistory(
    selector: ByTaskId | ByTaskHistoryId,
    callOptions?: CallOptions,
  ): Promise<TaskHistoryListResponse | TaskHistoryItemResponse> {
    const target = parseSelector(selector, apiKey);
    const call = readCallSettings(callOptions, settings);

    if (target.kind === "task") {
      const { taskId } = target;
      const path = `${basePath}/v2/task/${taskId}/history`;

      return send(TaskHistoryListResponseSchema, { ...call, path, timing, redact }, (signal) =>
        api.GET("/v2/task/{taskId}/history", {
          params: { path: { taskId } },
          querySerializer: noQuery,
          parseAs: "text",
          signal,
        }),
      );
    }

    const { taskHistoryId } = target;
    const path = `${basePath}/v2/taskHistory/${taskHistoryId}`;

    return send(TaskHistoryItemResponseSchema, { ...call, path, timing, redact }, (signal) =>
      api.GET("/v2/taskHistory/{taskHistoryId}", {
        params: { path: { taskHistoryId } },
        querySerializer: noQuery,
        parseAs: "text",
        signal,
      }),
    );
  }

  function getTaskHistories(
    taskIds: Iterable<string> | AsyncIterable<string>,
    batchOptions?: BatchOptions,
  ): AsyncIterable<SettledTaskResult<TaskHistoryListResponse>> {
    return runBatch(
      taskIds,
      {
        check: (taskId) => void parseSelector({ taskId }, apiKey),
        run: (taskId, signal, onRetry) =>
          getTaskHistory({ taskId }, { signal, onRetry }) as Promise<TaskHistoryListResponse>,
      },
      batchOptions,
    );
  }

  return Object.freeze({ getTaskHistory, getTaskHistories } as TaskHistoryClient);
}

/** The validated options of a client and the openapi-fetch client that sends its requests. */
interface ClientSetup {
  apiKey: string;
  basePath: string;
  settings: ClientSettings;
  redact: Redact;
  api: Client<paths>;
}

/**
 * Validates the options and creates the openapi-fetch client behind the transport.
 *
 * @throws {AngoInputError} when an option is missing or invalid.
 */
function setUp(options: TaskHistoryClientOptions): ClientSetup {
  if (typeof options !== "object" || options === null) {
    throw new AngoInputError("createTaskHistoryClient expects an options object with apiKey");
  }

  const { apiKey, fetch: fetchImpl = globalThis.fetch } = options;
  const allowInsecureHttp = options.allowInsecureHttp === true;
  assertApiKey(apiKey);
  if (typeof fetchImpl !== "function") {
    throw new AngoInputError("fetch must be a function that takes a Request");
  }

  const { origin, basePath } = parseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL, allowInsecureHttp);
  const settings = readClientSettings(options);
  const redact = createRedactor(apiKey);

  const api = createClient<paths>({
    baseUrl: `${origin}${basePath}`,
    headers: { apikey: apiKey },
    fetch: createTransport((request) => fetchImpl(request), redact, settings.maxBodyBytes),
    redirect: "manual",
  });

  return { apiKey, basePath, settings, redact, api };
}

/** Sends a GET with retries, and validates the body of the response that ends the call. */
function send<TSchema extends v.GenericSchema>(
  schema: TSchema,
  call: CallSettings & { path: string; timing: RetryTiming; redact: Redact },
  request: (signal: AbortSignal) => Promise<TextOutcome>,
): Promise<v.InferOutput<TSchema>> {
  const exchange = { method: "GET", path: call.path, redact: call.redact };
  const plan = { ...call, method: "GET" };

  return runWithRetries(
    async (signal) => readOutcome(schema, await request(signal), exchange),
    plan,
  );
}
