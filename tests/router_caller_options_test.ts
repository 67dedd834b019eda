// The router's callerOptions: which PushUrlsCache parameters (and purgeFirst) a caller may set
// in the body; the rest come from the router's prewarm options.
import assert from "node:assert/strict";
import { cdnV2 } from "../src/apis/cdn_v2.ts";
import { cdn } from "../src/apis/cdn.ts";
import { edgeOne } from "../src/edgeone.ts";
import { prewarmRouter, type PrewarmRouterOptions } from "../src/hono/mod.ts";
import { setup, TOKEN } from "./router/setup.ts";

Deno.test("router: by default a body may set no option, and is told why", async () => {
  const { sim, postJson } = setup();
  const response = await postJson({ urls: ["https://www.example.com/a.js"], userAgent: "x" });
  assert.equal(response.status, 400);
  const body = await response.json();
  assert.equal(body.error.code, "invalid-body");
  assert.match(
    body.error.message,
    /may not set "userAgent" here: this router's operator decides it \(callerOptions allows no field\)/,
  );
  assert.equal(sim.requests.length, 0);
});

Deno.test("router: allowed body options reach the wire; the rest come from the router", async () => {
  const { sim, postJson } = setup(
    { callerOptions: ["userAgent", "headers", "parseM3U8"] },
    { api: cdn({ layer: "middle", userAgent: "RouterDefault/1", disableRange: true }) },
  );
  const response = await postJson({
    urls: ["https://www.example.com/a.js"],
    userAgent: "Caller/2",
    headers: { "X-Release": "42" },
  });
  assert.equal(response.status, 200, await response.clone().text());
  assert.deepEqual(sim.accepted[0]?.parameters, {
    UserAgent: "Caller/2",
    Layer: "middle",
    DisableRange: true,
    Headers: [{ Name: "X-Release", Value: "42" }],
  });

  const refused = await postJson({ urls: ["https://www.example.com/b.js"], layer: "middle" });
  assert.equal(refused.status, 400);
  assert.match(
    (await refused.json()).error.message,
    /may not set "layer" here.*callerOptions allows userAgent, headers, parseM3U8/,
  );
  assert.equal(sim.accepted.length, 1);
});

Deno.test("router: a bad allowed option is a 400 naming it, before anything is sent", async () => {
  const { sim, postJson } = setup({ callerOptions: ["headers", "layer", "purgeFirst"] });
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { headers: { "Bad Name": "v" } },
      /Invalid body: headers: expected names that are HTTP tokens/,
    ],
    [{ headers: { "X-A": "a\nb" } }, /headers\["X-A"\]: expected no CR, LF or NUL/],
    [{ layer: "edge" }, /layer: expected "middle"/],
    [{ purgeFirst: "yes" }, /"purgeFirst" to be a boolean; got string/],
  ];
  for (const [fields, message] of cases) {
    const response = await postJson({ urls: ["https://www.example.com/a.js"], ...fields });
    assert.equal(response.status, 400, JSON.stringify(fields));
    assert.match((await response.json()).error.message, message);
  }
  assert.equal(sim.requests.length, 0);
});

Deno.test("router: purgeFirst from an allowed body field purges, then prefetches", async () => {
  const failing = "https://www.example.com/old.js";
  const { sim, postJson } = setup(
    { callerOptions: ["purgeFirst"] },
    {},
    { purgeOutcomes: [{ match: failing, status: "fail" }] },
  );
  const urls = ["https://www.example.com/index.html", failing];
  const response = await postJson({ urls, purgeFirst: true });
  assert.equal(response.status, 207);
  const report = await response.json();
  assert.deepEqual(report.purgeTasks.map((t: { urls: string[] }) => t.urls), [urls]);
  assert.deepEqual(sim.accepted.flatMap((t) => t.urls), [urls[0]]);
  assert.equal(report.failed[0].error.code, "PurgeFailed");

  // Without the field (and with it false) there is no purge.
  const plain = await postJson({ urls: ["https://www.example.com/c.js"], purgeFirst: false });
  assert.equal(plain.status, 200);
  assert.equal((await plain.json()).purgeTasks, undefined);
  assert.equal(sim.purged.length, 1);
});

Deno.test("router: purgeFirst set by the operator applies to every request", async () => {
  const { sim, postJson } = setup({}, { purgeFirst: true, purgeWaitMs: 60_000 });
  const response = await postJson({ urls: ["https://www.example.com/a.js"] });
  assert.equal(response.status, 200);
  assert.equal(sim.purged.length, 1);
  assert.equal(sim.accepted.length, 1);
});

Deno.test("router: callerOptions and purge defaults are checked when the router is made", () => {
  const make = (options: PrewarmRouterOptions) => () => prewarmRouter(options);
  assert.throws(make({ callerOptions: ["area" as "layer"] }), /callerOptions: expected names/);
  assert.throws(make({ callerOptions: "userAgent" as unknown as [] }), TypeError);
  assert.throws(
    make({ prewarm: { purgeFirst: true, purgePollMs: 0 } }),
    /Invalid option prewarm\.purgePollMs/,
  );
  assert.throws(
    make({ prewarm: { purgeFirst: true, api: cdnV2() } }),
    /expected cdn\(\) to purge first/,
  );
  assert.throws(make({ prewarm: { purgeFirst: 1 as unknown as boolean } }), TypeError);
  assert.throws(make({ prewarm: { headers: { "a b": "c" } } as never }), /prewarm\.headers/);
});

