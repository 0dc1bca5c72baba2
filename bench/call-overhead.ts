import { type BuiltLibrary, BENCH_KEY, benchTaskId, historyBody } from "./histories.ts";
import { startBenchServer } from "./loopback.ts";
import { type Comparison, type ComparisonPlan, compare } from "./measure.ts";

/** Time per `getTaskHistory` call against a bare `fetch` of the same bytes. */
export interface CallOverhead extends Comparison {
  entries: number;
  bodyBytes: number;
}

/**
 * Times `getTaskHistory` for a history of `entries` entries against a bare `fetch` of the same
 * response, parsed with `response.json()` or with `JSON.parse` of `response.text()`. The client
 * validates the body against the schema as well; the bare call does not.
 */
export async function measureCallOverhead(
  library: BuiltLibrary,
  entries: number,
  parse: "response.json" | "JSON.parse",
  plan: ComparisonPlan,
): Promise<CallOverhead> {
  const body = historyBody(entries);
  const server = await startBenchServer({ history: { body, latencyMs: 0 } });
  try {
    const baseUrl = `${server.url}/history`;
    const taskId = benchTaskId(1);
    const url = `${baseUrl}/v2/task/${taskId}/history`;
    const headers = { apikey: BENCH_KEY };
    const client = library.createTaskHistoryClient({ apiKey: BENCH_KEY, baseUrl });
    const checked = await client.getTaskHistory({ taskId });
    if (checked.data.taskHistory.length !== entries) {
      throw new Error(`the client read ${checked.data.taskHistory.length} entries, not ${entries}`);
    }

    const bareFetch =
      parse === "response.json"
        ? async () => (await fetch(url, { headers })).json()
        : async () => JSON.parse(await (await fetch(url, { headers })).text());
    const comparison = await compare(bareFetch, () => client.getTaskHistory({ taskId }), plan);

    return { ...comparison, entries, bodyBytes: body.byteLength };
  } finally {
    await server.close();
  }
}
