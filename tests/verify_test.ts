/**
 * verifyWarm() end to end: prewarm → wait → verify against the simulator and its edge
 * (in-process, and over real HTTP on 127.0.0.1), and what a probe never does, checked on the
 * server's side: read a body, exceed its concurrency, follow a redirect, send what fails the
 * URL checks.
 */
import assert from "node:assert/strict";
import { cdn, prewarm, waitForTasks } from "../mod.ts";
import { cdnPurge } from "../src/purge.ts";
import { edgeOne } from "../src/edgeone.ts";
import {
  SimulatedEdge,
  SIMULATOR_CREDENTIALS,
  type SimulatorOptions,
  TencentCdnSimulator,
} from "../src/testing/mod.ts";
import { type VerifyResult, verifyWarm, type WarmResult } from "../src/verify/mod.ts";
import { MINUTE, simulatorOnFakeClock } from "./_fake_clock.ts";
import { fuzzSeed, Random, reproduce } from "./_random.ts";

const ZONE = "zone-2o0i2m9sk3li";

/** A simulator on a clock the test moves, its edge, and the options of every call. */
function account(options: SimulatorOptions = {}, edgeOptions = {}) {
  const { sim, clock, now, sleep } = simulatorOnFakeClock({
    domains: ["www.example.com", "img.example.com", "localhost"],
    teoZones: [{ zoneId: ZONE, domains: ["eo.example.com"] }],
    taskDurationMs: 10 * MINUTE,
    ...options,
  });
  const edge = new SimulatedEdge(sim, edgeOptions);
  const call = {
    credentials: SIMULATOR_CREDENTIALS,
    fetch: sim.fetch,
    now,
    maxRequestsPerSecond: Infinity,
  };
  return { sim, edge, clock, call, sleep };
}

function byUrl(result: VerifyResult): Map<string, WarmResult> {
  return new Map(result.urls.map((u) => [u.url, u]));
}

