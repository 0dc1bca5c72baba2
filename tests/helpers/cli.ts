import { Readable } from "node:stream";
import { main } from "../../src/cli/main.ts";

/** What one run of the CLI wrote, and its exit status. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Progress lines, when the run had a progress output. */
  progress: string[];
}

/** Options of {@link runCli}. */
export interface RunOptions {
  /** Text of standard input. */
  stdin?: string;
  /** Gives the CLI a progress output, as when stderr is a terminal. */
  progress?: boolean;
}

/** Runs the CLI in this process, with its output collected. */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  options: RunOptions = {},
): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const progress: string[] = [];
  const output = {
    stdout: (text: string) => void stdout.push(text),
    stderr: (text: string) => void stderr.push(text),
    progress: options.progress === true ? (line: string) => void progress.push(line) : undefined,
  };
  const code = await main(args, env, output, Readable.from([options.stdin ?? ""]));

  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n"), progress };
}
