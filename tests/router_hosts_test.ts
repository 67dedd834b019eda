import assert from "node:assert/strict";
import type { PrewarmReport } from "../mod.ts";
import { HostAllowList } from "../src/hono/hosts.ts";
import { assertAccounted } from "./_helpers.ts";
import { fuzzSeed, Random, reproduce } from "./_random.ts";
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

/** Posts URLs to a router allowing www.example.com (and 127.0.0.1); returns what happened. */
async function screen(urls: string[]) {
  const { sim, postJson } = setup({ allowedHosts: ["www.example.com", "127.0.0.1"] });
  const response = await postJson({ urls });
  const body = await response.json();
  const report: PrewarmReport = body.report ?? body;
  assertAccounted(urls, report);
  return { status: response.status, report, sent: sim.requests.length };
}

Deno.test("allowedHosts: every written form of another (or an unclear) host is refused, never sent", async () => {
  const bypasses = [
    // RFC 3986 parsers read the host after "\@" (evil.com); WHATWG reads "\" as "/".
    "https://www.example.com\\@evil.com/",
    "https://www.example.com\\\\@evil.com/a.js",
    "https://www.example.com\\evil.com/",
    "https://www.example.com/a\\b.js",
    // A user part, written or encoded.
    "https://www.example.com%5C@evil.com/",
    "https://www.example.com:443@evil.com/",
    // Written hosts WHATWG normalises but which go upstream as written.
    "https://www%2eexample%2ecom/a.js",
    "https://www.example%2Ecom/a.js",
    "https://\uff57\uff57\uff57.example.com/a.js", // fullwidth letters
    "https://www\u3002example\u3002com/a.js", // ideographic full stops
    "https://www\uff0eexample\uff61com/a.js", // fullwidth and halfwidth full stops
    "https://www.exam\u00adple.com/a.js", // soft hyphen
    "https://www.exam\u200bple.com/a.js", // zero-width space
    "https://www.example.com\ufe0f/a.js", // variation selector
    "https://www.example.co\u217f/a.js", // small roman numeral one thousand, read as "m"
    "https://www.\u{1d41e}xample.com/a.js", // mathematical bold e
    "https:///www.example.com/a.js", // no authority: WHATWG skips the extra slash
    "http://0x7f.1/a.js", // 127.0.0.1 written in hex
    "http://127.1/a.js",
  ];
  const { status, report, sent } = await screen(bypasses);
  assert.equal(status, 400);
  assert.equal(sent, 0, "nothing reached the simulator");
  // checkUrl refuses every one of them for everybody, allow-list or not: a URL whose host
  // parsers could read two ways is never sent at all.
  for (const url of bypasses) {
    const entry = report.rejected.find((r) => r.url === url);
    assert.ok(entry, `${url} is in the report`);
    assert.equal(entry.reason, "invalid-url", url);
  }
});

Deno.test("allowedHosts: the refusal says what was read and how to write it", async () => {
  const { report } = await screen([
    "https://www%2eexample%2ecom/a.js",
    "https://www.example.com\\@evil.com/",
    "https://x@www.example.com/",
  ]);
  const details = new Map(report.rejected.map((r) => [r.url, [r.reason, r.detail]]));
  assert.deepEqual(details.get("https://www%2eexample%2ecom/a.js"), [
    "invalid-url",
    "The host as written is not the host it means (www.example.com): write www.example.com",
  ]);
  assert.match(details.get("https://www.example.com\\@evil.com/")![1]!, /backslash \(\\\)/);
  // A user part WHATWG sees is the core's invalid-url, as before.
  assert.equal(details.get("https://x@www.example.com/")![0], "invalid-url");
});

Deno.test("allowedHosts: ASCII case, a port, a path and a query of an allowed host still pass", async () => {
  const urls = [
    "https://WWW.Example.COM/a.js",
    "https://www.example.com:443/b.js",
    "https://www.example.com/c.js?x=@evil.com",
  ];
  const { report, sent } = await screen(urls);
  assert.deepEqual(report.rejected, []);
  assert.equal(report.counts.submitted, 3);
  assert.equal(sent, 1, "one request for the host");
  // A backslash anywhere is refused, even in the query: parsers disagree on where it ends.
  const query = await screen(["https://www.example.com/c.js?x=\\@evil.com"]);
  assert.equal(query.report.rejected[0]?.reason, "invalid-url");
  assert.equal(query.sent, 0);
});

