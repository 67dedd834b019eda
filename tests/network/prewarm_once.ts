// One prewarm() against an endpoint, then recoverLostTasks() on its report, as a user's script on
// this runtime runs them: the report as JSON on standard output. Run directly on Deno, bundled (tools/bundle.mjs) on Node and Bun, and
// wrapped in a Worker (worker.ts) on workerd. Usage: prewarm_once.ts ENDPOINT URL...
import {
  MemoryCoordinator,
  prewarm,
  type PrewarmOptions,
  type PrewarmReport,
  recoverLostTasks,
} from "../../mod.ts";
import { SIMULATOR_CREDENTIALS } from "../../src/testing/mod.ts";

/** prewarm() with few, fast retries, on a coordinator of its own, then the lookup of what it
 * lost with the same options. */
export async function prewarmOnce(endpoint: string, urls: string[]): Promise<PrewarmReport> {
  const options: PrewarmOptions = {
    credentials: { ...SIMULATOR_CREDENTIALS },
    endpoint,
    retries: 1,
    retryDelayMs: 1,
    maxRetryDelayMs: 2,
    timeoutMs: 5000,
    maxRequestsPerSecond: Infinity,
    coordinator: new MemoryCoordinator(),
  };
  return await recoverLostTasks(await prewarm(urls, options), options);
}

const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
const args = g.Deno?.args ?? g.process?.argv.slice(2) ?? [];
if (args.length > 0) {
  const [endpoint, ...urls] = args;
  console.log(JSON.stringify(await prewarmOnce(endpoint!, urls)));
}
