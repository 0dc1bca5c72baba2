import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createTcpServer, type Socket } from "node:net";
import { listenOnLoopback, serveOnLoopback } from "../../src/cli/serve.ts";
import type { TaskHistoryEntry } from "../../src/schemas.ts";
import { createFakeAngoServer } from "../../src/testing/fake-server.ts";

/** A request as a test server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  apikey: string | null;
}

/** A server started by a test on a loopback address. */
export interface TestServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** A test server that also counts the TCP connections that it accepted. */
export interface CountingServer extends TestServer {
  connections(): number;
}

/** API key accepted by the servers that the tests start. */
export const TEST_KEY = "test-key-3f9c2a7b1d";

/** Reads a JSON file from `tests/fixtures`. */
export function readFixture(name: string): unknown {
  return JSON.parse(readFixtureText(name));
}

/** Reads a file from `tests/fixtures` as text. */
export function readFixtureText(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
}

/** Serves the fake Ango API on 127.0.0.1 and records every request it receives. */
export async function startFake(
  histories: Record<string, readonly TaskHistoryEntry[]>,
): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const fake = createFakeAngoServer({ apiKey: TEST_KEY, histories });
  const server = await serveOnLoopback((request) => {
    requests.push(describe(request.method, new URL(request.url).pathname, request.headers));

    return fake(request);
  });

  return { url: server.url, requests, close: () => server.close() };
}

/** Starts a plain `node:http` server on 127.0.0.1 that responds through `listener`. */
export async function startRawServer(
  listener: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<CountingServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((request, response) => {
    const headers = new Headers();
    const apikey = request.headers.apikey;
    if (typeof apikey === "string") {
      headers.set("apikey", apikey);
    }

    requests.push(describe(request.method ?? "", request.url ?? "", headers));
    listener(request, response);
  });
  let connections = 0;
  server.on("connection", () => connections++);
  const { url, close } = await listenOnLoopback(server);

  return { url, requests, connections: () => connections, close };
}

/** Starts a server that responds to every request with one status, content type and body. */
export function startStaticServer(
  status: number,
  contentType: string | undefined,
  body: string,
  extraHeaders: Record<string, string> = {},
): Promise<TestServer> {
  return startRawServer((_request, response) => {
    const headers = contentType === undefined ? extraHeaders : { "content-type": contentType };
    response.writeHead(status, { ...headers, ...extraHeaders });
    response.end(body);
  });
}

function describe(method: string, path: string, headers: Headers): SeenRequest {
  return { method, path, apikey: headers.get("apikey") };
}

/**
 * Starts a `node:net` server on 127.0.0.1 that passes the first bytes of each connection to
 * `onRequest`, for responses that are not valid HTTP. Each connection counts as one request.
 */
export async function startTcpServer(
  onRequest: (socket: Socket, head: string) => void,
): Promise<CountingServer> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.once("data", (data) => {
      const head = data.toString("latin1");
      const [method = "", path = ""] = head.split(" ");
      const apikey = /^apikey: *(.*)$/im.exec(head)?.[1]?.trim() ?? null;
      requests.push({ method, path, apikey });
      onRequest(socket, head);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections: () => requests.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) {
          socket.destroy();
        }
      }),
  };
}
