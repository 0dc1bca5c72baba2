import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  AngoApiError,
  AngoNetworkError,
  AngoValidationError,
  createTaskHistoryClient,
} from "../src/index.ts";
import { assertKeyAbsent, failureOf } from "./helpers/errors.ts";
import {
  readFixture,
  readFixtureText,
  startRawServer,
  startStaticServer,
  TEST_KEY,
  type TestServer,
} from "./helpers/servers.ts";

const TASK_ID = "729fae923d5a4fd12aabfe22";

/** Serves one canned response and returns what the client threw for one task history attempt. */
async function errorFor(
  status: number,
  contentType: string | undefined,
  body: string,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const server = await startStaticServer(status, contentType, body, headers);
  try {
    const client = createTaskHistoryClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      maxRetries: 0,
    });

    return await client.getTaskHistory({ taskId: TASK_ID }).then(
      () => assert.fail("the call should have failed"),
      (error: unknown) => error,
    );
  } finally {
    await server.close();
  }
}

describe("non-2xx responses", () => {
  const documented = readFixture("synthetic-error-bodies.json") as Record<
    string,
    { status: string; message: string }
  >;
  documented["400"] = { status: "fail", message: "Invalid task id" };

  for (const [status, body] of Object.entries(documented)) {
    test(`HTTP ${status} with documented body`, async () => {
      const error = await errorFor(Number(status), "application/json", JSON.stringify(body));

      assert.ok(error instanceof AngoApiError);
      assert.equal(error.name, "AngoApiError");
      assert.equal(error.status, Number(status));
      assert.equal(error.serverMessage, body.message);
      assert.equal(error.bodyExcerpt, undefined);
      assert.equal(error.path, `/v2/task/${TASK_ID}/history`);
      assert.match(error.message, new RegExp(`HTTP ${status}: ${body.message}`));
    });
  }

  test("HTML error page gives an excerpt", async () => {
    const page = `<html><body>${"Bad gateway ".repeat(50)}</body></html>`;
    const error = await errorFor(502, "text/html", page);

    assert.ok(error instanceof AngoApiError);
    assert.equal(error.status, 502);
    assert.equal(error.serverMessage, undefined);
    assert.equal(error.contentType, "text/html");
    assert.ok(error.bodyExcerpt?.startsWith("<html><body>Bad gateway"));
    assert.ok((error.bodyExcerpt?.length ?? 0) <= 203);
  });

  test("undocumented JSON error gives an excerpt", async () => {
    const error = await errorFor(503, "application/json", '{"error":"maintenance"}');

    assert.ok(error instanceof AngoApiError);
    assert.equal(error.bodyExcerpt, '{"error":"maintenance"}');
  });

  test("control characters are removed from messages", async () => {
    const body = { status: "fail", message: "bad\u001b[31m key\r\nInjected: line" };
    const error = await errorFor(401, "application/json", JSON.stringify(body));

    assert.ok(error instanceof AngoApiError);
    assert.equal(error.serverMessage, "bad [31m key Injected: line");
  });

  for (const status of [600, 999]) {
    test(`HTTP ${status} is an API error`, async () => {
      const body = JSON.stringify({ status: "fail", message: "Unknown status" });
      const error = await errorFor(status, "application/json", body);

      assert.ok(error instanceof AngoApiError, String(error));
      assert.equal(error.status, status);
      assert.equal(error.serverMessage, "Unknown status");
    });
  }

  test("excerpt keeps the text as sent", async () => {
    const error = await errorFor(503, "application/json", '{ "error" : "maintenance" }');

    assert.ok(error instanceof AngoApiError);
    assert.equal(error.bodyExcerpt, '{ "error" : "maintenance" }');
  });

  test("deeply nested error body", async () => {
    const depth = 200_000;
    const error = await errorFor(500, "application/json", "[".repeat(depth) + "]".repeat(depth));

    assert.ok(error instanceof AngoApiError, String(error));
    assert.equal(error.bodyExcerpt, `${"[".repeat(200)}...`);
  });

  test("empty error body has no excerpt", async () => {
    const error = await errorFor(500, undefined, "");

    assert.ok(error instanceof AngoApiError);
    assert.equal(error.bodyExcerpt, undefined);
    assert.match(error.message, /HTTP 500: no error message/);
  });

  test("safe request id is kept", async () => {
    const headers = { "x-request-id": "req-42.abc:def" };
    const error = await errorFor(500, "application/json", "{}", headers);

    assert.ok(error instanceof AngoApiError);
    assert.equal(error.requestId, "req-42.abc:def");
  });

  test("unsafe request ids are dropped", async () => {
    for (const requestId of ["a b", "x".repeat(129), "id<script>", `id-${TEST_KEY}`]) {
      const error = await errorFor(500, "application/json", "{}", { "x-request-id": requestId });

      assert.ok(error instanceof AngoApiError);
      assert.equal(error.requestId, undefined, requestId);
    }
  });
});

