/**
 * Packs this package and installs the tarball into a scratch project in a temporary folder, as a
 * user would, without the network: the dependencies come from the npm cache that `npm ci` filled.
 */

import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeRun, ROOT } from "../helpers/tools.ts";

const NPM_TIMEOUT_MS = 180_000;

/** A scratch project with the packed tarball installed. */
export interface ScratchProject {
  /** Temporary folder that contains the tarball and the project. */
  folder: string;
  /** Path of the tarball that `npm pack` wrote. */
  tarball: string;
  /** The project folder: `package.json`, `node_modules/` and the files of `consumer/`. */
  project: string;
}

/**
 * Runs npm without the `npm_*` variables that an outer `npm test` sets, so that the inner command
 * reads its configuration and project folder as if a user had typed it in `cwd`.
 */
export function runNpm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")),
  );
  const result = spawnSync("npm", args, { cwd, env, encoding: "utf8", timeout: NPM_TIMEOUT_MS });

  assert.equal(result.error, undefined, `npm ${args[0]} failed to start: ${result.error}`);
  return result;
}

/** Packs the package (its `prepack` script builds it) and installs the tarball offline. */
export function createScratchProject(): ScratchProject {
  const folder = mkdtempSync(join(tmpdir(), "ango-package-"));
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };

  const pack = runNpm(["pack", "--pack-destination", folder], ROOT);
  assert.equal(pack.status, 0, describeRun(pack));
  const tarball = join(folder, `${manifest.name}-${manifest.version}.tgz`);

  const project = join(folder, "project");
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "ango-smoke-consumer", private: true, type: "module" }),
  );
  cpSync(join(ROOT, "tests", "package", "consumer"), project, { recursive: true });

  const install = runNpm(["install", "--offline", "--no-audit", "--no-fund", tarball], project);
  assert.equal(install.status, 0, describeRun(install));

  return { folder, tarball, project };
}
