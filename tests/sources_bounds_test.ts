// A hostile sitemap fails in bounded time and memory, measured in a subprocess (CPU seconds
// and peak RSS from /proc, as the memory tests do) with the default limits:
// - 4 MiB of elements nested a million deep (a 1.4 MB one used to take 291 s, deaf to Ctrl-C,
//   because the parser's work per element grows with the depth);
// - an index tree that never ends (each index lists 50,000 more, each sitemap 50,000 URLs),
//   read in priority order, which holds every URL (one such tree used to read 5.3 M URLs into
//   1 GB before anything stopped it).
// The bounds are far from what a working read takes (measured below) and far below what the
// unbounded read did; a child past 120 s is killed, and fails the test.
import assert from "node:assert/strict";
import { DENO, ROOT } from "./cli/run.ts";
import { peakRss } from "./_memory.ts";

function hostileRead(...args: string[]): Deno.ChildProcess {
  return new Deno.Command(DENO.command, {
    args: ["run", "--allow-read", `${ROOT}tests/sources/hostile_read.ts`, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

const KILL_AFTER_MS = 120_000;

Deno.test({
  name: "sources: deep nesting fails within 10 s of CPU and 256 MiB",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/deep.xml`;
      await Deno.writeTextFile(
        file,
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a/</loc>' +
          "<a>".repeat((4 << 20) / 3),
      );
      const run = await peakRss(hostileRead("deep", file), KILL_AFTER_MS);
      console.log(`deep nesting: ${run.cpuSeconds.toFixed(2)} s of CPU, ${run.mb.toFixed(0)} MiB`);
      assert.ok(!run.killed, `still running after ${KILL_AFTER_MS / 1000} s`);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(
        run.stdout.trim(),
        `${file}: elements nest more than 8 levels deep at line 1; a sitemap needs no more than 5`,
      );
      assert.ok(run.cpuSeconds < 10, `${run.cpuSeconds} s of CPU`);
      assert.ok(run.mb < 256, `${run.mb} MiB`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "sources: an endless index tree stops at maxUrls within 30 s of CPU and 512 MiB",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const run = await peakRss(hostileRead("fanout"), KILL_AFTER_MS);
    console.log(`endless tree: ${run.cpuSeconds.toFixed(2)} s of CPU, ${run.mb.toFixed(0)} MiB`);
    assert.ok(!run.killed, `still running after ${KILL_AFTER_MS / 1000} s`);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout.trim(),
      "https://www.example.com/s-0-10.xml: takes this read past 500,000 URLs, its limit " +
        "(maxUrls); raise maxUrls to read more",
    );
    assert.ok(run.cpuSeconds < 30, `${run.cpuSeconds} s of CPU`);
    assert.ok(run.mb < 512, `${run.mb} MiB`);
  },
});

// Measured on Deno 2.9 (2 shared cores): deep nesting 0.13 s of CPU and 48 MiB (before the
// limit: still parsing when killed at 120 s, after 83 s of CPU); the endless tree, 500,000
// URLs held for ordering, 2.8 s of CPU and 239 MiB (before the limits: killed at 120 s, after
// 80 s of CPU, holding 3.5 GiB).