describe("invalid 2xx bodies", () => {
  const cases: [string, string | undefined, string, string][] = [
    ["empty array", "application/json", "[]", ""],
    ["empty object", "application/json", "{}", "status"],
    ["empty body", "application/json", "", ""],
    ["HTML page", "text/html", "<!doctype html><title>Login</title>", ""],
    ["truncated JSON", "application/json", '{"status":"success","data":{"taskH', ""],
    ["null", "application/json", "null", ""],
    ["string", "application/json", '"success"', ""],
    ["failure status", "application/json", '{"status":"fail","data":{}}', "status"],
    ["list as object", "application/json", '{"status":"success","data":{"taskHistory":{}}}', ""],
  ];

  for (const [name, contentType, body, firstPath] of cases) {
    test(`${name} is a validation error`, async () => {
      const error = await errorFor(200, contentType, body);

      assert.ok(error instanceof AngoValidationError, String(error));
      assert.equal(error.name, "AngoValidationError");
      assert.equal(error.status, 200);
      assert.equal(error.contentType, contentType ?? "");
      assert.ok(error.issues.length > 0);
      if (firstPath !== "") {
        assert.equal(error.issues[0]?.path, firstPath);
      }

      assert.match(error.message, /returned HTTP 200/);
    });
  }

  test("wrong type deep inside names its path", async () => {
    const body = readFixture("synthetic-five-stage-history.json") as {
      data: { taskHistory: Record<string, unknown>[] };
    };
    const entry = body.data.taskHistory[3];
    assert.ok(entry);
    entry.stage = 42;
    const error = await errorFor(200, "application/json", JSON.stringify(body));

    assert.ok(error instanceof AngoValidationError);
    assert.deepEqual(error.issues, [
      { path: "data.taskHistory[3].stage", expected: "string", received: "number" },
    ]);
    assert.match(error.message, /data\.taskHistory\[3\]\.stage: expected string/);
  });

  test("missing field is reported as missing", async () => {
    const body = readFixture("synthetic-five-stage-history.json") as {
      data: { taskHistory: Record<string, unknown>[] };
    };
    delete body.data.taskHistory[1]?.labelTaskId;
    const error = await errorFor(200, "application/json", JSON.stringify(body));

    assert.ok(error instanceof AngoValidationError);
    assert.equal(error.issues[0]?.path, "data.taskHistory[1].labelTaskId");
    assert.equal(error.issues[0]?.received, "missing");
    assert.equal(error.issues[0]?.expected, "a required property");
  });

  test("invalid embedded asset names the field", async () => {
    const body = readFixture("synthetic-five-stage-history.json") as {
      data: { taskHistory: { asset: Record<string, unknown> }[] };
    };
    const entry = body.data.taskHistory[0];
    assert.ok(entry);
    entry.asset._id = 5;
    const error = await errorFor(200, "application/json", JSON.stringify(body));

    assert.ok(error instanceof AngoValidationError);
    assert.deepEqual(error.issues, [
      { path: "data.taskHistory[0].asset._id", expected: "string", received: "number" },
    ]);
  });

  test("asset of a wrong type names the union", async () => {
    const body = readFixture("synthetic-five-stage-history.json") as {
      data: { taskHistory: Record<string, unknown>[] };
    };
    const entry = body.data.taskHistory[2];
    assert.ok(entry);
    entry.asset = 12;
    const error = await errorFor(200, "application/json", JSON.stringify(body));

    assert.ok(error instanceof AngoValidationError);
    assert.equal(error.issues.length, 1);
    assert.equal(error.issues[0]?.path, "data.taskHistory[2].asset");
    assert.equal(error.issues[0]?.received, "number");
  });

  test("messages never echo response values", async () => {
    const marker = "VALUE-FROM-SERVER-7731";
    const body = readFixture("synthetic-five-stage-history.json") as {
      data: { taskHistory: Record<string, unknown>[]; total: unknown };
    };
    body.data.total = marker;
    for (const entry of body.data.taskHistory) {
      entry.assignee = { name: marker };
    }
    const error = await errorFor(200, "application/json", JSON.stringify(body));

    assert.ok(error instanceof AngoValidationError);
    assert.ok(error.issues.length >= 5);
    assert.ok(!JSON.stringify(error).includes(marker));
    assert.ok(!String(error.stack).includes(marker));
  });

  test("deeply nested classifications", async () => {
    const leaf = { objectId: "a", schemaId: "b", tool: "radio", title: "t", answer: null };
    const open = `${JSON.stringify(leaf).slice(0, -1)},"classifications":[`;
    const depth = 20_000;
    const nested = `${open.repeat(depth)}${JSON.stringify(leaf)}${"]}".repeat(depth)}`;
    const history = readFixtureText("synthetic-five-stage-history.json");
    const body = JSON.stringify(JSON.parse(history)).replace(
      '"classifications":[]',
      `"classifications":[${nested}]`,
    );
    const error = await errorFor(200, "application/json", body);

    assert.ok(error instanceof AngoValidationError, String(error));
    assert.deepEqual(error.issues, [
      { path: "", expected: "JSON that the validator can walk", received: "nesting too deep" },
    ]);
  });

  const emptyEntries = (count: number) =>
    JSON.stringify({ status: "success", data: { taskHistory: Array(count).fill({}), total: 1 } });

  test("issues are capped at twenty", async () => {
    const error = await errorFor(200, "application/json", emptyEntries(100));

    assert.ok(error instanceof AngoValidationError);
    assert.equal(error.issues.length, 20);
    assert.match(error.message, /\(and 17 more\)$/);
  });

  test("large invalid body lists one issue", async () => {
    const error = await errorFor(200, "application/json", emptyEntries(10_000));

    assert.ok(error instanceof AngoValidationError);
    assert.deepEqual(error.issues, [
      { path: "data.taskHistory[0]._id", expected: "a required property", received: "missing" },
    ]);
  });

  test("204 No Content is a validation error", async () => {
    const error = await errorFor(204, undefined, "");

    assert.ok(error instanceof AngoValidationError);
    assert.equal(error.status, 204);
  });
});

