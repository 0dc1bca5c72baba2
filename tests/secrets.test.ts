import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inspect } from "node:util";
import {
  AngoApiError,
  AngoRedirectError,
  createTaskHistoryClient,
  type TaskHistoryClient,
} from "../src/index.ts";
import { DEMO_TASK_HISTORY, DEMO_TASK_ID } from "../src/testing/index.ts";
import { assertKeyAbsent, failureOf } from "./helpers/errors.ts";
import { startFake, startRawServer, TEST_KEY, type TestServer } from "./helpers/servers.ts";

const TASK_PATH = `/v2/task/${DEMO_TASK_ID}/history`;

function redirectTo(location: () => string, status = 302): Promise<TestServer> {
  return startRawServer((_request, response) => {
    response.writeHead(status, { location: location() });
    response.end();
  });
}

describe("redirects", () => {
  for (const status of [301, 302, 303, 307, 308]) {
    test(`${status} to another origin is not followed`, async () => {
      const other = await startFake({ [DEMO_TASK_ID]: DEMO_TASK_HISTORY });
      const redirecting = await redirectTo(() => `${other.url}${TASK_PATH}`, status);
      try {
        const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: redirecting.url });
        const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

        assert.ok(error instanceof AngoRedirectError, String(error));
        assert.equal(error.status, status);
        assert.equal(error.targetOrigin, other.url);
        assert.equal(redirecting.requests.length, 1);
        assert.equal(other.requests.length, 0);
        assertKeyAbsent(error);
      } finally {
        await Promise.all([other.close(), redirecting.close()]);
      }
    });
  }

  test("same-origin redirect is followed with the key", async () => {
    const server = await startFake({ [DEMO_TASK_ID]: DEMO_TASK_HISTORY });
    const proxy = await startRawServer((request, response) => {
      if (request.url === `/old${TASK_PATH}`) {
        response.writeHead(301, { location: TASK_PATH });
        response.end();

        return;
      }

      fetch(`${server.url}${request.url}`, { headers: { apikey: String(request.headers.apikey) } })
        .then(async (upstream) => {
          response.writeHead(upstream.status, { "content-type": "application/json" });
          response.end(await upstream.text());
        })
        .catch(() => response.destroy());
    });
    try {
      const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: `${proxy.url}/old` });
      const body = await client.getTaskHistory({ taskId: DEMO_TASK_ID });

      assert.equal(body.data.total, 5);
      assert.deepEqual(
        proxy.requests.map((request) => [request.path, request.apikey]),
        [
          [`/old${TASK_PATH}`, TEST_KEY],
          [TASK_PATH, TEST_KEY],
        ],
      );
    } finally {
      await Promise.all([server.close(), proxy.close()]);
    }
  });

  test("redirect loop stops after five hops", async () => {
    const server = await redirectTo(() => TASK_PATH, 307);
    try {
      const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoRedirectError);
      assert.match(error.message, /more than 5 hops/);
      assert.equal(server.requests.length, 6);
    } finally {
      await server.close();
    }
  });

  test("redirect without Location is an error", async () => {
    const server = await startRawServer((_request, response) => {
      response.writeHead(302);
      response.end();
    });
    try {
      const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoRedirectError);
      assert.equal(error.targetOrigin, "");
    } finally {
      await server.close();
    }
  });

  const credentials: [string, string][] = [
    ["user and password", "user:pw"],
    ["the key as password", `u:${TEST_KEY}`],
  ];

  for (const [name, userinfo] of credentials) {
    test(`Location with ${name}`, async () => {
      const server: TestServer = await redirectTo(() => {
        const { host } = new URL(server.url);

        return `http://${userinfo}@${host}${TASK_PATH}`;
      });
      try {
        const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
        const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

        assert.ok(error instanceof AngoRedirectError, String(error));
        assert.equal(error.status, 302);
        assert.equal(error.targetOrigin, server.url);
        assert.match(error.message, /contains a user name or password/);
        assert.equal(server.requests.length, 1);
        assertKeyAbsent(error);
      } finally {
        await server.close();
      }
    });
  }

  test("redirect to https is another origin", async () => {
    const server = await redirectTo(() => "https://127.0.0.1:9/v2/x");
    try {
      const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoRedirectError);
      assert.equal(error.targetOrigin, "https://127.0.0.1:9");
    } finally {
      await server.close();
    }
  });
});

