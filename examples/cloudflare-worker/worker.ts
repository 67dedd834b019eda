/**
 * The prewarm router as a Cloudflare Worker: `npm install && npx wrangler dev` in this folder
 * (see README.md here). Secrets (`wrangler secret put`, or `.dev.vars` for `wrangler dev`):
 * `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and `PREWARM_TOKENS` (comma-separated
 * bearer tokens for CI). Plain variables (`[vars]` in wrangler.toml): `PREWARM_ALLOWED_HOSTS`,
 * and `TENCENTCLOUD_ENDPOINT` only to point it at a stand-in such as the local simulator.
 *
 * In your own Worker project, import from the published package instead:
 * `import { prewarmRouter } from "@qcdn/prewarm/hono";`
 */
import { prewarmRouter } from "../../src/hono/mod.ts";

/** The Worker's bindings the router reads. */
interface Bindings {
  TENCENTCLOUD_SECRET_ID?: string;
  TENCENTCLOUD_SECRET_KEY?: string;
  PREWARM_TOKENS?: string;
  PREWARM_ALLOWED_HOSTS?: string;
  TENCENTCLOUD_ENDPOINT?: string;
}

// Credentials, tokens and allowed hosts are read from the bindings by default. Bindings only
// exist per request, so the endpoint is chosen per request too.
export default prewarmRouter<{ Bindings: Bindings }>({
  console: true, // The page at / (it needs a token for everything it does).
  prewarm: (c) => c.env.TENCENTCLOUD_ENDPOINT ? { endpoint: c.env.TENCENTCLOUD_ENDPOINT } : {},
});
