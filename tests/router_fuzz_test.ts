/**
 * Router bodies from a seeded generator (FUZZ_SEED reproduces a failure): random JSON, wrong
 * types, deep nesting, huge arrays, truncated bodies, wrong content types, duplicate keys.
 * Every answer must be a JSON 4xx, never a 500, and nothing may reach Tencent.
 *
 * Each family is built so that it cannot produce what it does not mean: the bad bodies are
 * invalid by construction (not "random and probably invalid"), and the valid bodies know the
 * status they deserve.
 */
import assert from "node:assert/strict";
import { fuzzSeed, Random, reproduce } from "./_random.ts";
import { AUTH, setup } from "./router/setup.ts";

/** Any JSON value; strings never start with a scheme, so none is a URL by accident. */
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
      return notUrl(r);
    case 4:
      return r.pick(["https://www.example.com/a", "ftp://x", "", "*"]);
    case 5:
      return Array.from({ length: r.int(0, 4) }, () => randomJson(r, depth - 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = r.int(0, 3); i > 0; i--) {
        out[r.pick(["urls", "area", "url", "Urls", "x"])] = randomJson(r, depth - 1);
      }
      return out;
    }
  }
}

/** Random text that can never pass the URL checks: it starts with `~`, not a scheme. */
function notUrl(r: Random): string {
  return "~" + r.anyText(r.int(0, 12)).replace(/[\ud800-\udfff]/g, "?");
}

/** Any JSON value except an object: never a body, whatever it holds. */
function nonObject(r: Random, depth: number): unknown {
  for (;;) {
    const value = randomJson(r, depth);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  }
}

/** Any JSON value except an array of strings: never a `urls` list. */
function notStringArray(r: Random, depth: number): unknown {
  if (r.chance(0.5)) {
    // An array with at least one item that is not a string, anywhere in it.
    const items: unknown[] = Array.from({ length: r.int(0, 3) }, () => randomJson(r, depth - 1));
    const wrong = r.pick<unknown>([null, 1, true, {}, [], ["https://www.example.com/a"]]);
    items.splice(r.int(0, items.length), 0, wrong);
    return items;
  }
  for (;;) {
    const value = nonObject(r, depth);
    if (!Array.isArray(value)) return value;
  }
}

/**
 * JSON that is never a valid body, in one of four ways chosen first: not an object; an object
 * with a field other than `urls` and `area`; an object without `urls`; or `urls` that is not an
 * array of strings.
 */
function invalidJson(r: Random): unknown {
  const way = r.int(0, 3);
  if (way === 0) return nonObject(r, 3);
  const body: Record<string, unknown> = {};
  if (r.chance(0.5)) body.area = randomJson(r, 1);
  if (way === 1) {
    body.urls = randomJson(r, 2);
    body[r.pick(["url", "Urls", "x", "URLS", "urls "])] = randomJson(r, 1);
  } else if (way === 3) {
    body.urls = notStringArray(r, 2);
  }
  return body;
}

/** Bodies that are wrong on purpose: each must be refused before any upstream call. */
export function badBody(r: Random): { body: string | Uint8Array<ArrayBuffer>; type: string } {
  const json = "application/json";
  const choice = r.int(0, 11);
  switch (choice) {
    case 0: // JSON that is not {urls: string[], area?}, by construction
      return { body: JSON.stringify(invalidJson(r)), type: json };
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
    case 4: { // truncated JSON: a strict prefix of an object never closes it
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
    case 6: // duplicate keys (the last wins in JSON.parse) and an own "__proto__" field
      return {
        body: r.pick([
          '{"urls":["https://www.example.com/a"],"urls":42}',
          '{"urls":["https://www.example.com/a"],"__proto__":{"area":"overseas"}}',
          '{"__proto__":{"urls":["https://www.example.com/a"]}}',
        ]),
        type: json,
      };
    case 7: // area of the wrong kind
      return {
        body: JSON.stringify({
          urls: ["https://www.example.com/a"],
          area: r.pick([1, "asia", null, [], "Overseas", " overseas"]),
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

/** The bad-body family for one seed: 400 bodies, each a JSON 4xx, none sent upstream. */
export async function fuzzBadBodies(seed: number): Promise<void> {
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
}

/**
 * The valid-body family for one seed: well-formed bodies of URLs on the simulator's domains and
 * strings that cannot be URLs, each answered with exactly the status its mix deserves.
 */
export async function fuzzValidBodies(seed: number): Promise<void> {
  const r = new Random(seed);
  // The simulated clock stands still: lift the simulator's per-second limit.
  const { app } = setup({}, { dailyLimit: 100_000 }, {
    dailyLimit: 100_000,
    requestsPerSecond: 100_000,
  });
  for (let i = 0; i < 100; i++) {
    let good = 0;
    const urls = Array.from({ length: r.int(1, 5) }, (_, k) => {
      if (r.chance(0.7)) {
        good++; // Unique paths: a duplicate would be a rejection this family does not mean.
        return `https://${r.pick(["www", "static", "img"])}.example.com/${i}/${k}`;
      }
      return r.pick(["ftp://x", "", "*", "https://", notUrl(r)]);
    });
    const response = await app.request("/prewarm", {
      method: "POST",
      headers: { ...AUTH, "content-type": "application/json" },
      body: JSON.stringify({ urls }),
    });
    const why = `${JSON.stringify(urls)}; ${reproduce(seed)}`;
    const expected = good === urls.length ? 200 : good > 0 ? 207 : 400;
    assert.equal(response.status, expected, why);
    const answer = await response.json();
    const report = answer.report ?? answer;
    assert.equal(report.counts.input, urls.length, why);
    assert.equal(report.counts.rejected, urls.length - good, why);
  }
}

/** What the router accepts as a JSON body, written out independently of the router's parser. */
function isAcceptedShape(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const { urls } = value as { urls?: unknown };
  return keys.every((k) => k === "urls" || k === "area") && Array.isArray(urls) &&
    urls.every((u) => typeof u === "string");
}

Deno.test("the invalid-JSON generator never yields an accepted shape (20 000 draws)", () => {
  const seed = fuzzSeed();
  const r = new Random(seed);
  for (let i = 0; i < 20_000; i++) {
    const value = JSON.parse(JSON.stringify(invalidJson(r)));
    assert.ok(!isAcceptedShape(value), `${JSON.stringify(value)}; ${reproduce(seed)}`);
  }
});

Deno.test("random and malformed router bodies: always a JSON 4xx, never a 500, never upstream", async () => {
  await fuzzBadBodies(fuzzSeed());
});

Deno.test("random valid bodies: 200, 207 or 400 exactly as their mix of URLs deserves", async () => {
  await fuzzValidBodies(fuzzSeed());
});
