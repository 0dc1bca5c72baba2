import assert from "node:assert/strict";
import { inspect } from "node:util";
import { TEST_KEY } from "./servers.ts";

/** Every text form of an error and of its chain of causes. */
export function textForms(error: unknown): string[] {
  const forms: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    forms.push(String(current), inspect(current, { depth: 10, showHidden: true }));
    forms.push(JSON.stringify(current) ?? "");
    if (current instanceof Error) {
      forms.push(String(current.stack));
      current = current.cause;
    } else {
      current = undefined;
    }
  }

  return forms;
}

/** Fails when the key appears in any text form of `value` or of its causes. */
export function assertKeyAbsent(value: unknown, key: string = TEST_KEY): void {
  for (const form of textForms(value)) {
    assert.ok(!form.includes(key), `the API key appears in: ${form.slice(0, 200)}`);
  }
}

/** Returns the rejection of a call that must fail. */
export async function failureOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => assert.fail("the call should have failed"),
    (error: unknown) => error,
  );
}
