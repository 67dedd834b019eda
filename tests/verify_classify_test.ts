/**
 * The one table of cache-header values: every value each vendor documents (and every other the
 * module classifies) read as its source says, combinations of several headers and values, and
 * docs/verify.md listing every row with the same meaning and source.
 */
import assert from "node:assert/strict";
import {
  CACHE_HEADER_VALUES,
  type CacheVerdict,
  classifyCacheHeaders,
} from "../src/verify/classify.ts";

/** The answer's headers, as `Headers` joins repeated ones. */
function read(...pairs: [string, string][]) {
  const headers = new Headers();
  for (const [name, value] of pairs) headers.append(name, value);
  return classifyCacheHeaders((name) => headers.get(name));
}

// Each case names its source: the page that documents it, or where it was seen.
const TENCENT_FAQ = "https://www.tencentcloud.com/document/product/228/11207";
const TENCENT_CAPTURES = "https://kanchuan.com/blog/186-cdn-x-cache-lookup";
const EDGEONE_HEADERS = "https://www.tencentcloud.com/document/product/1145/54212";
const CLOUDFLARE = "https://developers.cloudflare.com/cache/concepts/cache-responses";

const SINGLE: [header: string, value: string, verdict: CacheVerdict, source: string][] = [
  // Tencent CDN: "If Cache Hit/Hit From MemCache/Hit From Disktank is returned, it means that
  // the CDN cache has been hit"; anything else is not a hit.
  ["X-Cache-Lookup", "Hit From MemCache", "hit", TENCENT_FAQ],
  ["X-Cache-Lookup", "Hit From Disktank", "hit", TENCENT_FAQ],
  ["X-Cache-Lookup", "Cache Hit", "hit", TENCENT_FAQ],
  ["X-Cache-Lookup", "Cache Miss", "miss", TENCENT_CAPTURES],
  ["X-Cache-Lookup", "Hit From Inner Cluster", "miss", TENCENT_CAPTURES],
  ["X-Cache-Lookup", "Hit From Upstream", "miss", TENCENT_FAQ],
  // EdgeOne: HIT, MISS and RefreshHit are documented.
  ["EO-Cache-Status", "HIT", "hit", EDGEONE_HEADERS],
  ["EO-Cache-Status", "MISS", "miss", EDGEONE_HEADERS],
  ["EO-Cache-Status", "RefreshHit", "hit", EDGEONE_HEADERS],
  // Not documented by EdgeOne: the common vocabulary's meaning.
  ["EO-Cache-Status", "EXPIRED", "miss", CLOUDFLARE],
  ["EO-Cache-Status", "STALE", "hit", CLOUDFLARE],
  ["EO-Cache-Status", "UPDATING", "hit", CLOUDFLARE],
  ["EO-Cache-Status", "REVALIDATED", "hit", CLOUDFLARE],
  ["EO-Cache-Status", "BYPASS", "bypass", CLOUDFLARE],
  ["EO-Cache-Status", "DYNAMIC", "bypass", CLOUDFLARE],
];

Deno.test("classify: every value alone, as its source says, with that source in the table", () => {
  for (const [header, value, verdict, source] of SINGLE) {
    const reading = read([header, value]);
    assert.equal(reading.verdict, verdict, `${header}: ${value}`);
    assert.equal(reading.decidedBy, `${header}: ${value}`);
    assert.equal(reading.values[0]?.known?.source, source, `${header}: ${value} cites ${source}`);
  }
  // Every row of the table is one of the cases above: nothing is classified untested.
  assert.deepEqual(
    CACHE_HEADER_VALUES.map((row) => `${row.header}: ${row.value}`).sort(),
    SINGLE.map(([h, v]) => `${h.toLowerCase()}: ${v}`).sort(),
  );
  // Documented means the vendor's own page.
  for (const row of CACHE_HEADER_VALUES) {
    if (row.documented) assert.ok([TENCENT_FAQ, EDGEONE_HEADERS].includes(row.source), row.value);
  }
});

