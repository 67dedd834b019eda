/**
 * The router's console page and the endpoints it needs: `POST /prewarm/plan` (the dry run)
 * and `GET /tasks?ids=` (one poll round of several tasks), through `app.request()`.
 */
import assert from "node:assert/strict";
import { cdnV2 } from "../src/apis/cdn_v2.ts";
import { Hono } from "hono";
import { prewarmRouter } from "../src/hono/mod.ts";
import { SIMULATOR_CREDENTIALS } from "../src/testing/mod.ts";
import { assertConsolePage, inlineSources } from "./router/console_page.ts";
import { AUTH, capturingLog, errorCode, setup, TOKEN } from "./router/setup.ts";

Deno.test("console: off by default; GET / is the JSON 404", async () => {
  const { app } = setup();
  const response = await app.request("/");
  assert.equal(response.status, 404);
  assert.equal(await errorCode(response), "not-found");
});

Deno.test("console: the page, its strict headers, and the hashes that admit its script", async () => {
  const { app } = setup({ console: true });
  const response = await app.request("/");
  assert.equal(response.status, 200);
  const html = await response.text();
  const h = response.headers;
  await assertConsolePage(html, h);
  assert.equal(h.get("cache-control"), "no-store");
  const { script } = inlineSources(html);
  // Self-contained: no URL of any other origin anywhere in it.
  assert.doesNotMatch(html, /https?:\/\/|\/\/[a-z]/i);
  // Data goes into the page as text only: the script never parses markup.
  assert.doesNotMatch(script, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  // The token lives in this tab only.
  assert.doesNotMatch(script, /localStorage|document\.cookie/);
  // Accessible: every field has a label, status changes are announced.
  for (const [, id] of html.matchAll(/<(?:input|select|textarea)[^>]*id="([^"]+)"/g)) {
    assert.match(html, new RegExp(`<label for="${id}"`), `a label for #${id}`);
  }
  assert.match(html, /role="status" aria-live="polite"/);
  assert.match(html, /role="alert"/);

  const head = await app.request("/", { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-security-policy"), h.get("content-security-policy"));
  const post = await app.request("/", { method: "POST", headers: AUTH });
  assert.equal(post.status, 405);
  assert.match(post.headers.get("allow") ?? "", /GET/);
});

Deno.test("console: the page speaks plainly, for people who know neither HTTP nor routers", async () => {
  const html = await (await setup({ console: true }).app.request("/")).text();
  const { script } = inlineSources(html);
  const markup = html.replace(/<(script|style)>[\s\S]*?<\/\1>/g, "").replace(/<[^>]*>/g, " ");
  // What the script writes on the page: its string literals of two words or more.
  const messages = [...script.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!)
    .filter((text) => /\w+ \w+/.test(text));
  for (const words of [markup, ...messages]) {
    assert.doesNotMatch(words, /\b(?:bearer|token|router|default|sessionStorage|HTTP)\b/i);
    assert.doesNotMatch(words, /Tencent's count|\b401\b/);
  }
  assert.ok(messages.some((text) => text.includes("access code")), "the messages were found");
  assert.match(markup, /Access code/);
  assert.match(markup, /Server setting/);
});

Deno.test("simulated: GET /quota and POST /prewarm/plan say so; the option is checked", async () => {
  for (const simulated of [true, false, undefined]) {
    const { get, app } = setup({ simulated });
    const quota = await (await get("/quota")).json();
    const plan = await (await app.request("/prewarm/plan", {
      method: "POST",
      headers: { ...AUTH, "content-type": "text/plain" },
      body: "https://www.example.com/a.js",
    })).json();
    assert.equal(quota.simulated, simulated || undefined, String(simulated));
    assert.equal(plan.budget.simulated, simulated || undefined, String(simulated));
  }
  assert.throws(
    () => prewarmRouter({ simulated: "yes" as unknown as boolean }),
    /Invalid option simulated: expected a boolean, got string/,
  );
});

Deno.test("console: the page reveals nothing of the configuration", async () => {
  const pages = await Promise.all([
    setup({ console: true }).app,
    setup({ console: true, allowedHosts: ["secret-host.example.com"], maxUrls: 7 }).app,
    prewarmRouter({ console: true, tokens: [] }), // no tokens: the API answers 503
    prewarmRouter({ console: true, tokens: [TOKEN], credentials: { ...SIMULATOR_CREDENTIALS } }),
  ].map(async (app) => {
    const response = await app.request("/");
    return [await response.text(), [...response.headers].sort().join("\n")];
  }));
  for (const page of pages.slice(1)) assert.deepEqual(page, pages[0]);
  const [html] = pages[0]!;
  for (const secret of [TOKEN, SIMULATOR_CREDENTIALS.secretId, "secret-host", "maxUrls"]) {
    assert.ok(!html!.includes(secret));
  }
  // Without a token, the routes it calls still answer 401 (or 503 unconfigured), never data.
  const { app } = setup({ console: true });
  for (const [method, path] of [["POST", "/prewarm/plan"], ["GET", "/tasks?ids=1"]] as const) {
    const response = await app.request(path, { method });
    assert.equal(response.status, 401);
  }
  const logged = await capturingLog(async () => {
    const unconfigured = await prewarmRouter({ console: true }).request("/prewarm/plan", {
      method: "POST",
      headers: AUTH,
    });
    assert.equal(unconfigured.status, 503);
  });
  assert.match(logged.join("\n"), /No bearer tokens are configured/);
});

Deno.test("console: served at console.path, and found when the router is mounted", async () => {
  const { app } = setup({ console: { path: "/ui/console" } });
  assert.equal((await app.request("/ui/console")).status, 200);
  assert.equal((await app.request("/")).status, 404);
  const html = await (await app.request("/ui/console")).text();
  assert.match(html, /<html lang="en" data-page="\/ui\/console" data-advice="/);

  // app.route() adds the routes to the outer app, whose strict routing tells /cdn/ from /cdn;
  // app.mount() hands the router every path under /cdn.
  const outer = new Hono();
  outer.route("/cdn", setup({ console: true }).app);
  const mounted = new Hono();
  mounted.mount("/cdn", setup({ console: true }).app.fetch);
  for (const [app, path] of [[outer, "/cdn"], [mounted, "/cdn"], [mounted, "/cdn/"]] as const) {
    const response = await app.request(path);
    assert.equal(response.status, 200, path);
    assert.match(await response.text(), /data-page="\/"/);
  }
  const plan = await outer.request("/cdn/prewarm/plan", {
    method: "POST",
    headers: { ...AUTH, "content-type": "text/plain" },
    body: "https://www.example.com/a.js",
  });
  assert.equal(plan.status, 200);
});

Deno.test("console: a bad console option throws when the router is made", () => {
  const bad: [unknown, typeof TypeError | typeof RangeError, RegExp][] = [
    ["yes", TypeError, /Invalid option console: expected a boolean or \{ path \}, got string/],
    [{ path: 3 }, TypeError, /console\.path: expected a string, got number/],
    [{ path: "console" }, RangeError, /got "console"/],
    [{ path: "/a/../b" }, RangeError, /got "\/a\/..\/b"/],
    [{ path: "/x?y" }, RangeError, /got "\/x\?y"/],
    [{ path: "/quota" }, RangeError, /under the API route \/quota/],
    [{ path: "/tasks/ui" }, RangeError, /under the API route \/tasks/],
  ];
  for (const [value, Kind, message] of bad) {
    assert.throws(
      () => prewarmRouter({ console: value as boolean }),
      (error: Error) => error instanceof Kind && message.test(error.message),
      JSON.stringify(value),
    );
  }
  prewarmRouter({ console: false });
  prewarmRouter({ console: { path: "/console/" } });
});

// deno-lint-ignore no-explicit-any
type Json = any;

async function plan(
  app: Hono,
  lines: string[],
  query = "",
): Promise<{ status: number; body: Json }> {
  const response = await app.request(`/prewarm/plan${query}`, {
    method: "POST",
    headers: { ...AUTH, "content-type": "text/plain" },
    body: lines.join("\n"),
  });
  return { status: response.status, body: await response.json() };
}

Deno.test("POST /prewarm/plan: every URL judged as POST /prewarm would, and nothing sent", async () => {
  const { app, sim, postText } = setup(
    { allowedHosts: ["*.example.com"] },
    { dailyLimit: 5, batchSize: 2 },
  );
  const xss = 'https://www.example.com/"><img src=x onerror=alert(1)>';
  const lines = [
    "https://www.example.com/a.js",
    "https://www.example.com/b.js",
    "https://www.example.com/a.js",
    "https://static.example.com/c.css",
    "https://elsewhere.example.org/d.js",
    xss,
    "https://www.example.com/e.js",
  ];
  const { status, body } = await plan(app, lines);
  assert.equal(status, 200);
  assert.equal(sim.requests.length, 0, "a plan asks Tencent nothing");
  assert.deepEqual(body.counts, { input: 7, wouldSend: 4, rejected: 3, requests: 3 });
  assert.deepEqual(body.rejected.map((r: Json) => [r.url, r.reason]), [
    ["https://elsewhere.example.org/d.js", "host-not-allowed"],
    ["https://www.example.com/a.js", "duplicate"],
    [xss, "invalid-url"],
  ]);
  assert.deepEqual(body.batches, [
    { host: "www.example.com", urls: lines.slice(0, 2) },
    { host: "www.example.com", urls: [lines[6]] },
    { host: "static.example.com", urls: [lines[3]] },
  ]);
  assert.deepEqual(body.budget, {
    area: "overseas",
    day: "2026-11-28",
    used: 0,
    limit: 5,
    remaining: 5,
    resetsAt: "2026-11-28T16:00:00.000Z",
    wouldSpend: 4,
  });
  assert.deepEqual([body.dryRun, body.api, body.area, body.batchSize], [true, "v3", "overseas", 2]);
  assert.equal(body.quota, "the overseas area");

  // The send does what the plan said: the same URLs reach Tencent, the same are rejected.
  const sent = await (await postText(lines)).json();
  assert.deepEqual(
    sim.accepted.flatMap((t) => t.urls).sort(),
    body.batches.flatMap((b: Json) => b.urls).sort(),
  );
  assert.deepEqual(
    sent.rejected.map((r: Json) => [r.url, r.reason]),
    body.rejected.map((r: Json) => [r.url, r.reason]),
  );

  // With 1 of 5 left, the next plan spends 1 and rejects the rest as daily-limit.
  const next = await plan(app, ["https://www.example.com/f.js", "https://www.example.com/g.js"]);
  assert.equal(next.body.budget.remaining, 1);
  assert.equal(next.body.budget.wouldSpend, 1);
  assert.deepEqual(next.body.rejected.map((r: Json) => r.reason), ["daily-limit"]);
  assert.match(next.body.rejected[0].detail, /has 1 URL left \(dailyLimit 5\)/);
});

Deno.test("POST /prewarm/plan: the body rules of POST /prewarm", async () => {
  const { app } = setup({ maxUrls: 2 });
  assert.equal(
    (await plan(app, ["https://www.example.com/a"], "?area=global")).body.budget.area,
    "global",
  );
  assert.deepEqual(
    (await plan(app, ["https://www.example.com/a"], "?area=global")).body.quota,
    "the mainland and overseas areas",
  );
  assert.equal((await plan(app, ["https://www.example.com/a"], "?area=moon")).status, 400);
  assert.equal((await plan(app, ["# nothing"])).body.error.code, "no-urls");
  assert.equal((await plan(app, ["a", "b", "c"])).status, 413);
  const v2 = setup({}, { api: cdnV2() });
  const refused = await plan(v2.app, ["https://www.example.com/a"], "?area=mainland");
  assert.equal(refused.status, 400);
  assert.match(refused.body.error.message, /API 2\.0/);
  const json = await app.request("/prewarm/plan", {
    method: "POST",
    headers: { ...AUTH, "content-type": "application/json" },
    body: JSON.stringify({ urls: ["https://www.example.com/a"], area: "mainland" }),
  });
  assert.equal((await json.json()).area, "mainland");
  assert.equal((await app.request("/prewarm/plan", { headers: AUTH })).status, 405);
});

Deno.test("GET /tasks?ids=: one round for several tasks, pending until the clock says done", async () => {
  const { app, sim, advance } = setup({}, {}, { taskDurationMs: 60_000 });
  const sent = await (await app.request("/prewarm", {
    method: "POST",
    headers: { ...AUTH, "content-type": "text/plain" },
    body: "https://www.example.com/a.js\nhttps://static.example.com/b.css",
  })).json();
  const ids = sent.tasks.map((t: Json) => t.taskId);
  assert.equal(ids.length, 2);
  const poll = async (query: string) => {
    const response = await app.request(`/tasks?ids=${query}`, { headers: AUTH });
    return { status: response.status, body: await response.json() };
  };
  const requests = sim.requests.length;
  let round = await poll(ids.map(encodeURIComponent).join(","));
  assert.equal(round.status, 200);
  assert.equal(sim.requests.length - requests, 2, "one DescribePushTasks per task");
  assert.deepEqual(
    round.body.urls.map((u: Json) => [u.url, u.status]),
    [["https://www.example.com/a.js", "pending"], ["https://static.example.com/b.css", "pending"]],
  );
  assert.equal(round.body.counts.pending, 2);
  assert.match(round.body.advice.pending, /Still in process/);
  // In the router's words: the route to ask again, not a command line.
  assert.match(round.body.advice.pending, /check again later \(GET \/tasks\?ids=TASK_ID\)\.$/);

  advance(60_000);
  round = await poll(`${ids[0]},${ids[1]},${ids[0]},nosuchtask`);
  assert.deepEqual(round.body.urls.map((u: Json) => u.status), ["done", "done", "unknown"]);
  assert.deepEqual(round.body.counts, { done: 2, failed: 0, invalid: 0, pending: 0, unknown: 1 });
  assert.deepEqual(Object.keys(round.body.advice).sort(), ["done", "unknown"]);

  assert.equal((await poll("")).body.error.code, "invalid-query");
  assert.equal((await app.request("/tasks", { headers: AUTH })).status, 400);
  assert.match(
    (await poll(Array.from({ length: 101 }, (_, i) => `t${i}`).join(","))).body.error.message,
    /at most 100 task ids in \?ids=; got 101/,
  );
  assert.equal((await poll("a%00b")).status, 400);
  assert.equal((await app.request(`/tasks?ids=${ids[0]}`)).status, 401);
  const v2 = setup({}, { api: cdnV2() });
  assert.equal((await v2.get(`/tasks?ids=1`)).status, 501);
});

Deno.test("GET /tasks?ids=: an upstream error ends the round with it, masked", async () => {
  const { get, sim } = setup({}, { retries: 0 });
  sim.inject({
    type: "error",
    code: "InternalError",
    message: `broke for ${SIMULATOR_CREDENTIALS.secretId}`,
  });
  const response = await get("/tasks?ids=abc");
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.urls[0].status, "pending");
  assert.equal(body.error.code, "InternalError");
  assert.ok(!JSON.stringify(body).includes(SIMULATOR_CREDENTIALS.secretId));
});
