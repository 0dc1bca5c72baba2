import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import * as v from "valibot";

import {
  ErrorBodySchema,
  TaskHistoryEntrySchema,
  TaskHistoryItemResponseSchema,
  TaskHistoryListResponseSchema,
} from "../src/schemas.ts";

type JsonPath = readonly (string | number)[];

type JsonContainer = Record<string | number, unknown>;

const LIST_2026 = readFixture("docs-2026-task-history-list");
const ITEM_2023 = readFixture("docs-2023-task-history-item");
const FIVE_STAGES = readFixture("synthetic-five-stage-history");
const ERROR_BODIES = readFixture("synthetic-error-bodies") as Record<string, unknown>;

function readFixture(name: string): unknown {
  const text = readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8");
  return JSON.parse(text);
}

function isContainer(value: unknown): value is JsonContainer {
  return typeof value === "object" && value !== null;
}

/** Returns the object or array that contains the last key of `path`. */
function parentAt(root: unknown, path: JsonPath): JsonContainer {
  let node = root;

  for (const key of path.slice(0, -1)) {
    assert.ok(isContainer(node), `no object or array before ${String(key)} in ${path.join(".")}`);
    node = node[key];
  }

  assert.ok(isContainer(node), `no object or array at the parent of ${path.join(".")}`);
  return node;
}

function lastKey(path: JsonPath): string | number {
  const key = path.at(-1);
  assert.ok(key !== undefined, "path must not be empty");
  return key;
}

/** Returns a deep copy of `root` with the value at `path` replaced or added. */
function withValue(root: unknown, path: JsonPath, value: unknown): unknown {
  const copy = structuredClone(root);
  parentAt(copy, path)[lastKey(path)] = value;
  return copy;
}

/** Returns a deep copy of `root` without the key at `path`. */
function withoutKey(root: unknown, path: JsonPath): unknown {
  const copy = structuredClone(root);
  const parent = parentAt(copy, path);
  const key = lastKey(path);

  assert.ok(key in parent, `fixture has no ${path.join(".")}`);
  delete parent[key];
  return copy;
}

function valueAt(root: unknown, path: JsonPath): unknown {
  return parentAt(root, path)[lastKey(path)];
}

describe("fixtures", () => {
  test("list schema accepts 2026 sample", () => {
    const result = v.safeParse(TaskHistoryListResponseSchema, LIST_2026);

    assert.equal(result.issues, undefined);
    assert.deepEqual(result.output, LIST_2026);
  });

  test("item schema accepts 2023 sample", () => {
    const result = v.safeParse(TaskHistoryItemResponseSchema, ITEM_2023);

    assert.equal(result.issues, undefined);
    assert.deepEqual(result.output, ITEM_2023);
  });

  test("list schema accepts five-stage history", () => {
    const result = v.safeParse(TaskHistoryListResponseSchema, FIVE_STAGES);

    assert.equal(result.issues, undefined);
    assert.deepEqual(result.output, FIVE_STAGES);
    assert.ok(result.success);
    assert.equal(result.output.data.taskHistory.length, 5);
    assert.equal(result.output.data.total, 5);
    assert.equal(result.output.data.taskHistory[0]?.assignee, null);
    assert.equal(typeof result.output.data.taskHistory[2]?.asset, "string");
  });

  test("entry schema accepts every entry", () => {
    const entries = [
      ...(valueAt(LIST_2026, ["data", "taskHistory"]) as unknown[]),
      valueAt(ITEM_2023, ["data", "taskHistory"]),
      ...(valueAt(FIVE_STAGES, ["data", "taskHistory"]) as unknown[]),
    ];

    assert.equal(entries.length, 7);
    for (const entry of entries) {
      assert.equal(v.safeParse(TaskHistoryEntrySchema, entry).issues, undefined);
    }
  });

  test("list schema rejects item body", () => {
    const result = v.safeParse(TaskHistoryListResponseSchema, ITEM_2023);

    assert.equal(result.success, false);

    const paths = result.issues.map((issue) => v.getDotPath(issue));
    assert.deepEqual(paths, ["data.taskHistory", "data.total"]);
  });

  test("item schema rejects list body", () => {
    const result = v.safeParse(TaskHistoryItemResponseSchema, LIST_2026);

    assert.equal(result.success, false);

    // Object schemas of valibot 1.5 accept an array as an object, so the issues are the entry
    // keys missing from the array rather than one issue at `data.taskHistory`.
    const paths = result.issues.map((issue) => v.getDotPath(issue) ?? "");
    assert.ok(paths.length > 0);
    assert.ok(
      paths.every((path) => path.startsWith("data.taskHistory.")),
      `issue paths: ${paths.join(", ")}`,
    );
  });

  for (const [status, body] of Object.entries(ERROR_BODIES)) {
    test(`error schema accepts ${status} body`, () => {
      const result = v.safeParse(ErrorBodySchema, body);

      assert.equal(result.issues, undefined);
      assert.deepEqual(result.output, body);
    });
  }
});

