/**
 * `POST /verify` through `app.request()`: the same body and token as `POST /prewarm`, probes
 * only for hosts in `allowedHosts` (none without a list), on default ports, bounded per request.
 */
import assert from "node:assert/strict";
import { prewarmRouter, type PrewarmRouterOptions } from "../src/hono/mod.ts";
import type { EdgeRule, SimulatedEdgeOptions } from "../src/testing/mod.ts";
import type { RouterVerifyOptions } from "../src/hono/verify_options.ts";
import { AUTH, capturingLog, errorCode, setup } from "./router/setup.ts";

const ALLOWED = ["*.example.com"];

/** A router before the simulator, and an edge in front of the same account. */
function verifySetup(
  router: PrewarmRouterOptions = { allowedHosts: ALLOWED },
  verify: RouterVerifyOptions = {},
  edgeOptions: SimulatedEdgeOptions = {},
) {
  const routed = setup(
    { ...router, verify },
    {},
    { domains: ["www.example.com", "img.example.com"], taskDurationMs: 60_000 },
    edgeOptions,
  );
  const verifyText = (lines: string[], headers: Record<string, string> = AUTH) =>
    Promise.resolve(routed.app.request("/verify", {
      method: "POST",
      headers: { ...headers, "content-type": "text/plain" },
      body: lines.join("\n"),
    }));
  return { ...routed, verifyText };
}

const URLS = ["https://www.example.com/app.js", "https://img.example.com/logo.png"];

Deno.test("POST /verify: prewarm, then misses until the tasks are done, hits after", async () => {
  const { postText, verifyText, advance, edge } = verifySetup(
    {
      allowedHosts: ALLOWED,
      simulated: true,
    },
    {},
    { rules: [{ match: /logo/, hit: ["Hit From MemCache", "Hit From Inner Cluster"] }] },
  );
  assert.equal((await postText(URLS)).status, 200);
  const early = await verifyText(URLS);
  assert.equal(early.status, 200);
  assert.equal(early.headers.get("cache-control"), "no-store");
  const before = await early.json();
  assert.deepEqual(before.counts, { hit: 0, miss: 2, bypass: 0, unknown: 0, error: 0 });
  assert.equal(before.simulated, true);
  advance(60_000);
  const after = await (await verifyText(URLS)).json();
  assert.deepEqual(after.urls.map((u: { state: string }) => u.state), ["hit", "hit"]);
  assert.equal(after.urls[1].decidedBy, "X-Cache-Lookup: Hit From MemCache");
  assert.equal(after.method, "GET");
  assert.equal(edge.bodyBytesRead, 0);
  assert.ok(edge.requests.every((r) => r.redirect === "manual" && r.range === "bytes=0-0"));
});

Deno.test("POST /verify: only allowed hosts on default ports are probed; the rest come back refused", async () => {
  const { app, edge } = verifySetup({ allowedHosts: ["www.example.com"] }, { ports: [8443] });
  const urls = [
    "https://www.example.com/a.js",
    "https://img.example.com/b.png",
    "https://www.example.com:8080/admin",
    "https://www.example.com:8443/ok.js",
    "https://www.example.com:443/c.js",
    "https://127.0.0.1/d.js",
    "gopher://www.example.com/e",
  ];
  // JSON, as POST /prewarm takes it.
  const response = await app.request("/verify", {
    method: "POST",
    headers: { ...AUTH, "content-type": "application/json" },
    body: JSON.stringify({ urls }),
  });
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.deepEqual(body.urls.map((u: { url: string }) => u.url), urls);
  assert.deepEqual(
    body.urls.map((u: { state: string; error?: { code: string } }) => u.error?.code ?? u.state),
    ["miss", "refused", "refused", "miss", "miss", "invalid-url", "invalid-url"],
  );
  assert.match(
    body.urls[1].error.message,
    /^The host img\.example\.com is not in this router's allowedHosts; not probed$/,
  );
  assert.match(body.urls[2].error.message, /^Port 8080 is not probed/);
  // The edge saw only what was allowed (":443" is the default port, written out).
  assert.deepEqual(edge.requests.map((r) => r.url), [
    "https://www.example.com/a.js",
    "https://www.example.com:8443/ok.js",
    "https://www.example.com/c.js",
  ]);
});

Deno.test("POST /verify without allowedHosts: 403, and nothing is probed", async () => {
  const { verifyText, edge } = verifySetup({});
  const response = await verifyText(URLS);
  assert.equal(response.status, 403);
  assert.deepEqual(await response.json(), {
    error: {
      code: "allowed-hosts-required",
      message: "This router probes only hosts in its allowedHosts, and none is set: its " +
        "operator sets PREWARM_ALLOWED_HOSTS (or the allowedHosts option) to enable POST /verify",
    },
  });
  assert.equal(edge.requests.length, 0);
  // An empty list allows no host: every URL is refused, none probed.
  const empty = verifySetup({ allowedHosts: [] });
  const body = await (await empty.verifyText(URLS)).json();
  assert.deepEqual(body.counts.error, 2);
  assert.equal(empty.edge.requests.length, 0);
});

