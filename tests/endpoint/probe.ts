/**
 * Where a `prewarm()` without `endpoint` sends its request, on whichever runtime runs this:
 * the simulator answers in-process, so nothing leaves the process whatever the URL is.
 * @module
 */
import { MemoryCoordinator, prewarm } from "../../mod.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../../src/testing/mod.ts";

/** The URL the one request of a one-URL `prewarm()` went to. */
export async function endpointUsed(): Promise<string> {
  const simulator = new TencentCdnSimulator();
  const seen: string[] = [];
  const report = await prewarm(["https://www.example.com/"], {
    credentials: { ...SIMULATOR_CREDENTIALS },
    coordinator: new MemoryCoordinator(),
    fetch: (input, init) => {
      seen.push(input);
      return simulator.fetch(input, init);
    },
  });
  if (report.counts.submitted !== 1) throw new Error(`not submitted: ${JSON.stringify(report)}`);
  return seen[0]!;
}
