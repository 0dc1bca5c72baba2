/**
 * An in-memory fake of the Ango Hub task history endpoints, for testing code that uses the
 * client without the real API or a key.
 *
 * ```ts
 * import { createTaskHistoryClient } from "ango-task-history";
 * import { createFakeAngoServer, DEMO_TASK_HISTORY, DEMO_TASK_ID } from "ango-task-history/testing";
 *
 * const fake = createFakeAngoServer({
 *   apiKey: "test-key",
 *   histories: { [DEMO_TASK_ID]: DEMO_TASK_HISTORY },
 * });
 * const client = createTaskHistoryClient({ apiKey: "test-key", fetch: fake });
 * ```
 *
 * @module
 */

export { DEMO_TASK_HISTORY, DEMO_TASK_ID } from "./demo-history.ts";
export {
  createFakeAngoServer,
  type FakeAngoServerOptions,
  type FetchHandler,
} from "./fake-server.ts";
