#!/usr/bin/env node
import process from "node:process";
import { main } from "./main.ts";

const output = {
  stdout: (text: string) => process.stdout.write(`${text}\n`),
  stderr: (text: string) => process.stderr.write(`${text}\n`),
};

process.exitCode = await main(process.argv.slice(2), process.env, output);
