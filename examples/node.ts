/**
 * The prewarm router on Node, served by `@hono/node-server`:
 *
 *   npm install hono @hono/node-server && npx jsr add @qcdn/prewarm
 *   TENCENTCLOUD_SECRET_ID=… TENCENTCLOUD_SECRET_KEY=… PREWARM_TOKENS=… node server.js
 *
 * It reads `PREWARM_ALLOWED_HOSTS`, `HOST` (default 127.0.0.1), `PORT` (default 8787; 0 picks
 * a free one). Against `deno task simulator`, export what it prints: the library reads
 * `TENCENTCLOUD_ENDPOINT` itself.
 * In your own project: `import { prewarmRouter } from "@qcdn/prewarm/hono";`
 */
import process from "node:process";
import { serve } from "@hono/node-server";
import { prewarmRouter } from "../src/hono/mod.ts";

const app = prewarmRouter({ console: true });

const hostname = process.env.HOST ?? "127.0.0.1";
serve({ fetch: app.fetch, hostname, port: Number(process.env.PORT ?? 8787) }, (info) => {
  console.log(`Listening on http://${hostname}:${info.port}/`);
});
