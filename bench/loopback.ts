import { Worker } from "node:worker_threads";
import type { Route } from "./server-worker.ts";

/** A benchmark server on 127.0.0.1, running in a worker thread. */
export interface BenchServer {
  /** Base URL of the server, without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

/** Starts the server of `server-worker.ts` with the given routes. */
export async function startBenchServer(routes: Record<string, Route>): Promise<BenchServer> {
  // A worker of Node 20 does not inherit the tsx loader, so the worker starts from a script that
  // registers tsx and then imports the TypeScript file.
  const entry = new URL("./server-worker.ts", import.meta.url).href;
  const script = `import("tsx/esm/api").then(({ register }) => {
    register();
    return import(${JSON.stringify(entry)});
  });`;
  const worker = new Worker(script, { eval: true, workerData: routes });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });

  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      worker.postMessage("close");
      await new Promise((resolve) => worker.once("exit", resolve));
    },
  };
}
