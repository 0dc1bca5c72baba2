import process from "node:process";
import { parseArgs } from "node:util";
import { isLoopbackHost } from "../base-url.ts";
import { createTaskHistoryClient, type TaskHistoryClient } from "../client.ts";
import { AngoError, AngoInputError } from "../errors.ts";
import type { TaskHistoryEntry } from "../schemas.ts";
import { DEMO_TASK_HISTORY, DEMO_TASK_ID } from "../testing/demo-history.ts";
import { createFakeAngoServer } from "../testing/fake-server.ts";
import { runBatchCommand } from "./batch-command.ts";
import { serveOnLoopback } from "./serve.ts";
import { printable, printableJson } from "./printable.ts";
import { formatTimeline } from "./timeline.ts";
import { UsageError } from "./usage-error.ts";

/** Usage text printed by `--help`. */
export const USAGE = `Usage: ango-task-history (--task-id ID | --task-history-id ID) [options]
       ango-task-history --task-ids-file PATH [options]

Prints the stage history of an Ango Hub labeling task as a timeline, or a stage summary of the
histories of many tasks.

Options:
  --task-id ID           Id of the task (24 hexadecimal characters)
  --task-history-id ID   Id of one history entry (24 hexadecimal characters)
  --task-ids-file PATH   File of task ids, one a line, or - for standard input: prints a
                         summary per stage of all the tasks, and the failed tasks
  --json                 Print the validated response body as JSON instead of a table; with
                         --task-ids-file, one JSON line per task (NDJSON)
  --concurrency N        With --task-ids-file: requests in flight at most (default: 8)
  --requests-per-minute N
                         With --task-ids-file: request starts a minute at most, or Infinity
                         for no limit (default: 100)
  --base-url URL         API root URL (default: https://imeritapi.ango.ai)
  --demo                 Serve a fake API with a five-stage sample task on 127.0.0.1
                         and print its timeline; needs no API key
  -h, --help             Print this help

Environment:
  ANGO_API_KEY           API key of your Ango Hub account (required unless --demo)

Exit status: 0 on success, 1 when the API call or the response fails (for --task-ids-file:
when any task fails), 2 on a usage error.`;

/** Output streams of the CLI. */
export interface CliOutput {
  /** Writes a line; a returned promise resolves when more output may be written. */
  stdout: (text: string) => void | Promise<void>;
  stderr: (text: string) => void;
  /** Writes a progress line over the previous one; set only when stderr is a terminal. */
  progress?: ((line: string, final: boolean) => void) | undefined;
}

/**
 * Runs the CLI with the given arguments and environment, and returns its exit status.
 * Errors are printed as one line on stderr, without a stack trace.
 */
export async function main(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  output: CliOutput,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  try {
    await run(args, env, output, stdin);

    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof AngoInputError) {
      output.stderr(`ango-task-history: ${printable(error.message)} (see --help)`);

      return 2;
    }

    const name = error instanceof AngoError ? `${error.name}: ` : "";
    const message = error instanceof Error ? error.message : String(error);
    output.stderr(`ango-task-history: ${name}${printable(message)}`);

    return 1;
  }
}

async function run(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  output: CliOutput,
  stdin: NodeJS.ReadableStream,
): Promise<void> {
  const options = readOptions(args);
  if (options.help) {
    output.stdout(USAGE);

    return;
  }

  if (options.demo) {
    await runDemo(options, output);

    return;
  }

  const apiKey = env.ANGO_API_KEY;
  if (apiKey === undefined || apiKey === "") {
    throw new UsageError("ANGO_API_KEY is not set: export the API key of your Ango Hub account");
  }

  const client = createTaskHistoryClient({ apiKey, baseUrl: options.baseUrl });
  if (options.taskIdsFile !== undefined) {
    const { taskIdsFile, json, concurrency, requestsPerMinute } = options;
    await runBatchCommand(
      client,
      { taskIdsFile, json, concurrency, requestsPerMinute },
      output,
      stdin,
    );

    return;
  }

  await printHistory(client, options, output);
}

interface CliOptions {
  taskId?: string | undefined;
  taskHistoryId?: string | undefined;
  taskIdsFile?: string | undefined;
  concurrency?: number | undefined;
  requestsPerMinute?: number | undefined;
  json: boolean;
  baseUrl?: string | undefined;
  demo: boolean;
  help: boolean;
}

