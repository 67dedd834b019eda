/**
 * The prewarm router on Deno, or on Deno Deploy (which ignores the hostname and port):
 *
 *   TENCENTCLOUD_SECRET_ID=… TENCENTCLOUD_SECRET_KEY=… PREWARM_TOKENS=… \
 *     deno run --allow-net --allow-env examples/deno-serve.ts
 *
 * It reads `PREWARM_ALLOWED_HOSTS`, `HOST` (default 127.0.0.1), `PORT` (default 8787; 0 picks
 * a free one) and, only to point it at a stand-in such as the simulator, `TENCENTCLOUD_ENDPOINT`.
 * In your own project: `import { prewarmRouter } from "jsr:@qcdn/prewarm/hono";`
 */
import { prewarmRouter } from "../src/hono/mod.ts";

const endpoint = Deno.env.get("TENCENTCLOUD_ENDPOINT");
const app = prewarmRouter({ console: true, prewarm: endpoint ? { endpoint } : {} });

Deno.serve({
  hostname: Deno.env.get("HOST") ?? "127.0.0.1",
  port: Number(Deno.env.get("PORT") ?? 8787),
  onListen: ({ hostname, port }) => console.log(`Listening on http://${hostname}:${port}/`),
}, app.fetch);