describe("API key secrecy", () => {
  const echoes: [string, (key: string) => string][] = [
    ["as sent", (key) => key],
    ["in upper case", (key) => key.toUpperCase()],
  ];

  for (const [form, transform] of echoes) {
    test(`server echo of the key ${form}`, async () => {
      const server = await startRawServer((request, response) => {
        const echoed = transform(String(request.headers.apikey));
        response.writeHead(401, { "content-type": "application/json", "x-request-id": echoed });
        response.end(JSON.stringify({ status: "fail", message: `Invalid API key ${echoed}` }));
      });
      try {
        const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
        const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

        assert.ok(error instanceof AngoApiError);
        assert.equal(error.serverMessage, "Invalid API key [redacted]");
        assert.equal(error.requestId, undefined);
        assertKeyAbsent(error, transform(TEST_KEY));
      } finally {
        await server.close();
      }
    });
  }

  test("excerpt echo of the key is redacted", async () => {
    const server = await startRawServer((request, response) => {
      response.writeHead(500, { "content-type": "text/plain" });
      response.end(`upstream rejected key=${String(request.headers.apikey)}`);
    });
    try {
      const client = createTaskHistoryClient({
        apiKey: TEST_KEY,
        baseUrl: server.url,
        maxRetries: 0,
      });
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoApiError);
      assert.equal(error.bodyExcerpt, "upstream rejected key=[redacted]");
      assertKeyAbsent(error);
    } finally {
      await server.close();
    }
  });

  test("JSON-escaped echo of the key", async () => {
    const apiKey = 'quote"and\\backslash/slash-0123';
    const server = await startRawServer((request, response) => {
      const echoed = String(request.headers.apikey);
      const body = JSON.stringify({ error: `bad key ${echoed}` });
      response.writeHead(401, { "content-type": "application/json" });
      response.end(`${body.replace("/", "\\/")} ${body}`);
    });
    try {
      const client = createTaskHistoryClient({ apiKey, baseUrl: server.url });
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoApiError);
      assert.equal(
        error.bodyExcerpt,
        '{"error":"bad key [redacted]"} {"error":"bad key [redacted]"}',
      );
      assertKeyAbsent(error, apiKey);
      assertKeyAbsent(error, "and\\\\backslash");
    } finally {
      await server.close();
    }
  });

  test("redaction that re-forms the key", async () => {
    // Replacing the key in "ed]x...x...", where the key starts with "ed]", leaves
    // "[redacted]x...", which contains the key again.
    const apiKey = "ed]-key-0123456789";
    const server = await startRawServer((_request, response) => {
      response.writeHead(500, { "content-type": "text/plain" });
      response.end(`rejected ${apiKey}${apiKey.slice(3)}`);
    });
    try {
      const client = createTaskHistoryClient({ apiKey, baseUrl: server.url, maxRetries: 0 });
      const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

      assert.ok(error instanceof AngoApiError);
      assert.equal(error.bodyExcerpt, "[redacted]");
      assertKeyAbsent(error, apiKey);
    } finally {
      await server.close();
    }
  });

  // URL parsing lower-cases the host, so a mixed-case key reaches targetOrigin lower-cased.
  for (const apiKey of ["lowercase-key-0123456789", "Mixed-Case-Key-0123456789"]) {
    test(`redirect target with ${apiKey.slice(0, 10)}`, async () => {
      const server = await startRawServer((request, response) => {
        const target = request.url?.startsWith("/hop")
          ? `http://${apiKey}.localhost:9/`
          : `/hop/${apiKey}`;
        response.writeHead(302, { location: target });
        response.end();
      });
      try {
        const client = createTaskHistoryClient({ apiKey, baseUrl: server.url });
        const error = await failureOf(client.getTaskHistory({ taskId: DEMO_TASK_ID }));

        assert.ok(error instanceof AngoRedirectError);
        assert.equal(error.targetOrigin, "http://[redacted].localhost:9");
        assert.equal(error.path, TASK_PATH);
        assert.equal(server.requests.length, 2);
        assertKeyAbsent(error, apiKey);
        assertKeyAbsent(error, apiKey.toLowerCase());
      } finally {
        await server.close();
      }
    });
  }

  test("errors of every kind omit the key", async () => {
    const server = await startFake({ [DEMO_TASK_ID]: DEMO_TASK_HISTORY });
    const closed = await startRawServer(() => {});
    await closed.close();
    const invalid = await startRawServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"status":"success","data":{"taskHistory":[{"stage":1}],"total":1}}');
    });
    try {
      const calls: [string, (client: TaskHistoryClient) => Promise<unknown>][] = [
        [server.url, (client) => client.getTaskHistory({ taskId: "0".repeat(24) })],
        [server.url, (client) => client.getTaskHistory({ taskId: TEST_KEY })],
        [closed.url, (client) => client.getTaskHistory({ taskId: DEMO_TASK_ID })],
        [invalid.url, (client) => client.getTaskHistory({ taskId: DEMO_TASK_ID })],
      ];
      for (const [baseUrl, call] of calls) {
        const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl, maxRetries: 0 });
        assertKeyAbsent(await failureOf(call(client)));
      }
    } finally {
      await Promise.all([server.close(), invalid.close()]);
    }
  });

  test("client object does not expose the key", () => {
    const client = createTaskHistoryClient({ apiKey: TEST_KEY });

    assert.ok(!inspect(client, { depth: 10, showHidden: true }).includes(TEST_KEY));
    assert.ok(!JSON.stringify(client).includes(TEST_KEY));
    assert.ok(Object.isFrozen(client));
  });
});
