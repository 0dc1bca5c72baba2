/**
 * Checks of the JSR package: `deno.json` agrees with `package.json`, and `deno publish --dry-run`
 * type-checks the exports and finds no type error, slow type or other warning. Node only, because it runs Deno from
 * node_modules as a tool.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { describeRun, ROOT, runTool } from "../helpers/tools.ts";

interface PackageJson {
  version: string;
  exports: Record<string, { types: string; default: string }>;
}

interface DenoJson {
  version: string;
  exports: Record<string, string>;
}

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(ROOT, name), "utf8")) as T;
}

/** Removes the ANSI colour codes that Deno prints even when its output is not a terminal. */
function withoutColour(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

test("deno.json version matches package.json", () => {
  const npm = readJson<PackageJson>("package.json");
  const jsr = readJson<DenoJson>("deno.json");

  assert.equal(jsr.version, npm.version);
});

test("deno.json exports match package.json", () => {
  const npm = readJson<PackageJson>("package.json");
  const jsr = readJson<DenoJson>("deno.json");

  assert.deepEqual(Object.keys(jsr.exports).sort(), Object.keys(npm.exports).sort());

  // Each subpath must name the same module: ./src/x.ts on JSR, ./dist/src/x.js on npm.
  for (const [subpath, source] of Object.entries(jsr.exports)) {
    const built = source.replace(/^\.\/src\//, "./dist/src/").replace(/\.ts$/, "");
    assert.equal(npm.exports[subpath]?.default, `${built}.js`, `JavaScript of ${subpath}`);
    assert.equal(npm.exports[subpath]?.types, `${built}.d.ts`, `types of ${subpath}`);
  }
});

test("deno publish dry run is clean", () => {
  const result = runTool("deno", "deno", ["publish", "--dry-run", "--allow-dirty"]);
  const output = withoutColour(`${result.stdout}\n${result.stderr}`);

  assert.equal(result.status, 0, describeRun(result));
  assert.doesNotMatch(output, /warning/i, output);
  assert.match(output, /Dry run complete/, output);

  // The dry run type-checks each export as `deno check` does.
  const jsr = readJson<DenoJson>("deno.json");
  for (const source of Object.values(jsr.exports)) {
    assert.ok(output.includes(`Check ${source.replace(/^\.\//, "")}`), `${source} not checked`);
  }

  // Only the library, its generated types and the package documents are published.
  const published = [...output.matchAll(/file:\/\/\S+/g)].map((match) => match[0]);
  const outside = published.filter(
    (url) => !/\/(src\/(?!cli\/).+\.ts|generated\/.+\.ts|LICENSE|README\.md|deno\.json)$/.test(url),
  );
  assert.ok(published.length > 0, output);
  assert.deepEqual(outside, []);
});