function readOptions(args: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        "task-id": { type: "string" },
        "task-history-id": { type: "string" },
        "task-ids-file": { type: "string" },
        concurrency: { type: "string" },
        "requests-per-minute": { type: "string" },
        json: { type: "boolean", default: false },
        "base-url": { type: "string" },
        demo: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }

  const options: CliOptions = {
    taskId: values["task-id"],
    taskHistoryId: values["task-history-id"],
    taskIdsFile: values["task-ids-file"],
    concurrency: parseConcurrency(values.concurrency),
    requestsPerMinute: parseRequestsPerMinute(values["requests-per-minute"]),
    json: values.json,
    baseUrl: values["base-url"],
    demo: values.demo,
    help: values.help,
  };
  if (options.help) {
    return options;
  }

  if (options.demo && options.baseUrl !== undefined) {
    throw new UsageError("--demo serves its own fake API and cannot take --base-url");
  }

  if (options.baseUrl !== undefined && isPlainHttpToRemoteHost(options.baseUrl)) {
    throw new UsageError(
      "--base-url must use https: unless the host is 127.0.0.1, ::1 or localhost",
    );
  }

  if (options.taskIdsFile !== undefined) {
    checkBatchOptions(options);

    return options;
  }

  if (options.concurrency !== undefined || options.requestsPerMinute !== undefined) {
    throw new UsageError("--concurrency and --requests-per-minute need --task-ids-file");
  }

  const given = Number(options.taskId !== undefined) + Number(options.taskHistoryId !== undefined);
  if (given === 2) {
    throw new UsageError("Pass either --task-id or --task-history-id, not both");
  }

  if (given === 0 && !options.demo) {
    throw new UsageError(
      "Missing id: pass --task-id ID, --task-history-id ID or --task-ids-file PATH",
    );
  }

  return options;
}

function checkBatchOptions(options: CliOptions): void {
  if (options.taskId !== undefined || options.taskHistoryId !== undefined) {
    throw new UsageError("Pass either --task-ids-file or a single id, not both");
  }

  if (options.demo) {
    throw new UsageError("--demo serves one sample task and cannot take --task-ids-file");
  }

  if (options.taskIdsFile === "") {
    throw new UsageError("--task-ids-file is empty: pass a path, or - for standard input");
  }
}

function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }

  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--concurrency must be a positive integer, got ${JSON.stringify(value)}`);
  }

  return Number(value);
}

function parseRequestsPerMinute(value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }

  if (value === "Infinity") {
    return Infinity;
  }

  if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || !(Number(value) > 0)) {
    throw new UsageError(
      `--requests-per-minute must be a positive number or Infinity, got ${JSON.stringify(value)}`,
    );
  }

  return Number(value);
}

async function runDemo(options: CliOptions, output: CliOutput): Promise<void> {
  const apiKey = `demo-${crypto.randomUUID()}`;
  const fake = createFakeAngoServer({ apiKey, histories: { [DEMO_TASK_ID]: DEMO_TASK_HISTORY } });
  const server = await serveOnLoopback(fake);
  try {
    output.stderr(`Serving a fake Ango API at ${server.url}`);
    const client = createTaskHistoryClient({ apiKey, baseUrl: server.url });
    const selected = options.taskHistoryId === undefined && options.taskId === undefined;
    await printHistory(client, selected ? { ...options, taskId: DEMO_TASK_ID } : options, output);
  } finally {
    await server.close();
  }
}

async function printHistory(
  client: TaskHistoryClient,
  options: CliOptions,
  output: CliOutput,
): Promise<void> {
  let body: { data: { taskHistory: TaskHistoryEntry | TaskHistoryEntry[] } };
  let title: string;
  if (options.taskHistoryId !== undefined) {
    body = await client.getTaskHistory({ taskHistoryId: options.taskHistoryId });
    title = `History entry ${options.taskHistoryId}`;
  } else {
    body = await client.getTaskHistory({ taskId: options.taskId ?? "" });
    title = `Task ${options.taskId}`;
  }

  if (options.json) {
    output.stdout(printableJson(body));

    return;
  }

  const { taskHistory } = body.data;
  const entries = Array.isArray(taskHistory) ? taskHistory : [taskHistory];
  output.stdout(`${title}\n\n${formatTimeline(entries)}`);
}

/**
 * Checks whether a base URL would send the key over plain http to another host. The library
 * rejects it too, but its message names a client option that the CLI does not offer.
 */
function isPlainHttpToRemoteHost(baseUrl: string): boolean {
  try {
    const url = new URL(baseUrl);

    return url.protocol === "http:" && !isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}
