import assert from "node:assert/strict";
import {
  BatchPlan,
  checkUrl,
  checkUrlFully,
  MAX_URL_LENGTH,
  planBatches,
} from "../src/rules/urls.ts";
import { planDryRun } from "../src/engine/plan.ts";
import { cdn } from "../src/apis/cdn.ts";
import { fuzzSeed, Random, reproduce } from "./_random.ts";

Deno.test("checkUrl accepts http(s) URLs exactly as written, hostname lower-cased", () => {
  assert.deepEqual(checkUrl("https://WWW.Example.com/a%20b?x=1&y=é"), {
    url: "https://WWW.Example.com/a%20b?x=1&y=é",
    host: "www.example.com",
    key: "https://www.example.com/a%20b?x=1&y=é",
  });
  assert.deepEqual(checkUrl("HTTP://a.com:8080/"), {
    url: "HTTP://a.com:8080/",
    host: "a.com",
    key: "http://a.com:8080/",
  });
  assert.deepEqual(checkUrl("http://xn--fsqu00a.xn--0zwm56d/路径"), {
    url: "http://xn--fsqu00a.xn--0zwm56d/路径",
    host: "xn--fsqu00a.xn--0zwm56d",
  });
});

Deno.test("checkUrl decides on the host as written: no parser may read another host", () => {
  const cases: [string, RegExp][] = [
    ["  https://www.example.com/a  ", /whitespace around it/],
    ["https://www.example.com/a\t", /whitespace around it/],
    ["https://www.example.com\\@evil.com/", /backslash/],
    ["https://www.example.com\\evil.com/", /backslash/],
    ["https://www.example.com/a\\b", /backslash/],
    ["https://www.ex%61mple.com/", /not the host it means \(www\.example\.com\)/],
    ["https://www%2eexample.com/", /not the host it means/],
    ["https://ｗｗｗ.example.com/", /not ASCII.*write www\.example\.com/],
    ["https://www.example。com/", /not ASCII/],
    ["https://www.exa\u00admple.com/", /not ASCII/],
    ["https://www.exa\u200bmple.com/", /not ASCII/],
    ["https://www.\u212Aexample.com/", /not ASCII/], // KELVIN SIGN lower-cases to an ASCII "k"
    ["http://例子.测试/路径", /punycode; write xn--fsqu00a\.xn--0zwm56d/],
    ["https://user@www.example.com/", /user name or password/],
    ["https://1.2.3.4/a.js", /IP address/],
    ["https://0x7f.1/a.js", /IP address|not the host it means/],
    ["https://[::1]/a.js", /IP address/],
    ["https://www.example.com/a.js#x", /fragment/],
    ["https://www.example.com./a", /not a DNS name/],
    ["https://a..b/", /not a DNS name/],
  ];
  for (const [input, detail] of cases) {
    const result = checkUrl(input);
    assert.ok("reason" in result, `${JSON.stringify(input)} should be rejected`);
    assert.match(result.detail, detail, JSON.stringify(input));
  }
});

Deno.test("checkUrl's fast path answers exactly as the full checks do", () => {
  const seed = fuzzSeed();
  const random = new Random(seed);
  const pieces = [
    "https://",
    "http://",
    "HTTPS://",
    "www",
    ".",
    "example",
    "-",
    "com",
    "a1",
    "xn--bcher-kva",
    "123",
    ":",
    "8080",
    "/",
    "a.js",
    "?",
    "x=1",
    "&",
    "%20",
    "%zz",
    "é",
    "#",
    "@",
    "\\",
    " ",
    "*",
    "~",
    "'",
    "(",
    ")",
    "[",
    "]",
    "%2e",
    "0",
  ];
  for (let i = 0; i < 5000; i++) {
    const url = random.pick(pieces.slice(0, 3)) + random.string(pieces, random.int(1, 12));
    assert.deepEqual(
      checkUrl(url),
      checkUrlFully(url),
      `${JSON.stringify(url)}; ${reproduce(seed)}`,
    );
  }
});

