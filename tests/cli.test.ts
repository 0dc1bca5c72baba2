import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { formatDuration } from "../src/cli/timeline.ts";
import { DEMO_TASK_HISTORY, DEMO_TASK_ID } from "../src/testing/index.ts";
import { runCli } from "./helpers/cli.ts";
import { startFake, startStaticServer, TEST_KEY, type TestServer } from "./helpers/servers.ts";

describe("CLI demo", () => {
  test("prints the five-stage timeline", async () => {
    const { code, stdout, stderr } = await runCli(["--demo"]);

    assert.equal(code, 0, stderr);
    assert.match(stderr, /^Serving a fake Ango API at http:\/\/127\.0\.0\.1:\d+$/);
    const lines = stdout.split("\n");
    assert.equal(lines[0], `Task ${DEMO_TASK_ID}`);
    assert.match(lines[2] ?? "", /^#\s+Stage\s+Assignee\s+Active\s+Idle\s+Rework\s+Skipped\s+Left/);
    assert.match(
      lines[4] ?? "",
      /^2\s+Label\s+annotator\.one@example\.com\s+6m 52s\s+31s\s+no\s+no/,
    );
    assert.match(lines[6] ?? "", /^4\s+Label\s+.*3m 08s\s+15\.5s\s+yes\s+no\s+2026-03-02T11:40/);
    assert.equal(lines.length, 10);
    assert.equal(lines[9], "Total: 5 entries, active 12m 36s, idle 46.5s, 2 rework, 0 skipped");
  });

  test("--json prints the validated body", async () => {
    const { code, stdout } = await runCli(["--demo", "--json"]);

    assert.equal(code, 0);
    const body = JSON.parse(stdout);
    assert.equal(body.data.total, 5);
    assert.deepEqual(body.data.taskHistory, DEMO_TASK_HISTORY);
  });

  test("--task-history-id prints one row", async () => {
    const entry = DEMO_TASK_HISTORY[2];
    assert.ok(entry);
    const { code, stdout } = await runCli(["--demo", "--task-history-id", entry._id]);

    assert.equal(code, 0);
    assert.match(stdout, /^History entry 791e558e08baa7196b50ac2f\n/);
    assert.match(stdout, /\n1\s+Review\s+reviewer\.two@example\.com\s+1m 35s/);
    assert.match(stdout, /Total: 1 entry,/);
  });
});

describe("CLI against a server", () => {
  let server: TestServer;

  before(async () => {
    server = await startFake({ [DEMO_TASK_ID]: DEMO_TASK_HISTORY });
  });

  after(() => server.close());

  test("reads the key from ANGO_API_KEY", async () => {
    const args = ["--task-id", DEMO_TASK_ID, "--base-url", server.url];
    const { code, stdout } = await runCli(args, { ANGO_API_KEY: TEST_KEY });

    assert.equal(code, 0);
    assert.match(stdout, /Total: 5 entries/);
    assert.equal(server.requests.at(-1)?.apikey, TEST_KEY);
  });

  test("API error exits 1 with one line", async () => {
    const args = ["--task-id", DEMO_TASK_ID, "--base-url", server.url];
    const { code, stdout, stderr } = await runCli(args, { ANGO_API_KEY: "wrong-key" });

    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(
      stderr,
      `ango-task-history: AngoApiError: GET /v2/task/${DEMO_TASK_ID}/history failed with ` +
        "HTTP 401: Invalid API key",
    );
  });

  test("invalid body exits 1 with one line", async () => {
    const invalid = await startStaticServer(200, "text/html", "<html></html>");
    try {
      const args = ["--task-id", DEMO_TASK_ID, "--base-url", invalid.url];
      const { code, stderr } = await runCli(args, { ANGO_API_KEY: TEST_KEY });

      assert.equal(code, 1);
      assert.match(stderr, /^ango-task-history: AngoValidationError: .* \(text\/html\)/);
      assert.equal(stderr.split("\n").length, 1);
    } finally {
      await invalid.close();
    }
  });
});

describe("CLI terminal safety", () => {
  const hostile = "Review\u202e\u001b[31m\u009b2J\u2028x";

  async function serveHostile(): Promise<TestServer> {
    const entry = { ...DEMO_TASK_HISTORY[2], stage: hostile, assignee: "\u001b]0;title\u0007" };

    return startFake({ [DEMO_TASK_ID]: [entry as (typeof DEMO_TASK_HISTORY)[number]] });
  }

  test("timeline replaces unsafe characters", async () => {
    const server = await serveHostile();
    try {
      const args = ["--task-id", DEMO_TASK_ID, "--base-url", server.url];
      const { code, stdout } = await runCli(args, { ANGO_API_KEY: TEST_KEY });

      assert.equal(code, 0);
      assert.match(stdout, /\n1\s+Review\?\?\[31m\?2J\?x\s+\?\]0;title\?\s/);
      assert.doesNotMatch(stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2028]/);
    } finally {
      await server.close();
    }
  });

  test("--json escapes unsafe characters", async () => {
    const server = await serveHostile();
    try {
      const args = ["--task-id", DEMO_TASK_ID, "--base-url", server.url, "--json"];
      const { code, stdout } = await runCli(args, { ANGO_API_KEY: TEST_KEY });

      assert.equal(code, 0);
      assert.doesNotMatch(stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2028]/);
      assert.match(stdout, /"stage": "Review\\u202e\\u001b\[31m\\u009b2J\\u2028x"/);
      assert.equal(JSON.parse(stdout).data.taskHistory[0].stage, hostile);
    } finally {
      await server.close();
    }
  });
});

