// PushUrlsCache's optional parameters on the simulator: each accepted value is recorded on the
// task exactly as it arrived, each out-of-range one is refused with Tencent's error code before
// anything is spent, and ParseM3U8 spends quota on playlist segments until it runs out.

import assert from "node:assert/strict";
import { callV3, setup } from "./_simulator_client.ts";

const URL_A = "https://www.example.com/a.js";
const base = { Urls: [URL_A], Area: "overseas" };

function headers(count: number): { Name: string; Value: string }[] {
  return Array.from({ length: count }, (_, i) => ({ Name: `X-H${i}`, Value: `v${i}` }));
}

Deno.test("each parameter in range is accepted and recorded as it reached the wire", async () => {
  const { sim, clock } = setup();
  const longName = "N".repeat(128);
  const longValue = "值".repeat(341) + "v"; // 3 × 341 + 1 = 1024 bytes
  const sent = {
    UserAgent: "MyWarmer/1.0",
    Layer: "middle",
    ParseM3U8: false,
    DisableRange: true,
    Headers: [...headers(19), { Name: longName, Value: longValue }],
    UrlEncode: true,
  };
  const answer = await callV3(sim, clock, "PushUrlsCache", {
    ...sent,
    Urls: [URL_A, "https://www.example.com/文件/说明.pdf"],
    Area: "overseas",
  });
  assert.equal(answer.Response.Error, undefined, JSON.stringify(answer.Response.Error));
  assert.equal(sim.accepted.length, 1);
  assert.deepEqual(sim.accepted[0]?.parameters, sent);
  assert.deepEqual(sim.accepted[0]?.urls, [URL_A, "https://www.example.com/文件/说明.pdf"]);
  assert.equal(sim.accepted[0]?.segments, undefined, "no segments without ParseM3U8: true");

  await callV3(sim, clock, "PushUrlsCache", base);
  assert.deepEqual(sim.accepted[1]?.parameters, {}, "nothing recorded that was not sent");
  assert.equal(sim.quotaUsed("overseas"), 3);
});

Deno.test("out-of-range parameters are refused whole with InvalidParameter.CdnParamError", async () => {
  const { sim, clock } = setup({ unencodedNonAscii: "refuse" });
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["21 headers", { Headers: headers(21) }, /at most 20.*21/],
    ["name of 129 bytes", { Headers: [{ Name: "N".repeat(129), Value: "" }] }, /129 bytes/],
    // 43 three-byte characters: 43 characters, but 129 bytes.
    ["multi-byte name", { Headers: [{ Name: "名".repeat(43), Value: "" }] }, /129 bytes/],
    ["value of 1025 bytes", { Headers: [{ Name: "X", Value: "v".repeat(1025) }] }, /1025 bytes/],
    ["empty header name", { Headers: [{ Name: "", Value: "v" }] }, /Name/],
    ["header without Value", { Headers: [{ Name: "X" }] }, /Value/],
    ["header with another field", { Headers: [{ Name: "X", Value: "v", Op: "set" }] }, /Op/],
    ["Headers as an object", { Headers: { "X-A": "1" } }, /array/],
    ["Layer edge", { Layer: "edge" }, /"middle".*"edge"/],
    ["ParseM3U8 as text", { ParseM3U8: "true" }, /ParseM3U8.*boolean/],
    ["DisableRange as a number", { DisableRange: 1 }, /DisableRange.*boolean/],
    ["UrlEncode as text", { UrlEncode: "yes" }, /UrlEncode.*boolean/],
    ["UserAgent as a number", { UserAgent: 5 }, /UserAgent.*string/],
    [
      "non-ASCII path without UrlEncode",
      { Urls: ["https://www.example.com/文件.pdf"] },
      /UrlEncode/,
    ],
    [
      "non-ASCII path with UrlEncode false",
      { Urls: ["https://www.example.com/é.pdf"], UrlEncode: false },
      /UrlEncode/,
    ],
  ];
  for (const [name, change, message] of cases) {
    const answer = await callV3(sim, clock, "PushUrlsCache", { ...base, ...change });
    assert.equal(answer.Response.Error?.Code, "InvalidParameter.CdnParamError", name);
    assert.match(answer.Response.Error?.Message ?? "", message, name);
  }
  const misspelt = await callV3(sim, clock, "PushUrlsCache", { ...base, Header: headers(1) });
  assert.equal(misspelt.Response.Error?.Code, "UnknownParameter");
  assert.equal(sim.accepted.length, 0);
  assert.equal(sim.quotaUsed("overseas"), 0);
});

