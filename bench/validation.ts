import * as v from "valibot";
import type * as SchemaCheck from "../src/schema-check.ts";
import type * as Schemas from "../src/schemas.ts";
import { historyBody } from "./histories.ts";
import { median } from "./measure.ts";

/** Median time of each step of reading one body, without HTTP. */
export interface ValidationTimes {
  parseMs: number;
  /** The compiled check that the client runs first. */
  checkMs: number;
  /** valibot's `safeParse`, which the client runs only for an invalid body. */
  valibotMs: number;
}

/**
 * Times `JSON.parse` of a history of `entries` entries, the compiled check of the parsed value,
 * and valibot's `safeParse` of it, each `runs` times, from the built files in `dist/`.
 */
export async function measureValidation(entries: number, runs: number): Promise<ValidationTimes> {
  const dist = new URL("../dist/src/", import.meta.url);
  const { compileSchemaCheck } = (await import(
    new URL("schema-check.js", dist).href
  )) as typeof SchemaCheck;
  const { TaskHistoryListResponseSchema: schema } = (await import(
    new URL("schemas.js", dist).href
  )) as typeof Schemas;
  const text = new TextDecoder().decode(historyBody(entries));
  const json: unknown = JSON.parse(text);
  const check = compileSchemaCheck(schema);
  if (check === undefined || !check(json) || !v.safeParse(schema, json).success) {
    throw new Error("the benchmark body does not match the schema");
  }

  const time = (step: () => unknown): number => {
    const times: number[] = [];
    for (let run = 0; run < runs + 3; run++) {
      const startedAt = performance.now();
      step();
      times.push(performance.now() - startedAt);
    }

    return median(times.slice(3));
  };

  return {
    parseMs: time(() => JSON.parse(text)),
    checkMs: time(() => check(json)),
    valibotMs: time(() => v.safeParse(schema, json, { abortEarly: false })),
  };
}
