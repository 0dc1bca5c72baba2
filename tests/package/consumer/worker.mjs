/**
 * Entry of the smoke check on workerd. Each request runs `smoke.mjs` against the fake API at the
 * `FAKE_API_URL` text binding and returns the records as JSON, or the error with status 500.
 */

import { runSmokeChecks } from "./smoke.mjs";

export default {
  async fetch(_request, env) {
    try {
      return Response.json(await runSmokeChecks(env.FAKE_API_URL, env.API_KEY));
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    }
  },
};
