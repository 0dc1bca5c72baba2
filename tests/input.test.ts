import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AngoInputError, createTaskHistoryClient, type TaskHistoryClient } from "../src/index.ts";
import { startFake, TEST_KEY, type TestServer } from "./helpers/servers.ts";

const VALID_ID = "729fae923d5a4fd12aabfe22";

/** Calls the client as plain JavaScript would, with no type checks on the argument. */
function callUntyped(client: TaskHistoryClient, selector: unknown, options?: unknown) {
  const untyped = client.getTaskHistory as (
    selector: unknown,
    options?: unknown,
  ) => Promise<unknown>;

  return untyped(selector, options);
}

describe("getTaskHistory input checks", () => {
  let server: TestServer;
  let client: TaskHistoryClient;

  before(async () => {
    server = await startFake({});
    client = createTaskHistoryClient({ apiKey: TEST_KEY, baseUrl: server.url });
  });

  after(() => server.close());

  const badSelectors: [string, unknown][] = [
    ["both ids", { taskId: VALID_ID, taskHistoryId: VALID_ID }],
    ["both ids with null", { taskId: VALID_ID, taskHistoryId: null }],
    ["neither id", {}],
    ["only undefined ids", { taskId: undefined, taskHistoryId: undefined }],
    ["undefined selector", undefined],
    ["null selector", null],
    ["number selector", 42],
    ["string selector", VALID_ID],
    ["array selector", [VALID_ID]],
    ["null taskId", { taskId: null }],
    ["number taskId", { taskId: 123 }],
    ["object taskId", { taskId: { id: VALID_ID } }],
    ["object taskHistoryId", { taskHistoryId: {} }],
  ];

  const badIds: [string, string][] = [
    ["empty", ""],
    ["spaces", " ".repeat(24)],
    ["dot", "."],
    ["dot dot", ".."],
    ["slash", "a/b"],
    ["encoded dot dot", "%2e%2e"],
    ["trailing newline", `${VALID_ID}\n`],
    ["leading space", ` ${VALID_ID.slice(1)}`],
    ["23 hex characters", VALID_ID.slice(1)],
    ["25 hex characters", `${VALID_ID}a`],
    ["24 non-hex characters", "g".repeat(24)],
    ["path traversal", "../../v2/taskHistory/abc"],
    ["query string", `${VALID_ID.slice(0, 20)}?a=1`],
    ["non-ASCII digits", "٠".repeat(24)],
  ];

  for (const [name, selector] of badSelectors) {
    test(`rejects ${name}`, async () => {
      await assert.rejects(callUntyped(client, selector), AngoInputError);

      assert.equal(server.requests.length, 0);
    });
  }

  for (const [name, id] of badIds) {
    test(`rejects taskId: ${name}`, async () => {
      await assert.rejects(callUntyped(client, { taskId: id }), {
        name: "AngoInputError",
        message: /taskId must be 24 hexadecimal characters/,
      });

      assert.equal(server.requests.length, 0);
    });

    test(`rejects taskHistoryId: ${name}`, async () => {
      await assert.rejects(callUntyped(client, { taskHistoryId: id }), {
        name: "AngoInputError",
        message: /taskHistoryId must be 24 hexadecimal characters/,
      });

      assert.equal(server.requests.length, 0);
    });
  }

  test("error names the bad id", async () => {
    await assert.rejects(callUntyped(client, { taskId: "a/b" }), {
      message: 'taskId must be 24 hexadecimal characters, got "a/b" (3 characters)',
    });
  });

  test("API key passed as id is not shown", async () => {
    const error = await callUntyped(client, { taskId: `x${TEST_KEY}` }).catch((e: unknown) => e);

    assert.ok(error instanceof AngoInputError);
    assert.ok(!error.message.includes(TEST_KEY));
    assert.ok(!error.message.includes(TEST_KEY.slice(0, 8)));
    assert.match(error.message, /overlaps the API key/);
  });

  test("key fragment in an id is not shown", async () => {
    const id = `zz${TEST_KEY.slice(3, 10)}zz`;
    const error = await callUntyped(client, { taskId: id }).catch((e: unknown) => e);

    assert.ok(error instanceof AngoInputError);
    assert.ok(!error.message.includes(TEST_KEY.slice(3, 10)));
    assert.match(error.message, /a string of 11 characters that overlaps the API key/);
  });

  test("short id fragments are still shown", async () => {
    await assert.rejects(callUntyped(client, { taskId: "xyz" }), {
      message: 'taskId must be 24 hexadecimal characters, got "xyz" (3 characters)',
    });
  });

  test("ignores ids on Object.prototype", async () => {
    const urls: string[] = [];
    const recording = createTaskHistoryClient({
      apiKey: TEST_KEY,
      fetch: async (request) => {
        urls.push(request.url);

        return Response.json({ status: "fail", message: "Task not found" }, { status: 404 });
      },
    });
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.taskHistoryId = VALID_ID;
    try {
      // The polluted prototype also reaches valibot's own loops, so only the request matters here.
      const error = await callUntyped(recording, { taskId: VALID_ID }).catch((e: unknown) => e);
      assert.ok(!(error instanceof AngoInputError), String(error));
      await assert.rejects(callUntyped(recording, {}), { message: /Missing id/ });
    } finally {
      delete prototype.taskHistoryId;
    }

    assert.deepEqual(urls, [`https://imeritapi.ango.ai/v2/task/${VALID_ID}/history`]);
  });

  const badCallOptions: [string, unknown][] = [
    ["null", null],
    ["array", []],
    ["string", "signal"],
    ["number", 0],
    ["boolean", true],
    ["function", () => ({})],
  ];

  for (const [name, options] of badCallOptions) {
    test(`rejects call options: ${name}`, async () => {
      await assert.rejects(callUntyped(client, { taskId: VALID_ID }, options), {
        name: "AngoInputError",
        message: /Call options must be an object/,
      });

      assert.equal(server.requests.length, 0);
    });
  }

  test("rejects a signal that is not an AbortSignal", async () => {
    const lookalike = { aborted: false, addEventListener() {}, removeEventListener() {} };
    for (const signal of ["stop", lookalike]) {
      await assert.rejects(callUntyped(client, { taskId: VALID_ID }, { signal }), {
        name: "AngoInputError",
        message: /signal must be an AbortSignal/,
      });
    }

    assert.equal(server.requests.length, 0);
  });
});

