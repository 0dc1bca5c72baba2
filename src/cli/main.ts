import { parseArgs } from "node:util";
import { createTaskHistoryClient, type TaskHistoryClient } from "../client.ts";
import { AngoError, AngoInputError } from "../errors.ts";
import type { TaskHistoryEntry } from "../schemas.ts";
import { DEMO_TASK_HISTORY, DEMO_TASK_ID } from "../testing/demo-history.ts";
import { createFakeAngoServer } from "../testing/fake-server.ts";
import { serveOnLoopback } from "./serve.ts";
import { printable, printableJson } from "./printable.ts";
import { formatTimeline } from "./timeline.ts";

/** Usage text printed by `--help`. */
export const USAGE = `Usage: ango-task-history (--task-id ID | --task-history-id ID) [options]

Prints the stage history of an Ango Hub labeling task as a timeline.

Options:
  --task-id ID           Id of the task (24 hexadecimal characters)
  --task-history-id ID   Id of one history entry (24 hexadecimal characters)
  --json                 Print the validated response body as JSON instead of a table
  --base-url URL         API root URL (default: https://imeritapi.ango.ai)
  --demo                 Serve a fake API with a five-stage sample task on 127.0.0.1
                         and print its timeline; needs no API key
  -h, --help             Print this help

Environment:
  ANGO_API_KEY           API key of your Ango Hub account (required unless --demo)

Exit status: 0 on success, 1 when the API call or the response fails, 2 on a usage error.`;

/** Where the CLI writes its output. */
export interface CliOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

class UsageError extends Error {}

/**
 * Runs the CLI with the given arguments and environment, and returns its exit status.
 * Errors are printed as one line on stderr, without a stack trace.
 */
export async function main(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  output: CliOutput,
): Promise<number> {
  try {
    await run(args, env, output);

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
  await printHistory(client, options, output);
}

interface CliOptions {
  taskId?: string | undefined;
  taskHistoryId?: string | undefined;
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

  const given = Number(options.taskId !== undefined) + Number(options.taskHistoryId !== undefined);
  if (given === 2) {
    throw new UsageError("Pass either --task-id or --task-history-id, not both");
  }

  if (given === 0 && !options.demo) {
    throw new UsageError("Missing id: pass --task-id ID or --task-history-id ID");
  }

  return options;
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
