#!/usr/bin/env node
import process from "node:process";
import { main } from "./main.ts";

// A closed pipe, as in `ango-task-history ... | head -1`, means the reader has all it wants:
// stop quietly instead of crashing with an unhandled EPIPE error and its stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    process.exit(error.code === "EPIPE" ? 0 : 1);
  });
}

const output = {
  stdout: (text: string) => process.stdout.write(`${text}\n`),
  stderr: (text: string) => process.stderr.write(`${text}\n`),
};

process.exitCode = await main(process.argv.slice(2), process.env, output);
