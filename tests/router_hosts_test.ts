import assert from "node:assert/strict";
import type { PrewarmReport } from "../mod.ts";
import { HostAllowList } from "../src/hono/hosts.ts";
import { assertAccounted } from "./_helpers.ts";
import { assertNotConfigured, AUTH, capturingLog, setup } from "./router/setup.ts";

Deno.test("allow-list: exact names and *. patterns (any depth, not the apex)", () => {
  const list = HostAllowList.compile([
    "www.example.com",
    "*.static.example.com",
    "Img.Example.COM",
  ]);
  const allowed = [
    "www.example.com",
    "WWW.EXAMPLE.COM",
    "a.static.example.com",
    "a.b.static.example.com",
    "img.example.com",
  ];
  const refused = [
    "example.com",
    "static.example.com",
    "xstatic.example.com",
    "www.example.com.evil.net",
    "evilwww.example.com",
    "www.example.co",
    "static.example.com.",
    "",
  ];
  for (const host of allowed) assert.equal(list.allows(host), true, host);
  for (const host of refused) assert.equal(list.allows(host), false, host);
});

Deno.test("allow-list: patterns are normalised like URL hostnames (IDN, IP literals)", () => {
  const list = HostAllowList.compile([
    "bücher.example",
    "*.münchen.example",
    "192.168.0.1",
    "[::1]",
  ]);
  const host = (url: string) => new URL(url).hostname;
  assert.equal(list.allows(host("https://BÜCHER.example/x")), true);
  assert.equal(list.allows(host("https://cdn.münchen.example/x")), true);
  assert.equal(list.allows(host("http://192.168.0.1/x")), true);
  assert.equal(list.allows(host("http://[::1]/x")), true);
  assert.equal(list.allows(host("http://192.168.0.2/x")), false);
});

Deno.test("allow-list: malformed patterns are refused, naming the index and the value", () => {
  const bad = [
    "*",
    "*.",
    "**.example.com",
    "www.*.example.com",
    "example.com:443",
    "example.com/path",
    "https://example.com",
    "user@example.com",
    "exa mple.com",
    "a..b",
    "example.com.",
    "-bad-.example.com",
    "",
  ];
  for (const pattern of bad) {
    assert.throws(
      () => HostAllowList.compile(["ok.example.com", pattern]),
      (error: Error) =>
        error instanceof RangeError &&
        error.message ===
          `Invalid option allowedHosts[1]: expected a hostname or "*.hostname", got ${
            JSON.stringify(pattern)
          }`,
      pattern,
    );
  }
  assert.throws(() => HostAllowList.compile("www.example.com"), TypeError);
  assert.throws(
    () => HostAllowList.compile([42]),
    /allowedHosts\[0\]: expected a string, got number/,
  );
});

Deno.test("router: URLs on other hosts are rejected one by one and never sent", async () => {
  const { sim, postJson } = setup({ allowedHosts: ["www.example.com", "*.example.net"] });
  const urls = [
    "https://www.example.com/a.js",
    "https://static.example.com/b.js",
    "https://cdn.example.net/c.js",
    "https://www.example.com:8443/d.js",
    "https://user:pw@evil.test/e.js",
    "nonsense",
  ];
  const response = await postJson({ urls });
  assert.equal(response.status, 207);
  const report: PrewarmReport = await response.json();
  assertAccounted(urls, report);
  assert.deepEqual(
    report.rejected.map((r) => [r.url, r.reason]),
    [
      ["https://static.example.com/b.js", "host-not-allowed"],
      ["https://user:pw@evil.test/e.js", "invalid-url"],
      ["nonsense", "invalid-url"],
    ],
  );
  const sent = sim.requests.map((r) => r.urlCount).reduce((a, b) => a + b, 0);
  assert.equal(sent, 3);
  assert.ok(!sim.accepted.some((t) => t.urls.some((u) => u.includes("static.example.com"))));
});

Deno.test("router: allowedHosts from PREWARM_ALLOWED_HOSTS; an empty option list allows nothing", async () => {
  const env = { PREWARM_ALLOWED_HOSTS: " img.example.com , *.static.example.com " };
  const open = setup({ allowedHosts: undefined });
  let response = await open.app.request("/prewarm", {
    method: "POST",
    headers: { authorization: "Bearer test-token-0123456789abcdef", "content-type": "text/plain" },
    body: "https://www.example.com/a.js\nhttps://img.example.com/b.png",
  }, env);
  assert.equal(response.status, 207);
  const report: PrewarmReport = await response.json();
  assert.deepEqual(report.rejected.map((r) => r.url), ["https://www.example.com/a.js"]);

  const logged = await capturingLog(async () => {
    response = await open.app.request("/prewarm", {
      method: "POST",
      headers: { ...AUTH, "content-type": "text/plain" },
      body: "https://www.example.com/a.js",
    }, { PREWARM_ALLOWED_HOSTS: "www.example.com:443" });
  });
  assert.match(logged.join("\n"), /PREWARM_ALLOWED_HOSTS\[0\]: expected a hostname/);
  await assertNotConfigured(response);

  const closed = setup({ allowedHosts: [] });
  response = await closed.postJson({ urls: ["https://www.example.com/a.js"] });
  assert.equal(response.status, 400);
  assert.equal(closed.sim.requests.length, 0);
});
