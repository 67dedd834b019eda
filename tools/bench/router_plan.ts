/**
 * The router's `POST /prewarm/plan` with 500 URLs, in process (`app.request()`), against its
 * floor: a bare Hono app with `bearerAuth` that reads the same JSON body and echoes the URLs.
 * Runtime neutral (Web APIs only): Deno runs it in place, Node runs a bundle of it
 * (tools/bench/router_plan_node.mjs). Both sides in the same passes, warm-up passes first.
 */
import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { MemoryCoordinator } from "../../mod.ts";
import { prewarmRouter } from "../../src/hono/mod.ts";
import { microsPerAsyncOp, type Summary, timeSides } from "./stats.mjs";

const TOKEN = "bench-token-0123456789abcdef";
const URLS = 500;
const REQUESTS = 20; // per pass and side

/** What one run measured: µs per request of each side, min and median over the passes. */
export interface RouterPlanResult {
  urls: number;
  bodyBytes: number;
  ours: Summary;
  floor: Summary;
}

/** The floor: what any authenticated JSON endpoint of Hono pays for this body. */
export function bareHono(token: string): Hono {
  const app = new Hono();
  app.post("/prewarm/plan", bearerAuth({ token }), async (c) => {
    const { urls } = await c.req.json<{ urls: string[] }>();
    return c.json({ urls });
  });
  return app;
}

/** Measures both sides; `passes` timed passes after `warmup` ones. */
export async function measureRouterPlan(
  plan: { warmup: number; passes: number } = { warmup: 5, passes: 31 },
): Promise<RouterPlanResult> {
  const urls = Array.from(
    { length: URLS },
    (_, i) => `https://www.example.com/plan/asset-${i}.js?v=1`,
  );
  const body = JSON.stringify({ urls });
  const init = () => ({
    method: "POST",
    headers: {
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/json",
    },
    body,
  });
  const router = prewarmRouter({
    credentials: {
      secretId: "AKIDbench000000000000000000000000000",
      secretKey: "bench-secret-key-000000000000000",
    },
    tokens: [TOKEN],
    prewarm: { coordinator: new MemoryCoordinator() },
  });
  const floor = bareHono(TOKEN);
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`Router plan benchmark: ${what}`);
  };
  const times = await timeSides({
    ours: () =>
      microsPerAsyncOp(REQUESTS, async () => {
        const response = await router.request("/prewarm/plan", init());
        const answer = await response.json() as {
          counts: { wouldSend: number };
        };
        check(
          response.status === 200 && answer.counts.wouldSend === URLS,
          `ours answered ${response.status}`,
        );
      }),
    floor: () =>
      microsPerAsyncOp(REQUESTS, async () => {
        const response = await floor.request("/prewarm/plan", init());
        const answer = await response.json() as { urls: string[] };
        check(
          response.status === 200 && answer.urls.length === URLS,
          `the floor answered ${response.status}`,
        );
      }),
  }, plan);
  const strip = ({ min, median, passes }: Summary): Summary => ({
    min,
    median,
    passes,
  });
  return {
    urls: URLS,
    bodyBytes: new TextEncoder().encode(body).length,
    ours: strip(times.ours),
    floor: strip(times.floor),
  };
}
