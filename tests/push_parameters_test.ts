// The optional PushUrlsCache parameters: each reaches the wire as Tencent documents it (checked
// on the request body as sent and on what the simulator recorded), bad values are refused before
// anything is sent, UrlEncode is set for non-ASCII URLs, and parseM3U8 keeps the budget honest.

import assert from "node:assert/strict";
import { cdn, type CdnOptions, MemoryCoordinator, prewarm, type PrewarmOptions } from "../mod.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";
import { assertAccounted, spentBudget } from "./_helpers.ts";

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);

function setup(simOptions: ConstructorParameters<typeof TencentCdnSimulator>[0] = {}) {
  const sim = new TencentCdnSimulator({ now: () => NOW, ...simOptions });
  const bodies: Record<string, unknown>[] = [];
  const coordinator = new MemoryCoordinator();
  const options: PrewarmOptions = {
    credentials: { ...SIMULATOR_CREDENTIALS },
    // The body exactly as it leaves the client.
    fetch: (url, init) => {
      const action = new Headers(init.headers).get("X-TC-Action");
      if (action === "PushUrlsCache") bodies.push(JSON.parse(String(init.body)));
      return sim.fetch(url, init);
    },
    now: () => NOW,
    coordinator,
    retryDelayMs: 1,
    maxRetryDelayMs: 5,
    maxRequestsPerSecond: Infinity,
  };
  return { sim, options, bodies, coordinator };
}

Deno.test("every PushUrlsCache parameter reaches the wire with Tencent's names and types", async () => {
  const { sim, options, bodies } = setup();
  const urls = ["https://www.example.com/live/index.m3u8"];
  const report = await prewarm(urls, {
    ...options,
    api: cdn({
      userAgent: "Mozilla/5.0 (prewarm)",
      layer: "middle",
      parseM3U8: true,
      disableRange: true,
      headers: { "X-Origin-Token": "abc", "Accept-Language": "zh-CN" },
      urlEncode: false,
    }),
  });
  assertAccounted(urls, report);
  assert.equal(report.counts.submitted, 1);
  // Written out by hand, as docs/tencent-api.md §1 documents each field.
  const wire = {
    UserAgent: "Mozilla/5.0 (prewarm)",
    Layer: "middle",
    ParseM3U8: true,
    DisableRange: true,
    Headers: [
      { Name: "X-Origin-Token", Value: "abc" },
      { Name: "Accept-Language", Value: "zh-CN" },
    ],
    UrlEncode: false,
  };
  assert.deepEqual(bodies, [{ Urls: urls, Area: "overseas", ...wire }]);
  assert.deepEqual(Object.keys(bodies[0]!), ["Urls", "Area", ...Object.keys(wire)]);
  assert.deepEqual(sim.accepted[0]?.parameters, wire, "the simulator accepted each one");
});

Deno.test("without parameters the body carries only Urls and Area", async () => {
  const { options, bodies } = setup();
  await prewarm(["https://www.example.com/a.js"], options);
  assert.deepEqual(bodies, [{ Urls: ["https://www.example.com/a.js"], Area: "overseas" }]);
});

Deno.test("UrlEncode is set for a batch with a non-ASCII URL, unless the caller set it", async () => {
  const { sim, options: base, bodies } = setup({ unencodedNonAscii: "refuse" });
  const options = { ...base, concurrency: 1 };
  const chinese = "https://www.example.com/文档/说明.html";
  const plain = "https://static.example.com/app.js";
  const report = await prewarm([chinese, plain], options);
  assert.equal(report.counts.submitted, 2);
  assert.deepEqual(bodies.map((b) => [b.Urls, b.UrlEncode]), [
    [[chinese], true],
    [[plain], undefined],
  ]);
  assert.equal(sim.accepted.find((t) => t.host === "www.example.com")?.parameters?.UrlEncode, true);

  bodies.length = 0;
  const refused = await prewarm([chinese], { ...options, api: cdn({ urlEncode: false }) });
  assert.deepEqual(bodies.map((b) => b.UrlEncode), [false], "the caller's choice is kept");
  assert.equal(refused.failed[0]?.error.code, "InvalidParameter.CdnParamError");
});

