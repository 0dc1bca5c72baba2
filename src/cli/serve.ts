import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FetchHandler } from "../testing/fake-server.ts";

/** A fetch handler served over HTTP on a loopback address. */
export interface LoopbackServer {
  /** Base URL of the server, for example `http://127.0.0.1:43121`. */
  url: string;
  /** Stops the server and closes its open connections. */
  close(): Promise<void>;
}

/**
 * Serves a fetch handler with `node:http`, which Node, Bun and Deno all provide, on an unused
 * port of `host`. Request bodies are dropped, because the task history endpoints take none. A
 * handler that throws gets a 500 response.
 */
export async function serveOnLoopback(
  handler: FetchHandler,
  host: "127.0.0.1" | "::1" = "127.0.0.1",
): Promise<LoopbackServer> {
  const server = createServer((incoming, outgoing) => {
    void respond(handler, incoming, outgoing, loopback.url);
  });
  const loopback = await listenOnLoopback(server, host);

  return loopback;
}

/**
 * Starts `server` on an unused port of `host`. Closing it also closes open keep-alive
 * connections, so that it stops at once.
 */
export async function listenOnLoopback(
  server: Server,
  host: "127.0.0.1" | "::1" = "127.0.0.1",
): Promise<LoopbackServer> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });

  const { port } = server.address() as AddressInfo;

  return {
    url: host === "::1" ? `http://[::1]:${port}` : `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

async function respond(
  handler: FetchHandler,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  baseUrl: string,
): Promise<void> {
  try {
    const request = toRequest(incoming, baseUrl);
    const response = await handler(request);
    const body = new Uint8Array(await response.arrayBuffer());
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(body);
  } catch {
    outgoing.writeHead(500, { "content-type": "application/json" });
    outgoing.end(JSON.stringify({ status: "error", message: "Fake server failed" }));
  }
}

function toRequest(incoming: IncomingMessage, baseUrl: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    for (const item of Array.isArray(value) ? value : [value ?? ""]) {
      headers.append(name, item);
    }
  }

  incoming.resume();

  return new Request(new URL(incoming.url ?? "/", baseUrl), {
    method: incoming.method ?? "GET",
    headers,
  });
}
