/**
 * Builds the npm package into `dist/` with tsconfig.build.json. It first removes `dist/`, so that
 * no file of a deleted module is packed. It then marks the CLI entry as executable, because npm
 * packs file modes as they are on disk and `./dist/src/cli/bin.js` should run without `node`.
 */

import { spawnSync } from "node:child_process";
import { chmodSync, rmSync } from "node:fs";
import { createRequire } from "node:module";

const root = new URL("../", import.meta.url);

rmSync(new URL("dist/", root), { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
  cwd: root,
  stdio: "inherit",
});
if (result.status !== 0) {
  process.exit(result.status ?? 1);
}

chmodSync(new URL("dist/src/cli/bin.js", root), 0o755);