describe("content type", () => {
  const cases: [string, string, string][] = [
    ["upper case", "Application/JSON; Charset=UTF-8", "application/json; charset=utf-8"],
    ["quoted charset", 'text/plain; charset="utf-8"', "text/plain; charset=utf-8"],
    [
      "other parameters",
      "multipart/mixed; boundary=x; charset=utf-8",
      "multipart/mixed; charset=utf-8",
    ],
    ["invalid charset", "text/html; charset=utf-8<b>", "text/html"],
    ["echoed key", `text/html; k=${TEST_KEY}`, "text/html"],
    ["no subtype", "text", ""],
    ["spaces inside", "text / html", ""],
    ["C1 controls", "text/html\x9b31mRED\x85NEXT", ""],
    ["8,000 characters", `text/${"x".repeat(8_000)}`, ""],
  ];

  for (const [name, header, expected] of cases) {
    test(`content type with ${name}`, async () => {
      for (const status of [200, 401]) {
        const error = await errorFor(status, header, "<html>");

        assert.ok(error instanceof AngoValidationError || error instanceof AngoApiError);
        assert.equal(error.contentType, expected, `HTTP ${status}`);
        assert.ok(!error.message.includes(header), `HTTP ${status}`);
        assertKeyAbsent(error);
      }
    });
  }

  test("invalid content type in message", async () => {
    const error = await errorFor(200, "text", "<html>");

    assert.ok(error instanceof AngoValidationError);
    assert.match(error.message, /returned HTTP 200 \(no valid content type\)/);
  });
});

describe("body size limit", () => {
  const history = JSON.stringify(readFixture("synthetic-five-stage-history.json"));
  const bytes = new TextEncoder().encode(history).byteLength;

  /** Serves `body` in 1,000-byte chunks, with or without Content-Length. */
  function serve(status: number, body: string, withLength: boolean) {
    return startRawServer((_request, response) => {
      const length = withLength ? { "content-length": String(Buffer.byteLength(body)) } : {};
      response.writeHead(status, { "content-type": "application/json", ...length });
      for (let start = 0; start < body.length; start += 1000) {
        response.write(body.slice(start, start + 1000));
      }

      response.end();
    });
  }

  async function call(server: TestServer, maxBodyBytes: number): Promise<unknown> {
    const client = createTaskHistoryClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      maxRetries: 0,
      maxBodyBytes,
    });

    return client.getTaskHistory({ taskId: TASK_ID }).catch((error: unknown) => error);
  }

  for (const withLength of [true, false]) {
    const framing = withLength ? "Content-Length" : "chunked";

    test(`longer ${framing} body is rejected`, async () => {
      const server = await serve(200, history, withLength);
      try {
        const error = await call(server, bytes - 1);

        assert.ok(error instanceof AngoValidationError, String(error));
        assert.deepEqual(error.issues, [
          { path: "", expected: `a body of at most ${bytes - 1} bytes`, received: "a longer body" },
        ]);
      } finally {
        await server.close();
      }
    });

    test(`${framing} body at the limit passes`, async () => {
      const server = await serve(200, history, withLength);
      try {
        const body = await call(server, bytes);

        assert.equal((body as { data: { total: number } }).data.total, 5);
      } finally {
        await server.close();
      }
    });
  }

  test("longer error body gives an excerpt", async () => {
    const body = JSON.stringify({ status: "error", message: "m".repeat(2000) });
    const server = await serve(502, body, false);
    try {
      const error = await call(server, 1500);

      assert.ok(error instanceof AngoApiError, String(error));
      assert.equal(error.status, 502);
      assert.equal(error.serverMessage, undefined);
      assert.equal(error.bodyExcerpt, `{"status":"error","message":"${"m".repeat(171)}...`);
    } finally {
      await server.close();
    }
  });
});