Deno.test("checkUrl rejects every invalid class with a reason", () => {
  const cases: [string, RegExp][] = [
    ["", /empty/],
    ["   ", /empty/],
    ["ftp://a.com/x", /http:\/\/ or https:\/\//],
    ["//a.com/x", /http:\/\/ or https:\/\//],
    ["a.com/x", /http:\/\/ or https:\/\//],
    ["http:a.com/x", /http:\/\/ or https:\/\//],
    ["http://a.com/a b", /whitespace or a control/],
    ["http://a.com/a\tb", /whitespace or a control/],
    ["http://a.com/a\u0000", /whitespace or a control/],
    ["http://a.com/a\u007f", /whitespace or a control/],
    ["http://a.com/a\u2028b", /whitespace or a control/],
    ["http://a.com/a\u3000b", /whitespace or a control/],
    ["http://a.com/\ud800x", /surrogate/],
    ["http://a.com/*", /wildcard/],
    ["http://*.a.com/x", /wildcard/],
    ["http://", /cannot be parsed|no host/],
    ["http://[::1/x", /cannot be parsed/],
    ["http://user:pw@a.com/x", /user name or password/],
    ["http://a.com/" + "x".repeat(MAX_URL_LENGTH), /characters long/],
  ];
  for (const [input, detail] of cases) {
    const result = checkUrl(input);
    assert.ok("reason" in result, `${JSON.stringify(input)} should be rejected`);
    assert.equal(result.reason, "invalid-url");
    assert.match(result.detail, detail, JSON.stringify(input));
  }
});

Deno.test("planBatches groups by host in first-seen order and cuts at batchSize", () => {
  const urls = ["a/1", "b/1", "a/2", "a/3", "c/1", "a/4", "b/2"].map((s) => {
    const [host, path] = s.split("/");
    return { url: `https://${host}.com/${path}`, host: `${host}.com` };
  });
  assert.deepEqual(planBatches(urls, 3), [
    { host: "a.com", urls: ["https://a.com/1", "https://a.com/2", "https://a.com/3"] },
    { host: "a.com", urls: ["https://a.com/4"] },
    { host: "b.com", urls: ["https://b.com/1", "https://b.com/2"] },
    { host: "c.com", urls: ["https://c.com/1"] },
  ]);
  assert.deepEqual(planBatches([], 20), []);
});

Deno.test("checkUrl's fast path names each URL's own host, whatever host came before (seeded)", () => {
  const seed = fuzzSeed();
  const random = new Random(seed);
  // Hosts that start alike, so that the head of the URL before may be a prefix of this one's;
  // paths and queries that pass, and some that do not, after a head that did.
  const hosts = ["a.example.com", "a.example.com.cn", "ab.example.com", "a.example.co", "b.test"];
  const rests = ["", "/", "/a.js", "?v=1", "/x/y?z=:", "/%41", "/%zz", "/%4", "/é", "/ a", "/#x"];
  for (let i = 0; i < 2000; i++) {
    const host = random.pick(hosts);
    const port = random.chance(0.3) ? `:${random.pick(["1", "80", "8080", "0", "99999"])}` : "";
    const url = `${random.pick(["http", "https"])}://${host}${port}${random.pick(rests)}`;
    const checked = checkUrl(url);
    assert.deepEqual(checked, checkUrlFully(url), `${url}: ${reproduce(seed)}`);
    if (!("reason" in checked)) {
      assert.equal(checked.host, new URL(url).hostname, `${url}: ${reproduce(seed)}`);
    }
  }
});

Deno.test("duplicates: scheme and host compare in any case, path and query as written", async () => {
  const seed = fuzzSeed();
  const random = new Random(seed);
  const flip = (text: string) =>
    [...text].map((c) => random.int(0, 1) ? c.toUpperCase() : c.toLowerCase()).join("");
  for (let i = 0; i < 500; i++) {
    const host = random.pick(["www.example.com", "a-b.example.org", "cdn.test"]);
    const port = random.pick(["", ":8080"]);
    const path = random.pick(["/a.js", "/A.js", "/x/Y?q=Z", ""]);
    const url = `${random.pick(["http", "https"])}://${host}${port}${path}`;
    const variant = `${flip(url.slice(0, url.indexOf("//") + 2 + host.length + port.length))}${
      url.slice(url.indexOf("//") + 2 + host.length + port.length)
    }`;
    const a = checkUrl(url), b = checkUrl(variant);
    assert.ok(!("reason" in a) && !("reason" in b), `${variant}; ${reproduce(seed)}`);
    assert.equal(b.key ?? b.url, a.key ?? a.url, `${variant}; ${reproduce(seed)}`);
    const plan = new BatchPlan(500);
    assert.ok(!("reason" in plan.accept(url)), `${url}; ${reproduce(seed)}`);
    assert.equal((plan.accept(variant) as { reason?: string }).reason, "duplicate");
    // Another path case is another URL.
    if (/[a-z]/.test(path)) {
      const other = url.slice(0, url.length - path.length) + path.toUpperCase();
      if (other !== url) assert.ok(!("reason" in plan.accept(other)), `${other}`);
    }
  }
  // The dry-run plan follows the same rule.
  const plan = await planDryRun(["https://WWW.EXAMPLE.COM/a.js", "https://www.example.com/a.js"], {
    api: cdn(),
    batchSize: 500,
    dailyLimit: 1000,
    budgetLeft: 1000,
    overBudget: "over",
  });
  assert.deepEqual(plan.rejected.map((r) => [r.url, r.reason]), [
    ["https://www.example.com/a.js", "duplicate"],
  ]);
});