describe("createTaskHistoryClient option checks", () => {
  const create = createTaskHistoryClient as (options: unknown) => TaskHistoryClient;

  const badKeys: [string, unknown][] = [
    ["missing", undefined],
    ["null", null],
    ["empty", ""],
    ["number", 42],
    ["line feed", "abc\ndef"],
    ["carriage return", "abc\rdef"],
    ["NUL character", "abc\u0000def"],
    ["tab", "abc\tdef"],
    ["leading space", " abcdef"],
    ["trailing space", "abcdef "],
    ["non-ASCII character", "abcdéf"],
  ];

  for (const [name, apiKey] of badKeys) {
    test(`rejects apiKey: ${name}`, () => {
      assert.throws(() => create({ apiKey }), { name: "AngoInputError", message: /apiKey/ });
    });
  }

  test("rejects options that are not an object", () => {
    assert.throws(() => create(undefined), AngoInputError);
    assert.throws(() => create("key"), AngoInputError);
  });

  test("rejects fetch that is not a function", () => {
    assert.throws(() => create({ apiKey: TEST_KEY, fetch: "yes" }), {
      name: "AngoInputError",
      message: /fetch must be a function/,
    });
  });

  const badBaseUrls: [string, unknown, RegExp][] = [
    ["not a string", 80, /must be a string/],
    ["not a URL", "imeritapi.ango.ai", /not a valid absolute URL/],
    ["ftp scheme", "ftp://127.0.0.1", /https: or http:/],
    ["credentials", "https://user:pass@imeritapi.ango.ai", /user name or password/],
    ["query", "https://imeritapi.ango.ai/?apikey=x", /query or a fragment/],
    ["fragment", "https://imeritapi.ango.ai/#x", /query or a fragment/],
    ["plain http to a remote host", "http://imeritapi.ango.ai", /clear text/],
    ["http to a name under 127.0.0.1", "http://127.0.0.1.nip.io", /clear text/],
    ["http to a name under localhost", "http://evil.localhost", /clear text/],
    ["http to a 128.x address", "http://128.0.0.1", /clear text/],
  ];

  for (const [name, baseUrl, message] of badBaseUrls) {
    test(`rejects baseUrl: ${name}`, () => {
      assert.throws(() => create({ apiKey: TEST_KEY, baseUrl }), {
        name: "AngoInputError",
        message,
      });
    });
  }

  for (const maxBodyBytes of [0, -1, 1.5, Number.POSITIVE_INFINITY, "1000", null]) {
    test(`rejects maxBodyBytes: ${String(maxBodyBytes)}`, () => {
      assert.throws(() => create({ apiKey: TEST_KEY, maxBodyBytes }), {
        name: "AngoInputError",
        message: /maxBodyBytes must be an integer of 1 or more/,
      });
    });
  }

  test("accepts http on loopback hosts", () => {
    for (const baseUrl of ["http://127.0.0.1:8080", "http://localhost", "http://[::1]:9"]) {
      assert.doesNotThrow(() => create({ apiKey: TEST_KEY, baseUrl }), baseUrl);
    }
  });

  for (const allowInsecureHttp of ["false", "true", 1]) {
    test(`allowInsecureHttp: ${JSON.stringify(allowInsecureHttp)} is not true`, () => {
      const options = { apiKey: TEST_KEY, baseUrl: "http://proxy.internal", allowInsecureHttp };

      assert.throws(() => create(options), { name: "AngoInputError", message: /clear text/ });
    });
  }

  test("accepts remote http with allowInsecureHttp", () => {
    const options = { apiKey: TEST_KEY, baseUrl: "http://proxy.internal", allowInsecureHttp: true };

    assert.doesNotThrow(() => create(options));
  });

  test("option errors never show the key", () => {
    const key = "secret\nkey-value-123";
    const error = (() => {
      try {
        create({ apiKey: key });
      } catch (caught) {
        return caught;
      }
    })();

    assert.ok(error instanceof AngoInputError);
    assert.ok(!String(error.stack).includes("key-value-123"));
  });
});
