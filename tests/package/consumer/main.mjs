/**
 * Entry of the smoke check on Node, Bun and Deno: `<runtime> main.mjs BASE_URL API_KEY` prints
 * the records of `smoke.mjs` as one line of JSON.
 */

import { runSmokeChecks } from "./smoke.mjs";

const [baseUrl, apiKey] = typeof Deno !== "undefined" ? Deno.args : process.argv.slice(2);

console.log(JSON.stringify(await runSmokeChecks(baseUrl, apiKey)));