describe("CLI usage errors", () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ["no id", [], { ANGO_API_KEY: TEST_KEY }, /Missing id/],
    ["both ids", ["--task-id", DEMO_TASK_ID, "--task-history-id", DEMO_TASK_ID], {}, /not both/],
    ["unknown flag", ["--task", DEMO_TASK_ID], {}, /Unknown option '--task'/],
    ["key as a flag", ["--api-key", "k", "--task-id", DEMO_TASK_ID], {}, /Unknown option/],
    ["missing key", ["--task-id", DEMO_TASK_ID], {}, /ANGO_API_KEY is not set/],
    ["invalid id", ["--task-id", "a/b"], { ANGO_API_KEY: TEST_KEY }, /24 hexadecimal/],
    ["demo with base URL", ["--demo", "--base-url", "http://127.0.0.1:1"], {}, /--demo/],
    [
      "plain http to a remote host",
      ["--task-id", DEMO_TASK_ID, "--base-url", "http://ango.example.test"],
      { ANGO_API_KEY: TEST_KEY },
      /--base-url must use https: unless the host is 127\.0\.0\.1/,
    ],
    ["positional argument", [DEMO_TASK_ID], {}, /positional/i],
  ];

  for (const [name, args, env, message] of cases) {
    test(`${name} exits 2`, async () => {
      const { code, stdout, stderr } = await runCli(args, env);

      assert.equal(code, 2);
      assert.equal(stdout, "");
      assert.match(stderr, message);
      assert.match(stderr, /\(see --help\)$/);
      assert.equal(stderr.split("\n").length, 1);
    });
  }

  test("--help prints usage", async () => {
    const { code, stdout } = await runCli(["--help"]);

    assert.equal(code, 0);
    assert.match(stdout, /^Usage: ango-task-history/);
    assert.match(stdout, /ANGO_API_KEY/);
  });
});

describe("formatDuration", () => {
  const cases: [number | undefined, string][] = [
    [undefined, "-"],
    [0, "0s"],
    [400, "0.4s"],
    [15_500, "15.5s"],
    [59_949, "59.9s"],
    [59_999, "1m 00s"],
    [60_000, "1m 00s"],
    [412_350, "6m 52s"],
    [3_600_000, "1h 00m"],
    [5_025_000, "1h 23m"],
  ];

  for (const [milliseconds, expected] of cases) {
    test(`${milliseconds} ms is ${expected}`, () => {
      assert.equal(formatDuration(milliseconds), expected);
    });
  }
});
