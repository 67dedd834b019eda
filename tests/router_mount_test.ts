import { MemoryCoordinator } from "../mod.ts";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { prewarmRouter } from "../src/hono/mod.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";
import { AUTH, NOW, TOKEN } from "./router/setup.ts";

function router() {
  const sim = new TencentCdnSimulator({ now: () => NOW });
  const app = prewarmRouter({
    prewarm: {
      fetch: sim.fetch,
      now: () => NOW,
      maxRequestsPerSecond: Infinity,
      coordinator: new MemoryCoordinator(),
    },
  });
  return { sim, app };
}
const env = {
  TENCENTCLOUD_SECRET_ID: SIMULATOR_CREDENTIALS.secretId,
  TENCENTCLOUD_SECRET_KEY: SIMULATOR_CREDENTIALS.secretKey,
  PREWARM_TOKENS: TOKEN,
};
const post = {
  method: "POST",
  headers: { ...AUTH, "content-type": "text/plain" },
  body: "https://www.example.com/a.js",
};

async function checkMounted(parent: Hono): Promise<void> {
  assert.equal((await parent.request("/cdn/prewarm", post, env)).status, 200);
  assert.equal((await parent.request("/cdn/health", {}, env)).status, 200);
  const unauthorized = await parent.request("/cdn/quota", {}, env);
  assert.equal(unauthorized.status, 401);
  assert.equal((await unauthorized.json()).error.code, "unauthorized");
  const wrongMethod = await parent.request("/cdn/prewarm", {}, env);
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.get("allow"), "POST, OPTIONS");
  const missing = await parent.request("/cdn/nope", {}, env);
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error.code, "not-found");
  assert.equal(await (await parent.request("/other")).text(), "the parent's own route");
}

Deno.test("mounted with app.route(): routes, bindings, errors and 404s stay the router's", async () => {
  const parent = new Hono();
  parent.get("/other", (c) => c.text("the parent's own route"));
  parent.route("/cdn", router().app);
  await checkMounted(parent);
});

Deno.test("mounted with app.mount() (a different Hono copy): the same answers", async () => {
  const parent = new Hono();
  parent.get("/other", (c) => c.text("the parent's own route"));
  parent.mount("/cdn", router().app.fetch);
  await checkMounted(parent);
});

Deno.test("exported as a Worker: fetch(request, env) reads the bindings", async () => {
  const { app, sim } = router();
  const worker: { fetch(request: Request, env: unknown): Response | Promise<Response> } = app;
  const response = await worker.fetch(new Request("https://worker.example/prewarm", post), env);
  assert.equal(response.status, 200);
  assert.equal(sim.accepted.length, 1);
});
