/**
 * Serves `verify_app.ts` on 127.0.0.1 with the runtime it runs on (Deno, Bun, or Node through
 * `@hono/node-server`) and prints `Listening on URL`, for the end-to-end test.
 */
import worker from "./verify_app.ts";

const hostname = "127.0.0.1";
const listening = (port: number) => console.log(`Listening on http://${hostname}:${port}/`);
const g = globalThis as {
  Deno?: unknown;
  Bun?: {
    serve(options: {
      hostname: string;
      port: number;
      fetch: (request: Request) => Response | Promise<Response>;
    }): { port: number };
  };
};

if (g.Deno) {
  Deno.serve(
    { hostname, port: 0, onListen: ({ port }) => listening(port) },
    (r) => worker.fetch(r),
  );
} else if (g.Bun) {
  listening(g.Bun.serve({ hostname, port: 0, fetch: (r) => worker.fetch(r) }).port);
} else {
  const { serve } = await import("@hono/node-server");
  serve(
    { fetch: (r: Request) => worker.fetch(r), hostname, port: 0 },
    (info) => listening(info.port),
  );
}