Deno.test("classify: several headers and values (Tencent says several are normal): any hit wins", () => {
  // A first request, as captured at Tencent's edge: two headers, neither a hit (TENCENT_CAPTURES).
  assert.equal(
    read(["X-Cache-Lookup", "Cache Miss"], ["X-Cache-Lookup", "Hit From Inner Cluster"]).verdict,
    "miss",
  );
  // The same pair around a hit is a hit (TENCENT_FAQ: a hit value returned means a hit).
  const hit = read(["X-Cache-Lookup", "Hit From Inner Cluster"], ["X-Cache-Lookup", "Cache Hit"]);
  assert.equal(hit.verdict, "hit");
  assert.equal(hit.decidedBy, "X-Cache-Lookup: Cache Hit");
  assert.deepEqual(hit.values.map((v) => v.value), ["Hit From Inner Cluster", "Cache Hit"]);
  // One header, values joined by commas (how proxies and Headers fold repeats).
  assert.equal(
    read(["X-Cache-Lookup", "Hit From Upstream, Cache Miss, Hit From Inner Cluster"]).verdict,
    "miss",
  );
  assert.equal(
    read(["X-Cache-Lookup", "Hit From Disktank, Hit From Inner Cluster"]).verdict,
    "hit",
  );
  // Both vendors' headers on one answer (EdgeOne in front of a CDN origin): a hit anywhere wins,
  // then a bypass, then a miss.
  assert.equal(read(["EO-Cache-Status", "MISS"], ["X-Cache-Lookup", "Cache Hit"]).verdict, "hit");
  assert.equal(
    read(["EO-Cache-Status", "BYPASS"], ["X-Cache-Lookup", "Cache Miss"]).verdict,
    "bypass",
  );
  assert.equal(read(["EO-Cache-Status", "MISS"], ["X-Cache-Lookup", "Cache Miss"]).verdict, "miss");
});

Deno.test("classify: case, spacing and a numbered disk tier read as the documented value", () => {
  assert.equal(read(["x-cache-lookup", "  cache hit "]).verdict, "hit");
  assert.equal(read(["X-Cache-Lookup", "HIT FROM MEMCACHE"]).verdict, "hit");
  assert.equal(read(["eo-cache-status", "hit"]).verdict, "hit");
  assert.equal(read(["EO-Cache-Status", "refreshhit"]).verdict, "hit");
  // Public captures of Tencent's answers write the disk hit with a number.
  assert.equal(read(["X-Cache-Lookup", "Hit From Disktank3"]).verdict, "hit");
  assert.equal(
    read(["X-Cache-Lookup", "Hit From Disktank3"]).decidedBy,
    "X-Cache-Lookup: Hit From Disktank3",
  );
});

Deno.test("classify: unlisted values: not a hit for Tencent (its rule), nothing for EdgeOne; no header, nothing", () => {
  // TENCENT_FAQ: anything but the three hit values is not a hit.
  const tencent = read(["X-Cache-Lookup", "Something New"]);
  assert.equal(tencent.verdict, "miss");
  assert.equal(tencent.decidedBy, "X-Cache-Lookup: Something New");
  assert.equal(tencent.values[0]?.known, undefined);
  // EdgeOne documents three values: another decides nothing.
  const edgeOne = read(["EO-Cache-Status", "Something New"]);
  assert.equal(edgeOne.verdict, undefined);
  assert.deepEqual(edgeOne.values.map((v) => v.value), ["Something New"]);
  // No cache header at all: the host may not be on the CDN from here.
  assert.deepEqual(read(["Age", "30"], ["X-Cache", "HIT"]), { values: [] });
  // Empty values are no values.
  assert.deepEqual(read(["X-Cache-Lookup", " , "]), { values: [] });
});

Deno.test("docs/verify.md lists every value with its meaning's verdict and source", async () => {
  const doc = await Deno.readTextFile(new URL("../docs/verify.md", import.meta.url));
  for (const row of CACHE_HEADER_VALUES) {
    const title = row.header === "x-cache-lookup" ? "X-Cache-Lookup" : "EO-Cache-Status";
    const line = doc.split("\n").find((l) => l.startsWith(`| \`${title}\` | \`${row.value}\` |`));
    assert.ok(line, `docs/verify.md has a row for ${title}: ${row.value}`);
    assert.ok(line.includes(`| ${row.verdict} |`), `${row.value}: ${row.verdict}`);
    assert.ok(line.includes(row.source), `${row.value} cites ${row.source}`);
    assert.ok(line.includes(row.documented ? "| yes |" : "| no |"), `${row.value}: documented`);
  }
});