describe("unknown fields", () => {
  const cases: { level: string; path: JsonPath }[] = [
    { level: "response", path: ["futureField"] },
    { level: "data", path: ["data", "futureField"] },
    { level: "entry", path: ["data", "taskHistory", 1, "futureField"] },
    { level: "asset", path: ["data", "taskHistory", 1, "asset", "futureField"] },
    { level: "tool", path: ["data", "taskHistory", 1, "answer", "tools", 0, "futureField"] },
    {
      level: "nested classification",
      path: ["data", "taskHistory", 1, "answer", "tools", 1, "classifications", 0, "futureField"],
    },
    {
      level: "relation",
      path: ["data", "taskHistory", 3, "answer", "relations", 0, "futureField"],
    },
    {
      level: "bounding box",
      path: ["data", "taskHistory", 1, "answer", "tools", 0, "bounding-box", "z"],
    },
  ];

  for (const { level, path } of cases) {
    test(`list schema keeps unknown ${level} field`, () => {
      const extra = { note: "added by a newer API version" };
      const body = withValue(FIVE_STAGES, path, extra);
      const result = v.safeParse(TaskHistoryListResponseSchema, body);

      assert.equal(result.issues, undefined);
      assert.deepEqual(valueAt(result.output, path), extra);
    });
  }

  test("error schema keeps unknown field", () => {
    const body = { status: "fail", message: "Task not found", code: "NOT_FOUND" };
    const result = v.safeParse(ErrorBodySchema, body);

    assert.equal(result.issues, undefined);
    assert.deepEqual(result.output, body);
  });
});