describe("cut error body", () => {
  test("partial key at the cut is redacted", async () => {
    const server = await startStaticServer(500, "text/plain", `${" ".repeat(4086)}${TEST_KEY}zzzz`);
    try {
      const client = createTaskHistoryClient({
        apiKey: TEST_KEY,
        baseUrl: server.url,
        maxRetries: 0,
        maxBodyBytes: 4096,
      });
      const error = await client.getTaskHistory({ taskId: TASK_ID }).catch((e: unknown) => e);

      assert.ok(error instanceof AngoApiError, String(error));
      assert.equal(error.bodyExcerpt, "[redacted]");
      assert.ok(!error.message.includes(TEST_KEY.slice(0, 6)));
    } finally {
      await server.close();
    }
  });
});

describe("error paths", () => {
  const endpoints: [string, object, string][] = [
    ["task", { taskId: TASK_ID }, `/v2/task/${TASK_ID}/history`],
    ["entry", { taskHistoryId: TASK_ID }, `/v2/taskHistory/${TASK_ID}`],
  ];

  for (const [endpoint, selector, endpointPath] of endpoints) {
    for (const prefix of ["", "/proxy/ango"]) {
      test(`${endpoint} error paths ${prefix === "" ? "without" : "with"} prefix`, async () => {
        const path = `${prefix}${endpointPath}`;
        const answers: [number, string][] = [
          [404, JSON.stringify({ status: "fail", message: "Not found" })],
          [200, "{}"],
        ];
        for (const [status, body] of answers) {
          const server = await startStaticServer(status, "application/json", body);
          try {
            const client = createTaskHistoryClient({
              apiKey: TEST_KEY,
              baseUrl: `${server.url}${prefix}`,
              maxRetries: 0,
            });
            const call = client.getTaskHistory as (selector: object) => Promise<unknown>;
            const error = await failureOf(call(selector));

            assert.ok(error instanceof AngoApiError || error instanceof AngoValidationError);
            assert.equal(server.requests[0]?.path, path);
            assert.equal(error.path, path, `HTTP ${status}`);
            assert.ok(error.message.startsWith(`GET ${path} `), error.message);
          } finally {
            await server.close();
          }
        }
      });
    }
  }
});

describe("network failures", () => {
  test("refused connection is a network error", async () => {
    const server = await startRawServer(() => {});
    const { url } = server;
    await server.close();
    const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: url, maxRetries: 0 });

    await assert.rejects(client.getTaskHistory({ taskId: TASK_ID }), (error: unknown) => {
      assert.ok(error instanceof AngoNetworkError);
      assert.equal(error.name, "AngoNetworkError");
      assert.ok(error.cause !== undefined);
      assert.match(error.message, /failed: network error \(.+\)$/);

      return true;
    });
  });

  test("connection reset mid-body is a network error", async () => {
    const server = await startRawServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      response.write('{"status":"success","data":{"taskHistory":[');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    try {
      const client = createTaskHistoryClient({
        apiKey: TEST_KEY,
        baseUrl: server.url,
        maxRetries: 0,
      });

      await assert.rejects(client.getTaskHistory({ taskId: TASK_ID }), AngoNetworkError);
    } finally {
      await server.close();
    }
  });

  test("aborted call rejects with AbortError", async () => {
    const server = await startRawServer(() => {});
    try {
      const client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
      const controller = new AbortController();
      const call = client.getTaskHistory({ taskId: TASK_ID }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);

      await assert.rejects(call, { name: "AbortError" });
    } finally {
      await server.close();
    }
  });
});
