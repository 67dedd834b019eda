/**
 * The prewarm router as a Cloudflare Worker: `npm install && npx wrangler dev` in this folder
 * (see README.md here). Secrets (`wrangler secret put`, or `.dev.vars` for `wrangler dev`):
 * `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and `PREWARM_TOKENS` (comma-separated
 * bearer tokens for CI). Plain variables (`[vars]` in wrangler.toml): `PREWARM_ALLOWED_HOSTS`,
 * and `TENCENTCLOUD_ENDPOINT` only to point it at a stand-in such as the local simulator.
 *
 * The account's daily budget and request rate live in a Durable Object (`PREWARM_COORDINATOR`
 * in wrangler.toml), so every isolate and location of the Worker shares them.
 *
 * In your own Worker project, import from the published package instead:
 * `import { endpointFromEnv } from "@qcdn/prewarm";`,
 * `import { prewarmRouter } from "@qcdn/prewarm/hono";` and
 * `import { durableObjectCoordinator } from "@qcdn/prewarm/cloudflare";`
 */
import { endpointFromEnv } from "../../mod.ts";
import {
  durableObjectCoordinator,
  type DurableObjectNamespace,
} from "../../src/coordinator/durable_object.ts";
import { prewarmRouter } from "../../src/hono/mod.ts";

// The Durable Object class must be exported by the Worker's main module.
export { PrewarmCoordinator } from "../../src/coordinator/durable_object.ts";

/** The Worker's bindings the router reads (a type, not an interface: it is read as a record). */
type Bindings = {
  TENCENTCLOUD_SECRET_ID?: string;
  TENCENTCLOUD_SECRET_KEY?: string;
  PREWARM_TOKENS?: string;
  PREWARM_ALLOWED_HOSTS?: string;
  TENCENTCLOUD_ENDPOINT?: string;
  PREWARM_COORDINATOR: DurableObjectNamespace;
};

// Credentials, tokens and allowed hosts are read from the bindings by default. Bindings only
// exist per request, so the coordinator and the endpoint are chosen per request too (a Worker
// has no process environment: the endpoint is read from its bindings, here, or not at all).
export default prewarmRouter<{ Bindings: Bindings }>({
  console: true, // The page at / (it needs a token for everything it does).
  prewarm: (c) => ({
    coordinator: durableObjectCoordinator(c.env.PREWARM_COORDINATOR),
    endpoint: endpointFromEnv(c.env),
  }),
});