Deno.test("bad parameter values are refused before anything is sent", async () => {
  const { sim, options } = setup();
  const cases: [CdnOptions, typeof TypeError | typeof RangeError, RegExp][] = [
    [{ userAgent: "" }, TypeError, /userAgent: expected a non-empty string/],
    [{ userAgent: "a\r\nX-Evil: 1" }, TypeError, /userAgent: expected no CR, LF or NUL/],
    [
      { userAgent: 5 as unknown as string },
      TypeError,
      /userAgent: expected a string, got "number"/,
    ],
    [{ layer: "edge" as "middle" }, TypeError, /layer: expected "middle", got "edge"/],
    [{ parseM3U8: "yes" as unknown as boolean }, TypeError, /parseM3U8: expected a boolean/],
    [{ disableRange: 1 as unknown as boolean }, TypeError, /disableRange: expected a boolean/],
    [{ urlEncode: null as unknown as boolean }, TypeError, /urlEncode: expected a boolean/],
    [
      { headers: [] as unknown as Record<string, string> },
      TypeError,
      /headers: expected an object/,
    ],
    [
      {
        headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, "v"])),
      },
      RangeError,
      /headers: expected at most 20 headers, got 21/,
    ],
    [{ headers: { "Bad Name": "v" } }, TypeError, /names that are HTTP tokens.*"Bad Name"/],
    [{ headers: { "": "v" } }, TypeError, /names that are HTTP tokens/],
    [{ headers: { ["X".repeat(129)]: "v" } }, TypeError, /of 1 to 128 bytes/],
    [
      { headers: { "X-A": "line\nbreak" } },
      TypeError,
      /headers\["X-A"\]: expected no CR, LF or NUL/,
    ],
    [{ headers: { "X-A": "nul\0" } }, TypeError, /expected no CR, LF or NUL/],
    [
      { headers: { "X-A": "é".repeat(513) } },
      RangeError,
      /headers\["X-A"\]: expected at most 1024 bytes, got 1026/,
    ],
    [{ headers: { "X-A": 1 as unknown as string } }, TypeError, /expected a string/],
  ];
  for (const [bad, Kind, message] of cases) {
    await assert.rejects(
      async () => await prewarm(["https://www.example.com/a.js"], { ...options, api: cdn(bad) }),
      (error: Error) => {
        assert.ok(error instanceof Kind, `${JSON.stringify(bad)}: ${error}`);
        assert.match(error.message, message);
        return true;
      },
    );
  }
  assert.equal(sim.requests.length, 0, "nothing was sent");
  // Limits exactly at the edge pass: 20 headers, a 128-byte name, a 1024-byte value.
  const edge = {
    ...Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`X-H${i}`, "v"])),
    ["N".repeat(128)]: "é".repeat(512),
  };
  const report = await prewarm(["https://www.example.com/a.js"], {
    ...options,
    api: cdn({ headers: edge }),
  });
  assert.equal(report.counts.submitted, 1);
  assert.equal(sim.accepted[0]?.parameters?.Headers?.length, 20);
});

Deno.test("a header value is never quoted in an error", async () => {
  const { options } = setup();
  await assert.rejects(
    async () =>
      await prewarm(["https://www.example.com/a.js"], {
        ...options,
        api: cdn({ headers: { Authorization: "Bearer s3cr3t-token\n" } }),
      }),
    (error: Error) => !error.message.includes("s3cr3t"),
  );
});

Deno.test("parseM3U8: the report warns; without checkQuota the budget counts listed URLs only", async () => {
  const playlist = "https://www.example.com/live/index.m3u8";
  const { sim, options, coordinator } = setup({ playlistSegments: { [playlist]: 40 } });
  const report = await prewarm([playlist], { ...options, api: cdn({ parseM3U8: true }) });
  assert.equal(report.counts.submitted, 1);
  assert.equal(sim.quotaUsed("overseas"), 41, "Tencent spent the segments too");
  assert.equal(spentBudget(coordinator), 1);
  assert.equal(report.warnings?.length, 1);
  assert.match(report.warnings![0]!, /parseM3U8.*unknown in advance.*set checkQuota/);

  const plain = await prewarm(["https://www.example.com/a.js"], options);
  assert.equal(plain.warnings, undefined, "no warning without parseM3U8");
});

Deno.test("parseM3U8 with checkQuota: the budget books what Tencent spent, counted once", async () => {
  const playlist = "https://www.example.com/live/index.m3u8";
  const { sim, options, coordinator } = setup({
    playlistSegments: { [playlist]: 40, "https://www.example.com/live/b.m3u8": 5 },
  });
  const first = await prewarm([playlist, "https://www.example.com/a.js"], {
    ...options,
    api: cdn({ parseM3U8: true }),
    checkQuota: true,
  });
  assert.equal(first.counts.submitted, 2);
  assert.equal(sim.quotaUsed("overseas"), 42);
  assert.equal(spentBudget(coordinator), 42, "2 URLs + 40 segments, not 2 + 42");
  assert.match(first.warnings![0]!, /reconciled with DescribePushQuota/);
  // A second run reconciles again without counting the first run twice.
  await prewarm(["https://www.example.com/live/b.m3u8"], {
    ...options,
    api: cdn({ parseM3U8: true }),
    checkQuota: true,
  });
  assert.equal(sim.quotaUsed("overseas"), 48);
  assert.equal(spentBudget(coordinator), 48);
  // Prefetch runs of the same coordinator now see what is left: 1000 - 48.
  const rest = await prewarm(
    Array.from({ length: 960 }, (_, i) => `https://www.example.com/x${i}.js`),
    { ...options, concurrency: 1 },
  );
  assert.equal(rest.counts.submitted, 952);
  assert.equal(rest.rejected.filter((r) => r.reason === "daily-limit").length, 8);
});

Deno.test("parseM3U8 with checkQuota: a quota used up by segments exhausts the budget", async () => {
  const playlist = "https://www.example.com/live/index.m3u8";
  const { sim, options, coordinator } = setup({
    dailyLimit: 30,
    playlistSegments: { [playlist]: 100 },
  });
  const report = await prewarm([playlist], {
    ...options,
    api: cdn({ parseM3U8: true }),
    checkQuota: true,
    dailyLimit: 1000,
  });
  assert.equal(report.counts.submitted, 1);
  assert.equal(sim.quotaUsed("overseas"), 30);
  const account = `${SIMULATOR_CREDENTIALS.secretId}@cdn.tencentcloudapi.com`;
  assert.equal(coordinator.usage(account, "push:overseas:2026-11-28", NOW).exhausted, true);
  const next = await prewarm(["https://www.example.com/a.js"], { ...options, dailyLimit: 1000 });
  assert.equal(next.rejected[0]?.reason, "daily-limit");
  assert.equal(sim.requests.filter((r) => r.action === "PushUrlsCache").length, 1);
});
