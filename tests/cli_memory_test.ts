// A 100 000-line input through the command line with bounded memory: the peak resident set
// (VmHWM) of the subprocess, read from /proc while it runs.
import assert from "node:assert/strict";
import { spawnCli } from "./cli/run.ts";
import { type MeasuredRun, peakRss } from "./_memory.ts";

const LINES = 100_000;
// Long URLs make the text, not the per-URL bookkeeping, the bulk of what is held, so that a
// second copy of it would show. 400 characters stays far below the 4 096 limit.
const PADDING = "p".repeat(350);
const HOSTS = ["www.example.com", "static.example.com", "img.example.com"];

async function writeUrls(path: string, lines: number): Promise<number> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let bytes = 0;
  for (let start = 0; start < lines; start += 10_000) {
    let block = "";
    for (let i = start; i < Math.min(lines, start + 10_000); i++) {
      block += `https://${HOSTS[i % 3]}/assets/${PADDING}/file-${String(i).padStart(6, "0")}.js\n`;
    }
    const encoded = encoder.encode(block);
    bytes += encoded.length;
    await file.write(encoded);
  }
  file.close();
  return bytes;
}

/** The peak RSS (MB) of the command line run with `args`, and its exit status. */
function peakRssOf(args: string[]): Promise<MeasuredRun> {
  return peakRss(spawnCli(args));
}

Deno.test({
  name: "cli: 100 000 lines stream through --dry-run and --simulate with bounded memory",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const big = `${dir}/big.txt`;
      const small = `${dir}/small.txt`;
      const textMb = (await writeUrls(big, LINES)) / 1024 / 1024;
      await writeUrls(small, 10);
      const flags = ["--daily-limit", "1000000", "--rate", "off"];

      // The growth over a 10-line run of the same mode cancels out the runtime's own memory.
      // Measured on Deno 2.9 with S = 38 MiB of text, growth in S (several runs each, quiet and
      // with both cores busy), against a scratch copy that kept one more copy of the text:
      //   dry run:  4.14–4.30 S; with one more copy 5.96–6.01 S; with a listener leaked per
      //             line (a bug found while writing this test) 4.9 S
      //   simulate: 6.28–6.67 S (the simulator keeps its own copy of every task's URLs, as a
      //             server does); with one more copy 7.54–7.76 S
      // Each bound sits between normal and broken, at least 0.4 S (15 MiB) from either.
      const bounds = { "--dry-run": 4.7, "--simulate": 7.1 };
      for (const [mode, bound] of Object.entries(bounds)) {
        const baseline = await peakRssOf([mode, ...flags, "--file", small]);
        const run = await peakRssOf([mode, ...flags, "--file", big]);
        assert.equal(baseline.code, 0);
        assert.equal(run.code, 0, run.stdout.slice(-2000));
        assert.match(
          run.stdout,
          mode === "--dry-run"
            ? /Would send 100,000 URLs in 201 requests/
            : /^100,000 URLs: 100,000 submitted, 0 not sent, 0 failed/m,
        );
        const growth = run.mb - baseline.mb;
        console.log(
          `${mode}: ${LINES} lines (${textMb.toFixed(1)} MB): peak RSS ${run.mb.toFixed(0)} MB, ` +
            `${baseline.mb.toFixed(0)} MB for 10 lines; grew ${(growth / textMb).toFixed(2)} S ` +
            `(bound ${bound} S)`,
        );
        assert.ok(
          growth < bound * textMb,
          `${mode} grew ${growth.toFixed(0)} MB for ${textMb.toFixed(0)} MB of text: ` +
            `over ${bound} times the text`,
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
