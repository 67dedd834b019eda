/**
 * The prewarm router on Bun:
 *
 *   TENCENTCLOUD_SECRET_ID=… TENCENTCLOUD_SECRET_KEY=… PREWARM_TOKENS=… bun run examples/bun.ts
 *
 * It reads `PREWARM_ALLOWED_HOSTS`, `HOST` (default 127.0.0.1), `PORT` (default 8787; 0 picks
 * a free one). Against `deno task simulator`, export what it prints: the library reads
 * `TENCENTCLOUD_ENDPOINT` itself.
 * In your own project (`bunx jsr add @qcdn/prewarm && bun add hono`):
 * `import { prewarmRouter } from "@qcdn/prewarm/hono";`
 */
import process from "node:process";
import { prewarmRouter } from "../src/hono/mod.ts";

// The part of Bun's global this file uses, declared so that `deno check` can read it too.
declare const Bun: {
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request) => Response | Promise<Response>;
  }): { hostname: string; port: number };
};

const app = prewarmRouter({ console: true });

const server = Bun.serve({
  hostname: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT ?? 8787),
  fetch: app.fetch,
});
console.log(`Listening on http://${server.hostname}:${server.port}/`);
