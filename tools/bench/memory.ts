/**
 * Peak memory per URL (issue 21): 100 000 URLs through `prewarm()` in one call against the
 * official SDK's `PushUrlsCache` in a loop of 500-URL calls, each in a fresh Node process
 * (tools/bench/rss.mjs), sides alternated. Per URL = (the process's peak resident set after
 * the call − the resident set before it, after a full GC) / URLs.
 */
import { lastLine } from "./run.ts";
import { summarize, type Summary } from "./stats.mjs";

const root = new URL("../../", import.meta.url);

/** Bytes per URL of each side, min and median over the samples. */
export interface MemoryResult {
  urls: number;
  ours: Summary;
  sdk: Summary;
}

async function sample(
  side: "ours" | "sdk",
  core: string,
  urls: number,
): Promise<number> {
  const line = await lastLine("node", [
    "--expose-gc",
    new URL("tools/bench/rss.mjs", root).pathname,
    side,
    core,
    String(urls),
  ]);
  const { before, peak } = JSON.parse(line) as { before: number; peak: number };
  return (peak - before) / urls;
}

/**
 * @param core the core bundled for Node (tools/out/bench-peers/core.node.js)
 */
export async function measureMemory(
  core: string,
  urls = 100_000,
  samples = 7,
): Promise<MemoryResult> {
  const ours: number[] = [];
  const sdk: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (i % 2 === 0) {
      ours.push(await sample("ours", core, urls));
      sdk.push(await sample("sdk", core, urls));
    } else {
      sdk.push(await sample("sdk", core, urls));
      ours.push(await sample("ours", core, urls));
    }
  }
  return { urls, ours: summarize(ours), sdk: summarize(sdk) };
}