Deno.test("router: body options on an API 2.0 router are a 400", async () => {
  const { postJson } = setup({ callerOptions: ["userAgent"] }, { api: cdnV2() });
  const response = await postJson({ urls: ["https://www.example.com/a.js"], userAgent: "x" });
  assert.equal(response.status, 400);
  assert.match(
    (await response.json()).error.message,
    /through CDN API 2\.0 CdnOverseaPushser, which takes no userAgent/,
  );
});

Deno.test("router: caller headers the operator decides are a 400 naming the header and why", async () => {
  const { sim, postJson, app } = setup(
    { callerOptions: ["headers", "userAgent"] },
    { api: cdn({ userAgent: "Operator/1", headers: { "X-Origin-Auth": "operator-secret" } }) },
  );
  const url = "https://www.example.com/a.js";
  const cases: [string, RegExp][] = [
    ["Host", /"Host" in "headers": the origin pull's Host is the URL's own host/],
    ["host", /"host" in "headers": the origin pull's Host/],
    ["User-Agent", /"User-Agent" in "headers": .*the userAgent option\); set "userAgent" instead/],
    ["uSeR-aGeNt", /"uSeR-aGeNt" in "headers"/],
    ["Range", /"Range" in "headers": .*disableRange/],
    ["x-origin-auth", /"x-origin-auth" in "headers": this router's operator sets it/],
    ["Transfer-Encoding", /"Transfer-Encoding" in "headers": it concerns one connection/],
    ["Connection", /"Connection" in "headers"/],
    ["Proxy-Authorization", /"Proxy-Authorization" in "headers": it is meant for a proxy/],
    ["X-Forwarded-Host", /"X-Forwarded-Host" in "headers": origins read it in place of the URL/],
    ["X-Original-URL", /"X-Original-URL" in "headers"/],
  ];
  for (const [name, message] of cases) {
    for (const path of ["/prewarm", "/prewarm/plan"]) {
      const response = await app.request(path, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ urls: [url], headers: { "X-Release": "1", [name]: "evil" } }),
      });
      assert.equal(response.status, 400, `${name} ${path}`);
      const body = await response.json();
      assert.equal(body.error.code, "invalid-body");
      assert.match(body.error.message, message);
    }
  }
  assert.equal(sim.requests.length, 0);

  // Other names pass, and are added to the operator's headers rather than replacing them.
  const response = await postJson({ urls: [url], headers: { "Accept-Encoding": "gzip" } });
  assert.equal(response.status, 200, await response.clone().text());
  assert.deepEqual(sim.accepted[0]?.parameters, {
    UserAgent: "Operator/1",
    Headers: [
      { Name: "X-Origin-Auth", Value: "operator-secret" },
      { Name: "Accept-Encoding", Value: "gzip" },
    ],
  });
});

Deno.test("router: caller and operator headers together stay within PushUrlsCache's 20", async () => {
  const operator = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`X-Op-${i}`, "v"]));
  const { sim, postJson } = setup({ callerOptions: ["headers"] }, {
    api: cdn({ headers: operator }),
  });
  const caller = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`X-Caller-${i}`, "v"]));
  const response = await postJson({ urls: ["https://www.example.com/a.js"], headers: caller });
  assert.equal(response.status, 400);
  assert.match(
    (await response.json()).error.message,
    /with the 15 headers this router's operator sets, headers: expected at most 20 headers, got 21/,
  );
  assert.equal(sim.requests.length, 0);
});

Deno.test("router: purgeFirst in the body of a router that does not prefetch through cdn() is a 400", async () => {
  // Each with a host its account serves (the simulator's default EdgeOne zone, its CDN domains).
  const routers = [
    { api: edgeOne({ zoneId: "zone-simulator" }), urls: ["https://www.example.org/a.js"] },
    { api: cdnV2(), urls: ["https://www.example.com/a.js"] },
  ];
  for (const { api, urls } of routers) {
    const { sim, postJson, app } = setup({ callerOptions: ["purgeFirst"] }, { api });
    for (const path of ["/prewarm", "/prewarm/plan"]) {
      const response = path === "/prewarm"
        ? await postJson({ urls, purgeFirst: true })
        : await app.request(path, {
          method: "POST",
          headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
          body: JSON.stringify({ urls, purgeFirst: true }),
        });
      assert.equal(response.status, 400, `${api.title} ${path}`);
      const { error } = await response.json();
      assert.equal(error.code, "invalid-body");
      assert.equal(
        error.message,
        `The body may not set "purgeFirst" here: this router prefetches through ${api.title}, ` +
          "and purging first (PurgeUrlsCache) is CDN API 3.0's",
      );
    }
    // Set to false it asks for nothing this API lacks: the URLs are prefetched.
    const plain = await postJson({ urls, purgeFirst: false });
    assert.equal(plain.status, 200, api.title);
    assert.equal((await plain.json()).counts.submitted, 1);
    assert.equal(sim.purged.length, 0);
  }
});
