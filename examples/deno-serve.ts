/**
 * The prewarm router on Deno, or on Deno Deploy (which ignores the hostname and port):
 *
 *   TENCENTCLOUD_SECRET_ID=… TENCENTCLOUD_SECRET_KEY=… PREWARM_TOKENS=… \
 *     deno run --allow-net --allow-env examples/deno-serve.ts
 *
 * It reads `PREWARM_ALLOWED_HOSTS`, `HOST` (default 127.0.0.1), `PORT` (default 8787; 0 picks
 * a free one). Against `deno task simulator`, export what it prints: the library reads
 * `TENCENTCLOUD_ENDPOINT` itself.
 * In your own project: `import { prewarmRouter } from "jsr:@qcdn/prewarm/hono";`
 */
import { prewarmRouter } from "../src/hono/mod.ts";

const app = prewarmRouter({ console: true });

Deno.serve({
  hostname: Deno.env.get("HOST") ?? "127.0.0.1",
  port: Number(Deno.env.get("PORT") ?? 8787),
  onListen: ({ hostname, port }) => console.log(`Listening on http://${hostname}:${port}/`),
}, app.fetch);
