#!/usr/bin/env node
import process from "node:process";
import { type CliOutput, main } from "./main.ts";

// A closed pipe, as in `ango-task-history ... | head -1`, means the reader has all it wants:
// stop quietly instead of crashing with an unhandled EPIPE error and its stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    process.exit(error.code === "EPIPE" ? 0 : 1);
  });
}

const output: CliOutput = {
  // Waiting for "drain" when the pipe is full keeps a batch from buffering its output in memory.
  stdout: (text) => {
    if (!process.stdout.write(`${text}\n`)) {
      return new Promise((resolve) => process.stdout.once("drain", () => resolve()));
    }
  },
  stderr: (text) => process.stderr.write(`${text}\n`),
  // "\r" returns to the start of the line and "\x1b[K" clears what the previous line left.
  progress: process.stderr.isTTY
    ? (line, final) => process.stderr.write(`\r${line}\x1b[K${final ? "\n" : ""}`)
    : undefined,
};

process.exitCode = await main(process.argv.slice(2), process.env, output);