Deno.test("non-ASCII URLs without UrlEncode: accepted and failed by default, or accepted as any other", async () => {
  const chinese = "https://www.example.com/文件.pdf";
  const urls = [URL_A, chinese];
  const { sim, clock } = setup({ taskDurationMs: 60_000 });
  const sent = await callV3(sim, clock, "PushUrlsCache", { Urls: urls, Area: "overseas" });
  const encoded = await callV3(sim, clock, "PushUrlsCache", {
    Urls: urls,
    Area: "overseas",
    UrlEncode: true,
  });
  const purged = await callV3(sim, clock, "PurgeUrlsCache", { Urls: urls, Area: "overseas" });
  clock.ms += 60_000;
  const statuses = async (action: string, taskId: string, field: string) =>
    (await callV3(sim, clock, action, { TaskId: taskId })).Response[field].map((
      line: { Status: string },
    ) => line.Status);
  assert.deepEqual(
    await statuses("DescribePushTasks", sent.Response.TaskId, "PushLogs"),
    ["done", "fail"],
  );
  assert.deepEqual(
    await statuses("DescribePushTasks", encoded.Response.TaskId, "PushLogs"),
    ["done", "done"],
  );
  assert.deepEqual(
    await statuses("DescribePurgeTasks", purged.Response.TaskId, "PurgeLogs"),
    ["done", "fail"],
  );

  const lenient = setup({ unencodedNonAscii: "accept" });
  const accepted = await callV3(lenient.sim, lenient.clock, "PushUrlsCache", { Urls: [chinese] });
  const lines = await callV3(lenient.sim, lenient.clock, "DescribePushTasks", {
    TaskId: accepted.Response.TaskId,
  });
  assert.equal(lines.Response.PushLogs[0].Status, "done");
});

Deno.test("ParseM3U8: segments spend what quota is left, then are skipped silently", async () => {
  const playlist = "https://www.example.com/live/index.m3u8";
  const { sim, clock } = setup({ dailyLimit: 40, playlistSegments: { [playlist]: 30 } });
  const first = await callV3(sim, clock, "PushUrlsCache", {
    Urls: [playlist, URL_A, "https://static.example.com/b.js"],
    Area: "overseas",
    ParseM3U8: true,
  });
  assert.equal(first.Response.Error, undefined);
  assert.equal(sim.quotaUsed("overseas"), 33);
  assert.deepEqual(
    sim.accepted.map((task) => [task.host, task.segments]),
    [
      ["www.example.com", { prefetched: 30, skipped: 0 }],
      ["static.example.com", { prefetched: 0, skipped: 0 }],
    ],
  );

  // Without ParseM3U8 the same playlist is one URL.
  await callV3(sim, clock, "PushUrlsCache", { Urls: [playlist], Area: "overseas" });
  assert.equal(sim.quotaUsed("overseas"), 34);

  const second = await callV3(sim, clock, "PushUrlsCache", {
    Urls: [playlist],
    Area: "overseas",
    ParseM3U8: true,
  });
  assert.equal(second.Response.Error, undefined, "the playlist itself still fits");
  assert.deepEqual(sim.accepted.at(-1)?.segments, { prefetched: 5, skipped: 25 });
  assert.equal(sim.quotaUsed("overseas"), 40);
  const quota = await callV3(sim, clock, "DescribePushQuota", {});
  assert.equal(
    quota.Response.UrlPush.find((area: { Area: string }) => area.Area === "overseas").Available,
    0,
  );
});

Deno.test("ParseM3U8 with Area global spends segments from both areas", async () => {
  const playlist = "https://www.example.com/vod.m3u8";
  const { sim, clock } = setup({ dailyLimit: 10, playlistSegments: { [playlist]: 4 } });
  await callV3(sim, clock, "PushUrlsCache", { Urls: [playlist], Area: "global", ParseM3U8: true });
  assert.equal(sim.quotaUsed("mainland"), 5);
  assert.equal(sim.quotaUsed("overseas"), 5);
});
