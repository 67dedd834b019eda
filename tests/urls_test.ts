import assert from "node:assert/strict";
import { checkUrl, MAX_URL_LENGTH, planBatches } from "../src/urls.ts";

Deno.test("checkUrl accepts http(s) URLs as written, trimmed, hostname lower-cased", () => {
  assert.deepEqual(checkUrl("  https://WWW.Example.com/a%20b?x=1&y=é  "), {
    url: "https://WWW.Example.com/a%20b?x=1&y=é",
    host: "www.example.com",
  });
  assert.deepEqual(checkUrl("HTTP://a.com:8080/"), { url: "HTTP://a.com:8080/", host: "a.com" });
  assert.equal(
    (checkUrl("http://例子.测试/路径") as { host: string }).host,
    "xn--fsqu00a.xn--0zwm56d",
  );
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
