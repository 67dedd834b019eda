/**
 * The router's cold start under workerd against a bare Hono app's (issue 21): each side is a
 * Worker bundled the usual way (esbuild, browser conditions), started by Miniflare
 * (tools/bench/cold_start.mjs) and sent its first request. Sides: bare Hono (the floor: a
 * `/health` route and a `bearerAuth` route), `prewarmRouter()` as the Cloudflare example makes
 * it but without the console, and the same with `console: true`.
 */
import { bundle, lastLine } from "./run.ts";
import type { Summary } from "./stats.mjs";

const root = new URL("../../", import.meta.url);
const outDir = new URL("tools/out/bench-cold/", root);

/** Workers started per workerd process. */
export const COLD_START_COPIES = 16;

/** ms per cold start of each side, and what the router adds to the floor's, per pass. */
export interface ColdStartResult {
  floor: Summary;
  router: Summary;
  routerConsole: Summary;
  /** router − floor: of the mins, and of the medians. */
  added: Summary;
  /** router with the console − floor: of the mins, and of the medians. */
  addedConsole: Summary;
  /** The Workers' bundle sizes, bytes (not minified, as Wrangler bundles by default). */
  bytes: { floor: number; router: number; routerConsole: number };
}

const WORKERS = {
  floor: `import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
const app = new Hono();
app.get("/health", (c) => c.json({ status: "ok" }));
app.post("/prewarm", bearerAuth({ token: "bench-token-0123456789abcdef" }), async (c) => {
  const { urls } = await c.req.json();
  return c.json({ urls });
});
export default app;
`,
  router: `import { prewarmRouter } from "${new URL("src/hono/mod.ts", root).pathname}";
export default prewarmRouter();
`,
  routerConsole: `import { prewarmRouter } from "${new URL("src/hono/mod.ts", root).pathname}";
export default prewarmRouter({ console: true });
`,
};

/** Bundles the three Workers and times their cold starts. */
export async function measureColdStart(passes = 10): Promise<ColdStartResult> {
  await Deno.mkdir(outDir, { recursive: true });
  const files: Record<string, string> = {};
  const bytes: Record<string, number> = {};
  for (const [name, source] of Object.entries(WORKERS)) {
    const entry = new URL(`${name}.ts`, outDir).pathname;
    files[name] = new URL(`${name}.worker.js`, outDir).pathname;
    await Deno.writeTextFile(entry, source);
    await bundle(entry, files[name]!, "--platform=browser");
    bytes[name] = (await Deno.stat(files[name]!)).size;
  }
  const result = JSON.parse(
    await lastLine("node", [
      new URL("tools/bench/cold_start.mjs", root).pathname,
      String(COLD_START_COPIES),
      String(passes),
      ...Object.entries(files).map(([name, file]) => `${name}=${file}`),
    ]),
  ) as Record<
    "floor" | "router" | "routerConsole",
    Summary & { samples: number[] }
  >;
  const minus = (a: Summary, b: Summary): Summary => ({
    min: a.min - b.min,
    median: a.median - b.median,
    passes: a.passes,
  });
  const strip = ({ min, median, passes }: Summary): Summary => ({
    min,
    median,
    passes,
  });
  return {
    floor: strip(result.floor),
    router: strip(result.router),
    routerConsole: strip(result.routerConsole),
    added: minus(result.router, result.floor),
    addedConsole: minus(result.routerConsole, result.floor),
    bytes: bytes as ColdStartResult["bytes"],
  };
}
