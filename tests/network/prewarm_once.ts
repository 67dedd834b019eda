// One prewarm() against an endpoint, as a user's script on this runtime runs it: the report as
// JSON on standard output. Run directly on Deno, bundled (tools/bundle.mjs) on Node and Bun, and
// wrapped in a Worker (worker.ts) on workerd. Usage: prewarm_once.ts ENDPOINT URL...
import { MemoryCoordinator, prewarm, type PrewarmReport } from "../../mod.ts";
import { SIMULATOR_CREDENTIALS } from "../../src/testing/mod.ts";

/** prewarm() with few, fast retries, on a coordinator of its own. */
export function prewarmOnce(endpoint: string, urls: string[]): Promise<PrewarmReport> {
  return prewarm(urls, {
    credentials: { ...SIMULATOR_CREDENTIALS },
    endpoint,
    retries: 1,
    retryDelayMs: 1,
    maxRetryDelayMs: 2,
    timeoutMs: 5000,
    maxRequestsPerSecond: Infinity,
    coordinator: new MemoryCoordinator(),
  });
}

const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
const args = g.Deno?.args ?? g.process?.argv.slice(2) ?? [];
if (args.length > 0) {
  const [endpoint, ...urls] = args;
  console.log(JSON.stringify(await prewarmOnce(endpoint!, urls)));
}