Deno.test("verify: prewarm → wait → verify, a miss before done and a hit after, with Age", async () => {
  const { edge, clock, call, sleep } = account({
    taskOutcomes: [{ match: /broken/, status: "fail" }],
  }, {
    rules: [
      { match: /\/api\//, cache: "uncacheable" },
      { match: /memory/, hit: ["Hit From MemCache", "Hit From Inner Cluster"] },
    ],
  });
  const urls = [
    "https://www.example.com/app.js",
    "https://www.example.com/api/state.json",
    "https://img.example.com/memory.png",
    "https://www.example.com/broken.css",
  ];
  const report = await prewarm(urls, call);
  assert.equal(report.counts.submitted, 4);

  // Before the tasks are done, the edge has none of them.
  const early = await verifyWarm(report, { fetch: edge.fetch });
  assert.deepEqual(early.urls.map((u) => u.state), ["miss", "miss", "miss", "miss"]);
  assert.deepEqual(
    early.urls.map((u) => u.taskId),
    report.tasks.flatMap((t) => t.urls.map(() => t.taskId)),
  );

  const done = await waitForTasks(report, { ...call, sleep, pollIntervalMs: MINUTE });
  assert.deepEqual(done.counts, { done: 3, failed: 1, invalid: 0, pending: 0, unknown: 0 });
  clock.ms += 90_000;
  const warm = await verifyWarm(done, { fetch: edge.fetch });
  // Only what ended done is probed; the failed URL is listed as skipped.
  assert.deepEqual(warm.skipped.map((s) => [s.url, s.status]), [[urls[3], "failed"]]);
  const seen = byUrl(warm);
  assert.deepEqual([...seen.keys()], urls.slice(0, 3));
  const app = seen.get(urls[0]!)!;
  assert.equal(app.state, "hit");
  assert.equal(app.status, 206);
  assert.equal(app.decidedBy, "X-Cache-Lookup: Cache Hit");
  assert.ok(app.age !== undefined && app.age >= 90, `Age ${app.age}`);
  assert.equal(app.headers.age, String(app.age));
  // Uncacheable: a miss, prefetched or not, with the Cache-Control that says why.
  const api = seen.get(urls[1]!)!;
  assert.equal(api.state, "miss");
  assert.equal(api.headers["cache-control"], "no-store");
  // Several X-Cache-Lookup headers, a hit among them.
  const memory = seen.get(urls[2]!)!;
  assert.equal(memory.state, "hit");
  assert.equal(memory.headers["x-cache-lookup"], "Hit From MemCache, Hit From Inner Cluster");
  assert.equal(memory.decidedBy, "X-Cache-Lookup: Hit From MemCache");
  assert.deepEqual(warm.counts, { hit: 2, miss: 1, bypass: 0, unknown: 0, error: 0 });
  assert.equal(warm.method, "GET");
  assert.equal(warm.aborted, false);
  // Every probe was one byte asked for, no redirect followed, and no body read.
  assert.ok(edge.requests.every((r) => r.method === "GET" && r.range === "bytes=0-0"));
  assert.ok(edge.requests.every((r) => r.redirect === "manual"));
  assert.equal(edge.bodyBytesRead, 0);
});

Deno.test("verify: another query string misses; a host off the CDN is unknown; a purge makes it cold", async () => {
  const { edge, clock, call } = account({ taskDurationMs: 0 });
  const report = await prewarm(
    ["https://www.example.com/a.js", "https://www.example.com/b.js"],
    call,
  );
  clock.ms += 1000;
  const result = await verifyWarm([
    "https://www.example.com/a.js",
    "https://www.example.com/a.js?v=2",
    "https://WWW.example.com/b.js",
    "https://elsewhere.example.org/a.js",
  ], { fetch: edge.fetch });
  assert.deepEqual(result.urls.map((u) => u.state), ["hit", "miss", "hit", "unknown"]);
  assert.deepEqual(result.urls[3]!.headers, {});
  assert.equal(result.urls[3]!.decidedBy, undefined);

  // A purge after the prefetch ended: the edge no longer holds it.
  await prewarm(["https://www.example.com/a.js"], { ...call, api: cdnPurge() });
  const after = await verifyWarm(report, { fetch: edge.fetch });
  assert.deepEqual(after.urls.map((u) => u.state), ["miss", "hit"]);
});

Deno.test("verify: EdgeOne jobs answer with EO-Cache-Status", async () => {
  const { edge, call, sleep } = account();
  const api = edgeOne({ zoneId: ZONE });
  const report = await prewarm(["https://eo.example.com/app.js"], { ...call, api });
  const early = await verifyWarm(report, { fetch: edge.fetch, method: "HEAD" });
  assert.equal(early.urls[0]!.decidedBy, "EO-Cache-Status: MISS");
  const done = await waitForTasks(report, { ...call, api, sleep, pollIntervalMs: MINUTE });
  const warm = await verifyWarm(done, { fetch: edge.fetch, method: "HEAD" });
  assert.equal(warm.urls[0]!.state, "hit");
  assert.equal(warm.urls[0]!.decidedBy, "EO-Cache-Status: HIT");
  assert.equal(warm.urls[0]!.status, 200);
  assert.ok(edge.requests.every((r) => r.method === "HEAD" && r.range === undefined));
  assert.equal(edge.bodyBytesRead, 0);
});

Deno.test("verify: every URL once, in order; what fails the URL checks is never sent", async () => {
  const { edge } = account();
  const input = [
    "https://www.example.com/one.js",
    "ftp://www.example.com/file",
    "https://www.example.com/one.js",
    "not a url",
    "http://127.0.0.1/admin",
    " https://www.example.com/space.js",
    "https://www.example.com/two.js#frag",
    "https://www.example.com/two.js",
  ];
  const result = await verifyWarm(input, { fetch: edge.fetch });
  assert.deepEqual(result.urls.map((u) => u.url), [...new Set(input)]);
  assert.deepEqual(result.urls.map((u) => u.error?.code ?? u.state), [
    "miss",
    "invalid-url",
    "invalid-url",
    "invalid-url",
    "invalid-url",
    "invalid-url",
    "miss",
  ]);
  assert.match(result.urls[1]!.error!.message, /must start with http:\/\/ or https:\/\//);
  assert.match(result.urls[3]!.error!.message, /IP address/);
  assert.deepEqual(edge.requests.map((r) => r.url), [
    "https://www.example.com/one.js",
    "https://www.example.com/two.js",
  ]);
  assert.equal(result.counts.error, 5);
});

Deno.test("verify: a redirect is reported with its Location, never followed (in-process and over HTTP)", async () => {
  const { edge } = account({}, {
    rules: [{ match: /moved/, redirect: "https://www.example.com/new.js" }],
  });
  const result = await verifyWarm(["https://www.example.com/moved.js"], { fetch: edge.fetch });
  const [moved] = result.urls;
  assert.equal(moved!.state, "error");
  assert.equal(moved!.status, 301);
  assert.equal(moved!.error!.code, "redirect");
  assert.equal(moved!.headers.location, "https://www.example.com/new.js");
  assert.match(moved!.error!.message, /redirect \(301\) to https:\/\/www\.example\.com\/new\.js/);
  assert.deepEqual(edge.requests.map((r) => r.url), ["https://www.example.com/moved.js"]);

  // Over HTTP with the runtime's own fetch: the target of the redirect is never asked.
  const asked: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const { pathname } = new URL(request.url);
    asked.push(pathname);
    if (pathname === "/from") {
      return new Response(null, {
        status: 302,
        headers: { Location: "/to", "X-Cache-Lookup": "Cache Hit" },
      });
    }
    return new Response("x", { headers: { "X-Cache-Lookup": "Cache Hit" } });
  });
  try {
    const base = `http://localhost:${server.addr.port}`;
    for (const method of ["GET", "HEAD"] as const) {
      const answer = await verifyWarm([`${base}/from`], { method });
      assert.equal(answer.urls[0]!.error?.code, "redirect", method);
      assert.equal(answer.urls[0]!.status, 302);
    }
    assert.deepEqual(asked, ["/from", "/from"]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("verify: no body is read, on the server's side: in-process exactly none, over HTTP one byte a range", async () => {
  const { edge } = account({}, {
    fileBytes: 64 * 1024 * 1024,
    rules: [{ match: /whole/, ignoreRange: true }],
  });
  const urls = ["https://www.example.com/whole.bin", "https://www.example.com/part.bin"];
  for (const method of ["GET", "HEAD"] as const) {
    const result = await verifyWarm(urls, { fetch: edge.fetch, method });
    assert.deepEqual(result.urls.map((u) => u.status), method === "GET" ? [200, 206] : [200, 200]);
  }
  assert.equal(edge.bodyBytesRead, 0, "nothing pulled a byte of any body");

  // Over HTTP the server sends what the client asked for: the 206's one byte, nothing for
  // HEAD; an edge that ignores the range starts sending the whole file, which the probe stops
  // at the headers (what the loopback's buffers took, far from the file's 256 MiB).
  const big = new SimulatedEdge(new TencentCdnSimulator({ domains: ["localhost"] }), {
    fileBytes: 256 * 1024 * 1024,
    rules: [{ match: /whole/, ignoreRange: true }],
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, big.handle);
  try {
    const base = `http://localhost:${server.addr.port}`;
    await verifyWarm([`${base}/part.bin`, `${base}/other.bin`], {});
    assert.equal(big.bodyBytesRead, 2, "one byte for each ranged GET");
    await verifyWarm([`${base}/part.bin`, `${base}/whole.bin`], { method: "HEAD" });
    assert.equal(big.bodyBytesRead, 2, "HEAD: no body");
    await verifyWarm([`${base}/whole.bin`], {});
    assert.ok(
      big.bodyBytesRead < 32 * 1024 * 1024,
      `${big.bodyBytesRead} bytes of a 256 MiB body were sent before the probe stopped it`,
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("verify: never more probes in flight than the concurrency; the default is 4", async () => {
  const { edge } = account({}, { latencyMs: 15 });
  const urls = Array.from({ length: 24 }, (_, i) => `https://www.example.com/${i}.js`);
  await verifyWarm(urls, { fetch: edge.fetch });
  assert.equal(edge.maxInFlight, 4);
  for (const concurrency of [1, 3, 16]) {
    const { edge } = account({}, { latencyMs: 15 });
    await verifyWarm(urls, { fetch: edge.fetch, concurrency });
    assert.equal(edge.maxInFlight, concurrency, `concurrency ${concurrency}`);
  }
});

Deno.test("verify: timeouts, network failures, HTTP errors and a 416 of an empty file", async () => {
  const fetch = (url: string, init: RequestInit): Promise<Response> => {
    const { pathname } = new URL(url);
    if (pathname === "/slow") {
      return new Promise((_, reject) => {
        init.signal?.addEventListener(
          "abort",
          () => reject(new DOMException("aborted", "AbortError")),
        );
      });
    }
    if (pathname === "/down") return Promise.reject(new TypeError("connection refused"));
    if (pathname === "/gone") {
      return Promise.resolve(new Response("no", { status: 404, statusText: "Not Found" }));
    }
    if (pathname === "/empty") {
      return Promise.resolve(
        new Response(null, { status: 416, headers: { "X-Cache-Lookup": "Cache Hit" } }),
      );
    }
    return Promise.resolve(new Response("x", { headers: { "EO-Cache-Status": "Something" } }));
  };
  const base = "https://www.example.com";
  const result = await verifyWarm(
    ["/slow", "/down", "/gone", "/empty", "/odd"].map((p) => base + p),
    { fetch, timeoutMs: 20 },
  );
  assert.deepEqual(result.urls.map((u) => u.error?.code ?? u.state), [
    "timeout",
    "network",
    "http-status",
    "hit",
    "unknown",
  ]);
  assert.equal(result.urls[0]!.error!.message, "No answer within 20 ms");
  assert.equal(result.urls[1]!.error!.message, "The request failed: connection refused");
  assert.equal(result.urls[2]!.error!.message, "The edge answered HTTP 404 Not Found");
  assert.equal(result.urls[2]!.status, 404);
  assert.deepEqual(result.urls[4]!.headers, { "eo-cache-status": "Something" });
  // HEAD has no range, so a 416 to it is an HTTP error like any other.
  const head = await verifyWarm([`${base}/empty`], { fetch, method: "HEAD" });
  assert.equal(head.urls[0]!.error?.code, "http-status");
});

Deno.test("verify: the signal aborts; every URL still comes back; progress is advice", async () => {
  const { edge } = account({}, { latencyMs: 20 });
  const urls = Array.from({ length: 12 }, (_, i) => `https://www.example.com/${i}.js`);
  const controller = new AbortController();
  const seen: number[] = [];
  const result = await verifyWarm(urls, {
    fetch: edge.fetch,
    concurrency: 2,
    signal: controller.signal,
    onProgress: (p) => {
      seen.push(p.done);
      assert.equal(p.total, 12);
      assert.equal(Object.values(p.counts).reduce((a, b) => a + b, 0), p.done);
      if (p.done === 4) controller.abort();
      throw new Error("ignored");
    },
  });
  assert.equal(result.aborted, true);
  assert.equal(result.urls.length, 12);
  assert.deepEqual(result.urls.map((u) => u.url), urls);
  assert.equal(result.counts.miss, 4);
  assert.equal(result.counts.error, 8);
  assert.ok(result.urls.slice(4).every((u) => u.error?.code === "aborted"));
  assert.deepEqual(seen, Array.from({ length: 12 }, (_, i) => i + 1));
  // Aborted before it starts: nothing is sent.
  const before = await verifyWarm(urls.slice(0, 2), {
    fetch: edge.fetch,
    signal: AbortSignal.abort(),
  });
  assert.deepEqual(before.urls.map((u) => u.error?.code), ["aborted", "aborted"]);
  // The four answered, and the one in flight when it aborted; none after.
  assert.equal(edge.requests.length, 5);
});

Deno.test("verify: refuse turns URLs away before they are sent", async () => {
  const { edge } = account();
  const result = await verifyWarm(
    ["https://www.example.com/a.js", "https://img.example.com/b.png"],
    {
      fetch: edge.fetch,
      refuse: (url) => url.hostname === "img.example.com" ? "not this one" : undefined,
    },
  );
  assert.deepEqual(result.urls.map((u) => u.error?.code ?? u.state), ["miss", "refused"]);
  assert.equal(result.urls[1]!.error!.message, "not this one");
  assert.deepEqual(edge.requests.map((r) => r.url), ["https://www.example.com/a.js"]);
});

Deno.test("verify: progress counts start from the screened URLs and each is a copy", async () => {
  const { edge } = account();
  const urls = [
    "https://www.example.com/a.js",
    "ftp://www.example.com/bad",
    "https://img.example.com/b.png",
    "https://www.example.com/c.js",
  ];
  const snapshots: { done: number; counts: Record<string, number> }[] = [];
  const result = await verifyWarm(urls, {
    fetch: edge.fetch,
    concurrency: 1,
    refuse: (url) => url.hostname === "img.example.com" ? "not this one" : undefined,
    onProgress: (p) => {
      snapshots.push({ done: p.done, counts: { ...p.counts } });
      // A caller that scribbles on what it was given changes nothing.
      p.counts.hit += 100;
    },
  });
  const none = { hit: 0, miss: 0, bypass: 0, unknown: 0, error: 0 };
  assert.deepEqual(snapshots, [
    { done: 3, counts: { ...none, miss: 1, error: 2 } },
    { done: 4, counts: { ...none, miss: 2, error: 2 } },
  ]);
  assert.deepEqual(result.counts, { ...none, miss: 2, error: 2 });
});

Deno.test("verify: options and input are checked, naming the value", async () => {
  const urls = ["https://www.example.com/a.js"];
  const cases: [unknown, ErrorConstructor, RegExp][] = [
    [
      { concurrency: 0 },
      RangeError,
      /Invalid option concurrency: expected an integer from 1 to 64, got 0/,
    ],
    [{ concurrency: 65 }, RangeError, /got 65/],
    [{ concurrency: 1.5 }, RangeError, /got 1\.5/],
    [{ concurrency: "2" }, TypeError, /Invalid option concurrency: .* got "2"/],
    [
      { timeoutMs: 0 },
      RangeError,
      /Invalid option timeoutMs: expected an integer from 1 to 2147483647, got 0/,
    ],
    [{ method: "POST" }, TypeError, /Invalid option method: expected "GET" or "HEAD", got "POST"/],
    [{ fetch: "fetch" }, TypeError, /Invalid option fetch: expected a function, got string/],
    [{ onProgress: 1 }, TypeError, /Invalid option onProgress: expected a function/],
    [{ refuse: {} }, TypeError, /Invalid option refuse: expected a function/],
    [{ signal: {} }, TypeError, /Invalid option signal: expected an AbortSignal/],
  ];
  for (const [options, Kind, message] of cases) {
    await assert.rejects(verifyWarm(urls, options as never), (e: Error) => {
      assert.ok(e instanceof Kind, `${JSON.stringify(options)}: ${e}`);
      assert.match(e.message, message);
      return true;
    });
  }
  for (
    const [input, message] of [
      [
        {},
        /Invalid input: expected an array of URLs, a PrewarmReport or a WaitResult, got an object/,
      ],
      ["https://www.example.com/", /got "https/],
      [[1], /Invalid input\[0\]: expected a URL string, got 1/],
      [{ tasks: [{ taskId: "t", urls: [null] }] }, /Invalid input\.tasks\[0\]\.urls\[0\]/],
    ] as const
  ) {
    await assert.rejects(verifyWarm(input as never), { name: "TypeError", message });
  }
});

Deno.test("edge: a rule's URL string matches the URL however it is written, and nothing else", async () => {
  const { edge } = account({}, {
    rules: [
      { match: "HTTPS://WWW.Example.com:443/a b.js", cache: "uncacheable" },
      { match: "not a URL", redirect: "https://www.example.com/elsewhere" },
    ],
  });
  const result = await verifyWarm([
    "https://www.example.com/a%20b.js",
    "https://www.example.com/a%20b.js?v=2",
    "https://www.example.com/c.js",
  ], { fetch: edge.fetch });
  assert.deepEqual(
    result.urls.map((u) => [u.state, u.status, u.headers["cache-control"] ?? null]),
    [["miss", 206, "no-store"], ["miss", 206, "max-age=86400"], ["miss", 206, "max-age=86400"]],
  );
});

Deno.test("edge: its options are checked, naming the option and the value", () => {
  const sim = new TencentCdnSimulator({ domains: ["www.example.com"] });
  const cases: [unknown, ErrorConstructor, string][] = [
    [{ latencyMs: -1 }, RangeError, 'Option "latencyMs" must be a non-negative integer; got -1'],
    [{ latencyMs: 1.5 }, RangeError, 'Option "latencyMs" must be a non-negative integer; got 1.5'],
    [{ latencyMs: "5" }, TypeError, 'Option "latencyMs" must be a number; got "5"'],
    [{ fileBytes: 0 }, RangeError, 'Option "fileBytes" must be an integer of at least 1; got 0'],
    [
      { fileBytes: Infinity },
      RangeError,
      'Option "fileBytes" must be an integer of at least 1; got Infinity',
    ],
    [{ rules: {} }, TypeError, 'Option "rules" must be an array; got object'],
    [
      { rules: [{ match: 1 }] },
      TypeError,
      'Option "rules[0].match" must be a URL string or a RegExp',
    ],
  ];
  for (const [options, type, message] of cases) {
    assert.throws(
      () => new SimulatedEdge(sim, options as never),
      (e: unknown) => e instanceof type && (e as Error).message === message,
      JSON.stringify(options),
    );
  }
  assert.equal(new SimulatedEdge(sim, { latencyMs: 0, fileBytes: 1 }).requests.length, 0);
});

Deno.test("verify fuzz: random edges, rules, latencies and aborts; every URL once, in order, within the concurrency", async () => {
  const seed = fuzzSeed();
  const random = new Random(seed);
  for (let round = 0; round < 300; round++) {
    const concurrency = random.int(1, 6);
    const urls = Array.from(
      { length: random.int(0, 14) },
      () => `https://${random.pick(["www.example.com", "off.example.org"])}/${random.int(0, 6)}.js`,
    );
    const { edge, clock, call } = account({ taskDurationMs: 0 }, {
      latencyMs: random.int(0, 2),
      rules: [
        { match: /1\.js/, cache: "uncacheable" },
        { match: /2\.js/, redirect: "https://www.example.com/x" },
        {
          match: /3\.js/,
          hit: ["Hit From Disktank", "Cache Miss"],
          miss: ["Cache Miss", "Hit From Upstream"],
        },
      ],
    });
    const onDomain = urls.filter((u) => u.includes("www.") && random.chance(0.5));
    if (onDomain.length > 0) await prewarm(onDomain, { ...call, api: cdn() });
    clock.ms += 1000;
    const controller = new AbortController();
    const abortAfter = random.chance(0.3) ? random.int(0, urls.length) : -1;
    const why = `${reproduce(seed)} (round ${round})`;
    const result = await verifyWarm(urls, {
      fetch: edge.fetch,
      concurrency,
      signal: controller.signal,
      onProgress: (p) => p.done === abortAfter && controller.abort(),
    });
    assert.deepEqual(result.urls.map((u) => u.url), [...new Set(urls)], why);
    assert.ok(edge.maxInFlight <= concurrency, why);
    assert.equal(edge.bodyBytesRead, 0, why);
    assert.ok(edge.requests.every((r) => r.redirect === "manual"), why);
    assert.equal(edge.requests.length <= new Set(urls).size, true, why);
    for (const u of result.urls) {
      const warm = onDomain.includes(u.url) && !/[12]\.js/.test(u.url);
      if (u.error?.code === "aborted") continue;
      if (/2\.js/.test(u.url)) {
        assert.equal(u.error?.code, "redirect", why);
      } else if (u.url.includes("off.")) assert.equal(u.state, "unknown", why);
      else assert.equal(u.state, warm ? "hit" : "miss", `${why}: ${u.url}`);
    }
  }
});
