import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { describe, test } from "node:test";
import * as v from "valibot";
import { compileSchemaCheck } from "../src/schema-check.ts";
import {
  ErrorBodySchema,
  TaskHistoryItemResponseSchema,
  TaskHistoryListResponseSchema,
} from "../src/schemas.ts";
import { readFixture, readFixtureText } from "./helpers/servers.ts";

/** Values put in place of each node of a fixture: wrong types, bounds and shapes. */
const REPLACEMENTS: unknown[] = [null, "x", "", -1, 1.5, 0, NaN, true, {}, [], [1], undefined];

type Json = Record<string, unknown> | unknown[];

/** Lists the path of every node below `value`, as arrays of keys. */
function nodePaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) {
    return [];
  }

  const paths: (string | number)[][] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    paths.push(path, ...nodePaths(child, path));
  }

  return paths;
}

/** Returns a deep copy of `root` with the node at `path` replaced, or deleted for `deleted`. */
function mutate(root: unknown, path: (string | number)[], replacement: unknown, deleted: boolean) {
  const copy = structuredClone(root) as Json;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    parent = parent[key] as Record<string | number, unknown>;
  }

  const last = path.at(-1) as string | number;
  if (deleted) {
    delete parent[last];
  } else {
    parent[last] = replacement;
  }

  return copy;
}

const cases: [string, v.GenericSchema, string][] = [
  ["list", TaskHistoryListResponseSchema, "synthetic-five-stage-history.json"],
  ["list", TaskHistoryListResponseSchema, "docs-2026-task-history-list.json"],
  ["item", TaskHistoryItemResponseSchema, "docs-2023-task-history-item.json"],
];

describe("compileSchemaCheck", () => {
  for (const [kind, schema, fixture] of cases) {
    test(`${kind} check agrees on ${fixture}`, () => {
      const check = compileSchemaCheck(schema);
      assert.ok(check, "the schema uses a type that the compiler does not know");
      const body = readFixture(fixture);
      assert.equal(check(body), true);

      let compared = 0;
      let rejected = 0;
      for (const path of nodePaths(body)) {
        const variants = [
          ...REPLACEMENTS.map((value) => mutate(body, path, value, false)),
          mutate(body, path, undefined, true),
        ];
        for (const variant of variants) {
          const result = v.safeParse(schema, variant);
          const expected = result.success && isDeepStrictEqual(result.output, variant);
          assert.equal(
            check(variant),
            expected,
            `at ${path.join(".")}: ${JSON.stringify(variant).slice(0, 80)}`,
          );
          compared++;
          rejected += result.success ? 0 : 1;
        }
      }

      assert.ok(compared > 100, `${compared} variants compared`);
      assert.ok(rejected > compared / 4, `${rejected} of ${compared} variants were invalid`);
    });
  }

  test("leaves reserved keys to valibot", () => {
    const check = compileSchemaCheck(TaskHistoryListResponseSchema);
    assert.ok(check);
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const text = readFixtureText("synthetic-five-stage-history.json");
      const body = JSON.parse(
        text.replace('"stage": "Label"', `"${key}": {"polluted": 1}, "stage": "Label"`),
      );
      const result = v.safeParse(TaskHistoryListResponseSchema, body);

      assert.equal(result.success, true, key);
      assert.equal(check(body), false, key);
    }
  });

  test("leaves arrays for objects to valibot", () => {
    const check = compileSchemaCheck(TaskHistoryListResponseSchema);
    assert.ok(check);
    const body = readFixture("synthetic-five-stage-history.json") as {
      data: { taskHistory: { asset: Record<string, unknown> }[] };
    };
    const entry = body.data.taskHistory[0];
    assert.ok(entry);
    entry.asset.metadata = [1, 2];

    assert.equal(v.safeParse(TaskHistoryListResponseSchema, body).success, true);
    assert.equal(check(body), false);
  });

  test("root values agree", () => {
    const check = compileSchemaCheck(TaskHistoryListResponseSchema);
    assert.ok(check);
    for (const value of [...REPLACEMENTS, "success", { status: "success" }]) {
      const expected = v.safeParse(TaskHistoryListResponseSchema, value).success;
      assert.equal(check(value), expected, JSON.stringify(value));
    }
  });

  test("error body check agrees", () => {
    const check = compileSchemaCheck(ErrorBodySchema);
    assert.ok(check);
    for (const body of [
      { status: "fail", message: "x" },
      { status: "error", message: "x", extra: 1 },
      { status: "success", message: "x" },
      { status: "fail" },
      { status: "fail", message: 1 },
    ]) {
      assert.equal(check(body), v.safeParse(ErrorBodySchema, body).success, JSON.stringify(body));
    }
  });

  test("unknown schema types compile to undefined", () => {
    assert.equal(compileSchemaCheck(v.date()), undefined);
    assert.equal(
      compileSchemaCheck(v.looseObject({ at: v.pipe(v.string(), v.email()) })),
      undefined,
    );
    assert.equal(compileSchemaCheck(v.optional(v.string(), "default")), undefined);
  });
});
