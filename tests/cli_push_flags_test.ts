// The command line's PushUrlsCache parameter flags and --purge-first, in-process through main()
// with a simulator's fetch.
import assert from "node:assert/strict";
import type { CliIo } from "../src/cli/main.ts";
import { TencentCdnSimulator } from "../src/testing/mod.ts";
import { SIMULATOR_ENV } from "./cli/run.ts";
import { runMain } from "./cli/in_process.ts";

function run(args: string[], sim: TencentCdnSimulator, io: Partial<CliIo> = {}) {
  return runMain([...args, "--rate", "off"], {
    env: (name) => SIMULATOR_ENV[name],
    fetch: sim.fetch,
    ...io,
  });
}

Deno.test("cli: every PushUrlsCache parameter flag reaches the wire", async () => {
  const sim = new TencentCdnSimulator();
  const result = await run([
    "https://www.example.com/live/index.m3u8",
    "--user-agent",
    "MyWarmer/1.0",
    "--layer",
    "middle",
    "--parse-m3u8",
    "--disable-range",
    "--header",
    "X-Token: abc: def",
    "--header=Accept-Language:zh-CN",
    "--url-encode",
  ], sim);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(sim.accepted[0]?.parameters, {
    UserAgent: "MyWarmer/1.0",
    Layer: "middle",
    ParseM3U8: true,
    DisableRange: true,
    Headers: [{ Name: "X-Token", Value: "abc: def" }, { Name: "Accept-Language", Value: "zh-CN" }],
    UrlEncode: true,
  });
  assert.match(result.stdout, /^Warning: parseM3U8: playlist segments spent quota too/m);
});

Deno.test("cli: bad parameter flags are refused before anything is sent (exit 2)", async () => {
  const sim = new TencentCdnSimulator();
  const url = "https://www.example.com/a.js";
  const cases: [string[], RegExp][] = [
    [["--layer", "edge"], /--layer must be middle, got "edge"/],
    [["--header", "NoColon"], /--header takes "Name: value"/],
    [["--header", ": v"], /--header takes "Name: value"/],
    [["--header", "A: 1", "--header", "a: 2"], /--header a is given twice/],
    [["--header", "Bad Name: 1"], /headers: expected names that are HTTP tokens/],
    [["--header", "X: " + "v".repeat(1025)], /at most 1024 bytes, got 1025/],
    [
      ["--api", "v2", "--user-agent", "x"],
      /Invalid --user-agent: it applies to --api "v3" only, not "v2"/,
    ],
    [["--purge-wait", "60"], /--purge-wait needs --purge-first/],
    [["--api", "v2", "--purge-first"], /expected cdn\(\) to purge first.*got CDN API 2\.0/],
    [["--parse-m3u8=yes"], /--parse-m3u8 takes no value/],
  ];
  for (const [flags, message] of cases) {
    const result = await run([url, ...flags], sim);
    assert.equal(result.code, 2, `${flags}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  assert.equal(sim.requests.length, 0);
});

Deno.test("cli: --purge-first purges, then prefetches only what was purged", async () => {
  const failing = "https://www.example.com/old.js";
  const sim = new TencentCdnSimulator({ purgeOutcomes: [{ match: failing, status: "fail" }] });
  const input = ["https://www.example.com/index.html", failing];
  const result = await run([...input, "--purge-first", "--json"], sim);
  assert.equal(result.code, 1, "a URL was not prefetched");
  const report = JSON.parse(result.stdout);
  assert.deepEqual(report.purgeTasks.map((t: { urls: string[] }) => t.urls), [input]);
  assert.deepEqual(sim.purged.flatMap((p) => p.urls), input);
  assert.deepEqual(sim.accepted.flatMap((t) => t.urls), [input[0]]);
  assert.equal(report.failed[0].error.code, "PurgeFailed");
  assert.match(result.stderr, /Purged first: 1 purge task for 2 URLs/);
  assert.match(
    result.stderr,
    /PurgeFailed \(server\): 1 URL[\s\S]*What to do: Purge and prefetch these again \(--purge-first\)\./,
  );

  const dry = await run([...input, "--purge-first", "--dry-run"], sim);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /--purge-first: each batch would be purged first/);
});
