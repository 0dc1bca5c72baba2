import type { TaskHistoryEntry } from "../schemas.ts";

/** A standard fetch handler, as taken by `Deno.serve`, `Bun.serve` and the client's `fetch`. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** Options of {@link createFakeAngoServer}. */
export interface FakeAngoServerOptions {
  /** The only API key that the fake accepts in the `apikey` header. */
  apiKey: string;
  /** Histories served by the fake, by task id. Entries are found by their `_id`. */
  histories: Readonly<Record<string, readonly TaskHistoryEntry[]>>;
}

const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const TASK_HISTORY_PATH = /\/v2\/task\/([^/]*)\/history$/;
const ENTRY_PATH = /\/v2\/taskHistory\/([^/]*)$/;

/**
 * Creates an in-memory fake of the two task history endpoints of Ango Hub.
 *
 * It responds like the real API: 200 with the documented envelopes, 401 for a missing or wrong
 * `apikey`, 400 for an id that is not 24 hexadecimal characters, and 404 for an unknown id or
 * path. Ids match in any letter case, as MongoDB ObjectIds do. Paths may carry any prefix before
 * `/v2`, as behind a proxy.
 *
 * @example
 * ```ts
 * const fake = createFakeAngoServer({ apiKey: "test-key", histories: { [taskId]: entries } });
 * const client = createTaskHistoryClient({ apiKey: "test-key", fetch: fake });
 * ```
 */
export function createFakeAngoServer(options: FakeAngoServerOptions): FetchHandler {
  const { apiKey } = options;
  const histories = new Map<string, readonly TaskHistoryEntry[]>();
  const entries = new Map<string, TaskHistoryEntry>();
  for (const [taskId, history] of Object.entries(options.histories)) {
    histories.set(taskId.toLowerCase(), history);
    for (const entry of history) {
      entries.set(entry._id.toLowerCase(), entry);
    }
  }

  return async (request) => {
    if (request.headers.get("apikey") !== apiKey) {
      return fail(401, "Invalid API key");
    }

    if (request.method !== "GET") {
      return fail(405, `Method ${request.method} is not allowed`);
    }

    const { pathname } = new URL(request.url);
    const taskMatch = TASK_HISTORY_PATH.exec(pathname);
    if (taskMatch !== null) {
      const taskId = decodePathId(taskMatch[1]);
      if (!OBJECT_ID.test(taskId)) {
        return fail(400, "Invalid task id");
      }

      const history = histories.get(taskId.toLowerCase());
      if (history === undefined) {
        return fail(404, "Task not found");
      }

      return succeed({ taskHistory: history, total: history.length });
    }

    const entryMatch = ENTRY_PATH.exec(pathname);
    if (entryMatch !== null) {
      const entryId = decodePathId(entryMatch[1]);
      if (!OBJECT_ID.test(entryId)) {
        return fail(400, "Invalid task history id");
      }

      const entry = entries.get(entryId.toLowerCase());

      return entry === undefined
        ? fail(404, "Task history not found")
        : succeed({ taskHistory: entry });
    }

    return fail(404, "Not found");
  };
}

/** Decodes a path segment; a malformed escape yields an empty, and so invalid, id. */
function decodePathId(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? "");
  } catch {
    return "";
  }
}

function succeed(data: unknown): Response {
  return Response.json({ status: "success", data });
}

function fail(status: number, message: string): Response {
  return Response.json({ status: status >= 500 ? "error" : "fail", message }, { status });
}
