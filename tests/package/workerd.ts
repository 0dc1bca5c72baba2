/**
 * Runs the smoke check in Cloudflare's workerd: bundles `consumer/worker.mjs` with esbuild, writes
 * a workerd config, serves the worker on a free port of 127.0.0.1 and requests it once.
 */

import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { build } from "esbuild";

/** The workerd package: the path of its binary for this platform and its latest compatibility date. */
const workerd = createRequire(import.meta.url)("workerd") as {
  default: string;
  compatibilityDate: string;
};

const STARTUP_ATTEMPTS = 100;
const STARTUP_DELAY_MS = 100;
const REQUEST_TIMEOUT_MS = 30_000;

/** Status and body of the worker's response. */
export interface WorkerResult {
  status: number;
  body: string;
  /** What workerd printed on stderr, for assertion messages. */
  log: string;
}

/** Returns a TCP port of 127.0.0.1 that was free a moment ago. */
async function findFreePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();

  if (address === null || typeof address === "string") {
    throw new Error("the probe server has no TCP address");
  }

  return address.port;
}

/**
 * Builds the workerd config. The service named `internet`, which backs the global `fetch` of
 * every worker, may connect to loopback addresses only, so the worker reaches the test's fake
 * API and nothing else.
 */
function workerdConfig(port: number, bindings: Record<string, string>): string {
  const textBindings = Object.entries(bindings)
    .map(
      ([name, value]) => `    (name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)}),`,
    )
    .join("\n");

  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "smoke", worker = .smokeWorker),
    (name = "internet", network = (allow = ["127.0.0.0/8", "::1/128"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "smoke")],
);

const smokeWorker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.bundle.mjs")],
  compatibilityDate = "${workerd.compatibilityDate}",
  bindings = [
${textBindings}
  ],
  globalOutbound = "internet",
);
`;
}

/**
 * Bundles the worker in `project`, serves it with workerd and returns its response to one request.
 * `bindings` become text bindings of the worker's `env`.
 */
export async function runWorker(
  project: string,
  bindings: Record<string, string>,
): Promise<WorkerResult> {
  await build({
    entryPoints: [join(project, "worker.mjs")],
    outfile: join(project, "worker.bundle.mjs"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    logLevel: "silent",
  });

  const port = await findFreePort();
  const configPath = join(project, "workerd.capnp");
  writeFileSync(configPath, workerdConfig(port, bindings));

  const child = spawn(workerd.default, ["serve", configPath], {
    cwd: project,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    log += chunk;
  });
  const exited = once(child, "exit");

  try {
    for (let attempt = 0; attempt < STARTUP_ATTEMPTS && child.exitCode === null; attempt++) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`, {
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });

        return { status: response.status, body: await response.text(), log };
      } catch {
        await sleep(STARTUP_DELAY_MS);
      }
    }

    throw new Error(`workerd did not respond on 127.0.0.1:${port}:\n${log}`);
  } finally {
    child.kill();
    await exited;
  }
}
