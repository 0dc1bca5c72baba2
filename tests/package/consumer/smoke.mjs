/**
 * Calls the installed package, imported by name, and records what each call returned or threw.
 * Every runtime runs this same file, and the test in `tests/package/` compares the records with
 * the expected values, so the checks stay in one place.
 */

import { AngoError, createTaskHistoryClient } from "ango-task-history";
import { createFakeAngoServer, DEMO_TASK_HISTORY, DEMO_TASK_ID } from "ango-task-history/testing";

/**
 * Runs the calls twice: with the in-memory fake passed as `fetch`, and with the runtime's own
 * `fetch` against the fake API served by the test at `baseUrl`.
 */
export async function runSmokeChecks(baseUrl, apiKey) {
  const fake = createFakeAngoServer({ apiKey, histories: { [DEMO_TASK_ID]: DEMO_TASK_HISTORY } });

  return {
    runtime: describeRuntime(),
    injectedFetch: await recordCalls({ apiKey, fetch: fake }),
    loopback: await recordCalls({ apiKey, baseUrl }),
  };
}

async function recordCalls(options) {
  const client = createTaskHistoryClient(options);
  const list = await client.getTaskHistory({ taskId: DEMO_TASK_ID });
  const entryId = DEMO_TASK_HISTORY[2]._id;
  const item = await client.getTaskHistory({ taskHistoryId: entryId });

  const wrongKeyClient = createTaskHistoryClient({ ...options, apiKey: `${options.apiKey}-wrong` });
  const unauthorized = await recordFailure(() =>
    wrongKeyClient.getTaskHistory({ taskId: DEMO_TASK_ID }),
  );
  const invalidId = await recordFailure(() => client.getTaskHistory({ taskId: "not-an-id" }));

  return {
    list: {
      status: list.status,
      total: list.data.total,
      stages: list.data.taskHistory.map((entry) => entry.stage),
    },
    item: { status: item.status, id: item.data.taskHistory._id },
    unauthorized,
    invalidId,
  };
}

async function recordFailure(call) {
  try {
    await call();

    return { thrown: false };
  } catch (error) {
    return {
      thrown: true,
      name: error.name,
      isAngoError: error instanceof AngoError,
      status: error.status ?? null,
    };
  }
}

/**
 * Names the runtime and its version, for example `node 24.22.3` or `bun 1.4.5`. Workers come
 * before Node because recent workerd compatibility dates define a Node-like `process` global.
 */
function describeRuntime() {
  if (globalThis.navigator?.userAgent === "Cloudflare-Workers") {
    return navigator.userAgent;
  }

  if (typeof Deno !== "undefined") {
    return `deno ${Deno.version.deno}`;
  }

  if (typeof Bun !== "undefined") {
    return `bun ${Bun.version}`;
  }

  if (typeof process !== "undefined" && process.release?.name === "node") {
    return `node ${process.versions.node}`;
  }

  return "unknown";
}