/** Written forms of www.example.com that are not www.example.com as written, by construction. */
const UNICODE_DOTS = ["\u3002", "\uff0e", "\uff61"];
const IGNORED = ["\u00ad", "\u200b", "\ufe0f", "\u034f", "\u2060"];
const MUTATIONS: Array<(host: string, r: Random) => string> = [
  // Percent-encode one character.
  (host, r) => {
    const i = r.int(0, host.length - 1);
    const hex = host.charCodeAt(i).toString(16).padStart(2, "0");
    return host.slice(0, i) + "%" + (r.chance(0.5) ? hex : hex.toUpperCase()) + host.slice(i + 1);
  },
  // One letter in its fullwidth form.
  (host, r) => {
    const letters = [...host].flatMap((ch, i) => /[a-z]/.test(ch) ? [i] : []);
    const i = r.pick(letters);
    return host.slice(0, i) + String.fromCharCode(host.charCodeAt(i) + 0xfee0) + host.slice(i + 1);
  },
  // One dot as a Unicode full stop.
  (host, r) => {
    const dots = [...host].flatMap((ch, i) => ch === "." ? [i] : []);
    const i = r.pick(dots);
    return host.slice(0, i) + r.pick(UNICODE_DOTS) + host.slice(i + 1);
  },
  // An ignorable character inserted anywhere.
  (host, r) => {
    const i = r.int(0, host.length);
    return host.slice(0, i) + r.pick(IGNORED) + host.slice(i);
  },
];

function bypassUrl(r: Random): string {
  const tail = r.pick(["/", "/a.js", "/x?y=1", ""]);
  switch (r.int(0, 3)) {
    case 0: // a backslash before the real host
      return `https://www.example.com${"\\".repeat(r.int(1, 3))}${
        r.pick(["@", ""])
      }evil.com${tail}`;
    case 1: // a user part
      return `https://www.example.com${r.pick([":", "%5C", ";", ":443"])}@evil.com${tail}`;
    default: { // one to three mutations of the written host, ASCII case at random
      let host = "www.example.com";
      for (let n = r.int(1, 3); n > 0; n--) host = r.pick(MUTATIONS)(host, r);
      host = [...host].map((ch) => r.chance(0.2) ? ch.toUpperCase() : ch).join("");
      return `${r.pick(["https", "http", "HTTPS"])}://${host}${tail}`;
    }
  }
}

Deno.test("bypass generator: every URL it makes has a written host other than www.example.com", () => {
  const seed = fuzzSeed();
  const r = new Random(seed);
  for (let i = 0; i < 20_000; i++) {
    const url = bypassUrl(r);
    const authority = /^https?:\/\/([^/?#]*)/i.exec(url)![1]!;
    const written = authority.replace(/[A-Z]/g, (c) => c.toLowerCase());
    assert.ok(
      url.includes("\\") || written !== "www.example.com",
      `${JSON.stringify(url)}; ${reproduce(seed)}`,
    );
  }
});

/** The bypass family for one seed: 300 attempts, none sent, each refused. */
export async function fuzzHostBypasses(seed: number): Promise<void> {
  const r = new Random(seed);
  const urls = Array.from({ length: 300 }, () => bypassUrl(r));
  const { sent, report } = await screen(urls);
  assert.equal(sent, 0, `nothing sent; ${reproduce(seed)}`);
  assert.equal(report.counts.rejected, urls.length, reproduce(seed));
  for (const rejected of report.rejected) {
    assert.ok(
      rejected.reason === "host-not-allowed" || rejected.reason === "invalid-url",
      `${JSON.stringify(rejected)}; ${reproduce(seed)}`,
    );
  }
}

Deno.test("seeded bypass attempts on allowedHosts: none is ever sent", async () => {
  await fuzzHostBypasses(fuzzSeed());
});
