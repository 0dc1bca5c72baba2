/**
 * HTTP server of the benchmarks, run in a worker thread so that its work does not share the
 * event loop of the client being measured. It serves precomputed bodies by path prefix:
 * `/<name>/...` returns the body registered under `name`, after that body's latency.
 */

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parentPort, workerData } from "node:worker_threads";

/** One body that the server returns. */
export interface Route {
  body: Uint8Array;
  latencyMs: number;
}

const routes = workerData as Record<string, Route>;

const server = createServer((request, response) => {
  const name = (request.url ?? "").split("/")[1] ?? "";
  const route = routes[name];
  if (route === undefined) {
    response.writeHead(404).end();

    return;
  }

  const send = (): void => {
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": route.body.byteLength,
    });
    response.end(route.body);
  };
  if (route.latencyMs > 0) {
    setTimeout(send, route.latencyMs);
  } else {
    send();
  }
});

server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  parentPort?.postMessage((server.address() as AddressInfo).port);
});

parentPort?.on("message", () => {
  server.closeAllConnections();
  server.close(() => parentPort?.close());
});