Deno.test("POST /verify: the token and the body as POST /prewarm; GET is 405", async () => {
  const { app, verifyText, edge } = verifySetup();
  const anonymous = await verifyText(URLS, {});
  assert.equal(anonymous.status, 401);
  assert.equal(await errorCode(anonymous), "unauthorized");
  assert.equal((await verifyText([])).status, 400);
  const wrongType = await app.request("/verify", {
    method: "POST",
    headers: { ...AUTH, "content-type": "application/x-www-form-urlencoded" },
    body: "urls=x",
  });
  assert.equal(wrongType.status, 415);
  const get = await app.request("/verify", { headers: AUTH });
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST, OPTIONS");
  assert.equal(edge.requests.length, 0);
  // An unconfigured router is closed here too.
  const closed = prewarmRouter({ tokens: ["test-token-0123456789abcdef"], credentials: undefined });
  let status = 0;
  const logged = await capturingLog(async () => {
    const refused = await closed.request("/verify", {
      method: "POST",
      headers: { ...AUTH, "content-type": "text/plain" },
      body: URLS[0],
    });
    status = refused.status;
  });
  assert.equal(status, 503);
  assert.match(logged.join("\n"), /No Tencent Cloud credentials/);
});

Deno.test("POST /verify: bounded per request in URLs, concurrency, time per probe and in all", async () => {
  const many = Array.from({ length: 13 }, (_, i) => `https://www.example.com/${i}.js`);
  const capped = verifySetup({ allowedHosts: ALLOWED }, { maxUrls: 12 });
  const tooMany = await capped.verifyText(many);
  assert.equal(tooMany.status, 413);
  const refused = (await tooMany.json()).error;
  assert.equal(refused.code, "too-many-urls");
  assert.equal(
    refused.message,
    "The body lists 13 URLs; at most 12 are probed per request (verify.maxUrls): split them",
  );
  const empty = await capped.verifyText(["# nothing"]);
  assert.equal(empty.status, 400);
  assert.deepEqual((await empty.json()).error, {
    code: "no-urls",
    message: "The body lists no URLs",
  });
  assert.equal(capped.edge.requests.length, 0);

  const slow = verifySetup({ allowedHosts: ALLOWED }, { concurrency: 3 }, { latencyMs: 10 });
  await slow.verifyText(many);
  assert.equal(slow.edge.maxInFlight, 3);

  // The whole request's time: what is not answered by then is aborted.
  const rules: EdgeRule[] = [];
  const late = verifySetup({ allowedHosts: ALLOWED }, { concurrency: 1, maxTimeMs: 50 }, {
    latencyMs: 30,
    rules,
  });
  const body = await (await late.verifyText(many.slice(0, 6))).json();
  assert.equal(body.aborted, true);
  assert.equal(body.urls.length, 6);
  assert.ok(body.counts.error >= 4, JSON.stringify(body.counts));
  assert.equal(body.urls.at(-1).error.code, "aborted");

  // One probe's time.
  const hung = verifySetup({ allowedHosts: ALLOWED }, { timeoutMs: 5 }, { latencyMs: 100 });
  const timedOut = await (await hung.verifyText(URLS.slice(0, 1))).json();
  assert.equal(timedOut.urls[0].error.code, "timeout");
});

Deno.test("the verify option is checked when the router is made, naming verify.*", () => {
  const cases: [unknown, ErrorConstructor, RegExp][] = [
    [
      { maxUrls: 0 },
      RangeError,
      /Invalid option verify\.maxUrls: expected an integer from 1 to 1000, got 0/,
    ],
    [{ concurrency: 17 }, RangeError, /Invalid option verify\.concurrency: .* got 17/],
    [{ timeoutMs: -1 }, RangeError, /verify\.timeoutMs/],
    [{ maxTimeMs: 1.5 }, RangeError, /verify\.maxTimeMs/],
    [
      { method: "PUT" },
      TypeError,
      /Invalid option verify\.method: expected "GET" or "HEAD", got "PUT"/,
    ],
    [{ ports: [0] }, RangeError, /verify\.ports\[0\]: expected an integer from 1 to 65535, got 0/],
    [{ ports: "443" }, TypeError, /verify\.ports: expected an array of port numbers/],
    [{ fetch: 1 }, TypeError, /verify\.fetch: expected a function/],
    ["yes", TypeError, /Invalid option verify: expected an object, got "yes"/],
  ];
  for (const [verify, Kind, message] of cases) {
    assert.throws(() => prewarmRouter({ verify: verify as never }), (e: Error) => {
      assert.ok(e instanceof Kind, `${JSON.stringify(verify)}: ${e}`);
      assert.match(e.message, message);
      return true;
    });
  }
  assert.throws(
    () => prewarmRouter({ console: { path: "/verify" } }),
    /console\.path: "\/verify" is under the API route \/verify/,
  );
});
