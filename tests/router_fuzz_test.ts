/**
 * Router bodies from a seeded generator (FUZZ_SEED reproduces a failure): random JSON, wrong
 * types, deep nesting, huge arrays, truncated bodies, wrong content types, duplicate keys.
 * Every answer must be a JSON 4xx, never a 500, and nothing may reach Tencent.
 */
import assert from "node:assert/strict";
import { fuzzSeed, Random, reproduce } from "./_random.ts";
import { AUTH, setup } from "./router/setup.ts";

function randomJson(r: Random, depth: number): unknown {
  const kind = r.int(0, depth > 0 ? 7 : 4);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1e308, 3.5, Number.MAX_SAFE_INTEGER]);
    case 3:
      return r.anyText(r.int(0, 12)).replace(/[\ud800-\udfff]/g, "?");
    case 4:
      return r.pick(["https://www.example.com/a", "ftp://x", "", "*"]);
    case 5:
      return Array.from({ length: r.int(0, 4) }, () => randomJson(r, depth - 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = r.int(0, 3); i > 0; i--) {
        out[r.pick(["urls", "area", "url", "Urls", "x", "__proto__"])] = randomJson(r, depth - 1);
      }
      return out;
    }
  }
}

/** Bodies that are wrong on purpose: each must be refused before any upstream call. */
function badBody(r: Random): { body: string | Uint8Array<ArrayBuffer>; type: string } {
  const json = "application/json";
  const choice = r.int(0, 11);
  switch (choice) {
    case 0: // random JSON that is not {urls: string[]} with at least one URL string
      return { body: JSON.stringify(randomJson(r, 3)), type: json };
    case 1: // wrong types inside urls
      return {
        body: JSON.stringify({
          urls: ["https://www.example.com/a", r.pick([1, null, {}, [], true])],
        }),
        type: json,
      };
    case 2: { // deep nesting
      const depth = r.int(100, 5000);
      return { body: "[".repeat(depth) + "]".repeat(depth), type: json };
    }
    case 3: // a huge array (over maxUrls)
      return {
        body: JSON.stringify({
          urls: Array.from({ length: 1001 }, (_, i) => `https://www.example.com/${i}`),
        }),
        type: json,
      };
    case 4: { // truncated JSON
      const full = JSON.stringify({
        urls: ["https://www.example.com/a", "https://www.example.com/b"],
      });
      return { body: full.slice(0, r.int(0, full.length - 1)), type: json };
    }
    case 5: // wrong content type
      return {
        body: "https://www.example.com/a",
        type: r.pick([
          "application/x-www-form-urlencoded",
          "image/png",
          "multipart/form-data",
          "application/xml",
          "",
        ]),
      };
    case 6: // duplicate keys: the last wins in JSON.parse; it is not a URL list
      return { body: '{"urls":["https://www.example.com/a"],"urls":42}', type: json };
    case 7: // area of the wrong kind
      return {
        body: JSON.stringify({
          urls: ["https://www.example.com/a"],
          area: r.pick([1, "asia", null, []]),
        }),
        type: json,
      };
    case 8: // bytes that are not UTF-8
      return { body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), type: json };
    case 9: // empty
      return { body: "", type: r.pick([json, "text/plain"]) };
    case 10: // text with no URL line
      return { body: "# only a comment\n\n   \n", type: "text/plain" };
    default: // over maxBodyBytes
      return { body: "x".repeat(300 * 1024), type: "text/plain" };
  }
}

Deno.test("random and malformed router bodies: always a JSON 4xx, never a 500, never upstream", async () => {
  const seed = fuzzSeed();
  const r = new Random(seed);
  const { app, sim } = setup({ maxBodyBytes: 256 * 1024 });
  for (let i = 0; i < 400; i++) {
    const { body, type } = badBody(r);
    const headers: Record<string, string> = { ...AUTH };
    headers["content-type"] = type;
    const response = await app.request("/prewarm", { method: "POST", headers, body });
    const why = `case ${i} (${type}, ${String(body).slice(0, 80)}); ${reproduce(seed)}`;
    assert.ok(response.status >= 400 && response.status < 500, `${response.status}: ${why}`);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/, why);
    const answer = await response.json();
    assert.equal(typeof answer.error?.code, "string", why);
    assert.equal(typeof answer.error?.message, "string", why);
  }
  assert.equal(sim.requests.length, 0, `nothing reached the simulator; ${reproduce(seed)}`);
});

Deno.test("random JSON that happens to be valid is answered with a report, never a 500", async () => {
  const seed = fuzzSeed();
  const r = new Random(seed);
  // The simulated clock stands still: lift the simulator's per-second limit.
  const { app } = setup({}, { dailyLimit: 100_000 }, {
    dailyLimit: 100_000,
    requestsPerSecond: 100_000,
  });
  for (let i = 0; i < 100; i++) {
    const urls = Array.from(
      { length: r.int(1, 5) },
      () => r.chance(0.7) ? `https://www.example.com/${r.int(0, 1e6)}` : String(randomJson(r, 0)),
    );
    const response = await app.request("/prewarm", {
      method: "POST",
      headers: { ...AUTH, "content-type": "application/json" },
      body: JSON.stringify({ urls }),
    });
    const why = `${JSON.stringify(urls)}; ${reproduce(seed)}`;
    assert.ok([200, 207, 400].includes(response.status), `${response.status}: ${why}`);
    const answer = await response.json();
    const report = answer.report ?? answer;
    assert.equal(report.counts.input, urls.length, why);
  }
});