describe("invalid bodies", () => {
  type Change = { path: JsonPath; value: unknown } | { path: JsonPath; remove: true };

  type InvalidCase = {
    name: string;
    schema: v.GenericSchema;
    body: unknown;
    change: Change;
    issuePath: string;
  };

  const entry = ["data", "taskHistory", 0] as const;
  const labelEntry = ["data", "taskHistory", 1] as const;
  const itemEntry = ["data", "taskHistory"] as const;
  const list = TaskHistoryListResponseSchema;
  const item = TaskHistoryItemResponseSchema;
  const schemaNames = new Map<v.GenericSchema, string>([
    [list, "list schema"],
    [item, "item schema"],
    [ErrorBodySchema, "error schema"],
  ]);

  const nestedWithoutTitle = withoutKey(
    valueAt(FIVE_STAGES, [...labelEntry, "answer", "tools", 1, "classifications", 0]),
    ["title"],
  );

  const cases: InvalidCase[] = [
    {
      name: "missing stage",
      schema: list,
      body: FIVE_STAGES,
      change: { path: [...entry, "stage"], remove: true },
      issuePath: "data.taskHistory.0.stage",
    },
    {
      name: "numeric stage",
      schema: list,
      body: FIVE_STAGES,
      change: { path: [...entry, "stage"], value: 3 },
      issuePath: "data.taskHistory.0.stage",
    },
    {
      name: "object as taskHistory",
      schema: list,
      body: FIVE_STAGES,
      change: { path: ["data", "taskHistory"], value: {} },
      issuePath: "data.taskHistory",
    },
    {
      name: "string as taskHistory",
      schema: item,
      body: ITEM_2023,
      change: { path: itemEntry, value: "6464b15e4ea9720015801e07" },
      issuePath: "data.taskHistory",
    },
    {
      name: "fail status",
      schema: list,
      body: FIVE_STAGES,
      change: { path: ["status"], value: "fail" },
      issuePath: "status",
    },
    {
      name: "fail status",
      schema: item,
      body: ITEM_2023,
      change: { path: ["status"], value: "fail" },
      issuePath: "status",
    },
    {
      name: "missing data",
      schema: list,
      body: FIVE_STAGES,
      change: { path: ["data"], remove: true },
      issuePath: "data",
    },
    {
      name: "numeric assignee",
      schema: list,
      body: FIVE_STAGES,
      change: { path: [...entry, "assignee"], value: 5 },
      issuePath: "data.taskHistory.0.assignee",
    },
    {
      name: "missing nullable updatedBy",
      schema: list,
      body: FIVE_STAGES,
      change: { path: [...entry, "updatedBy"], remove: true },
      issuePath: "data.taskHistory.0.updatedBy",
    },
    {
      name: "numeric asset",
      schema: list,
      body: FIVE_STAGES,
      change: { path: [...entry, "asset"], value: 12 },
      issuePath: "data.taskHistory.0.asset",
    },
    {
      name: "null asset",
      schema: item,
      body: ITEM_2023,
      change: { path: [...itemEntry, "asset"], value: null },
      issuePath: "data.taskHistory.asset",
    },
    {
      name: "string duration",
      schema: list,
      body: FIVE_STAGES,
      change: { path: [...entry, "duration"], value: "20" },
      issuePath: "data.taskHistory.0.duration",
    },
    {
      name: "negative duration",
      schema: item,
      body: ITEM_2023,
      change: { path: [...itemEntry, "duration"], value: -1 },
      issuePath: "data.taskHistory.duration",
    },
    {
      name: "negative idleDuration",
      schema: list,
      body: FIVE_STAGES,
      change: { path: [...labelEntry, "idleDuration"], value: -31000 },
      issuePath: "data.taskHistory.1.idleDuration",
    },
    {
      name: "fractional consensusIteration",
      schema: list,
      body: FIVE_STAGES,
      change: { path: [...entry, "consensusIteration"], value: 0.5 },
      issuePath: "data.taskHistory.0.consensusIteration",
    },
    {
      name: "missing total",
      schema: list,
      body: FIVE_STAGES,
      change: { path: ["data", "total"], remove: true },
      issuePath: "data.total",
    },
    {
      name: "fractional total",
      schema: list,
      body: FIVE_STAGES,
      change: { path: ["data", "total"], value: 1.5 },
      issuePath: "data.total",
    },
    {
      name: "numeric batch name",
      schema: list,
      body: FIVE_STAGES,
      change: { path: [...entry, "batches"], value: [7] },
      issuePath: "data.taskHistory.0.batches.0",
    },
    {
      name: "missing answer relations",
      schema: list,
      body: FIVE_STAGES,
      change: { path: [...labelEntry, "answer", "relations"], remove: true },
      issuePath: "data.taskHistory.1.answer.relations",
    },
    {
      name: "non-array tool classifications",
      schema: list,
      body: FIVE_STAGES,
      change: { path: [...labelEntry, "answer", "tools", 0, "classifications"], value: {} },
      issuePath: "data.taskHistory.1.answer.tools.0.classifications",
    },
    {
      name: "string bounding box x",
      schema: item,
      body: ITEM_2023,
      change: { path: [...itemEntry, "answer", "tools", 0, "bounding-box", "x"], value: "1" },
      issuePath: "data.taskHistory.answer.tools.0.bounding-box.x",
    },
    {
      name: "string polygon coordinate",
      schema: list,
      body: FIVE_STAGES,
      change: { path: [...labelEntry, "answer", "tools", 1, "polygon", 2, 0], value: "1280" },
      issuePath: "data.taskHistory.1.answer.tools.1.polygon.2.0",
    },
    {
      name: "missing classification answer",
      schema: list,
      body: FIVE_STAGES,
      change: { path: [...labelEntry, "answer", "classifications", 0, "answer"], remove: true },
      issuePath: "data.taskHistory.1.answer.classifications.0.answer",
    },
    {
      name: "untitled nested classification",
      schema: list,
      body: FIVE_STAGES,
      change: {
        path: [...labelEntry, "answer", "classifications", 0, "classifications"],
        value: [nestedWithoutTitle],
      },
      issuePath: "data.taskHistory.1.answer.classifications.0.classifications.0.title",
    },
    {
      name: "numeric annotation createdBy",
      schema: item,
      body: ITEM_2023,
      change: { path: [...itemEntry, "answer", "tools", 0, "metadata", "createdBy"], value: 1 },
      issuePath: "data.taskHistory.answer.tools.0.metadata.createdBy",
    },
    {
      name: "missing relation target",
      schema: list,
      body: FIVE_STAGES,
      change: { path: ["data", "taskHistory", 3, "answer", "relations", 0, "to"], remove: true },
      issuePath: "data.taskHistory.3.answer.relations.0.to",
    },
    {
      name: "success status",
      schema: ErrorBodySchema,
      body: { status: "fail", message: "Task not found" },
      change: { path: ["status"], value: "success" },
      issuePath: "status",
    },
    {
      name: "missing message",
      schema: ErrorBodySchema,
      body: { status: "error", message: "Internal server error" },
      change: { path: ["message"], remove: true },
      issuePath: "message",
    },
  ];

  for (const { name, schema, body, change, issuePath } of cases) {
    test(`${schemaNames.get(schema)} rejects ${name}`, () => {
      const changed =
        "remove" in change
          ? withoutKey(body, change.path)
          : withValue(body, change.path, change.value);
      const result = v.safeParse(schema, changed);

      assert.equal(result.success, false);

      const summary = result.issues.map((issue) => `${v.getDotPath(issue)}: ${issue.message}`);
      assert.equal(result.issues.length, 1, summary.join("\n"));
      assert.equal(v.getDotPath(result.issues[0]), issuePath);
    });
  }

  test("asset union reports nested cause", () => {
    // The union issue sits at the asset, and its nested issues have paths relative to the asset.
    const body = withoutKey(FIVE_STAGES, [...entry, "asset", "_id"]);
    const result = v.safeParse(TaskHistoryListResponseSchema, body);

    assert.equal(result.success, false);
    assert.equal(result.issues.length, 1);

    const [issue] = result.issues;
    assert.equal(v.getDotPath(issue), "data.taskHistory.0.asset");

    const nestedPaths = (issue.issues ?? []).map((nested) => v.getDotPath(nested));
    assert.ok(nestedPaths.includes("_id"), `nested issue paths: ${nestedPaths.join(", ")}`);
  });
});
