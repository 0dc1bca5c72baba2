import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import { UsageError } from "./usage-error.ts";

/**
 * Opens a file of task ids, one a line, or standard input for `-`. The file is opened before
 * the batch starts, so that a missing file fails before any request.
 *
 * @throws {UsageError} with the system error message when the file cannot be opened.
 */
export async function openTaskIdsFile(
  path: string,
  stdin: NodeJS.ReadableStream,
): Promise<NodeJS.ReadableStream> {
  if (path === "-") {
    return stdin;
  }

  try {
    const handle = await open(path, "r");

    return handle.createReadStream({ encoding: "utf8" });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`Cannot read --task-ids-file: ${reason}`);
  }
}

/**
 * Reads task ids from a stream, one a line, without reading the whole stream first. Surrounding
 * spaces and blank lines are skipped, and `\r\n` line ends are accepted.
 */
export async function* readTaskIds(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const taskId = line.trim();
      if (taskId !== "") {
        yield taskId;
      }
    }
  } finally {
    lines.close();
  }
}

/** Counts the task ids of a file, without keeping them, to show the total in the progress line. */
export async function countTaskIds(path: string): Promise<number> {
  let count = 0;
  for await (const _taskId of readTaskIds(createReadStream(path, { encoding: "utf8" }))) {
    count++;
  }

  return count;
}
