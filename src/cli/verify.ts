/**
 * Is it warm, from here? The `verify URL... | --file F` command, and `--verify` after `--wait`
 * (which probes the URLs that ended `done`): `verifyWarm()` with progress on standard error and
 * the summary of `verify_view.ts`. Exit status 0 when every probed URL is a hit, 4 when some are
 * not, 1 when any could not be read.
 * @module
 */
import type { FetchLike } from "../transport/send.ts";
import type { PrewarmReport } from "../rules/report.ts";
import type { WaitResult } from "../engine/wait.ts";
import { type ProbeMethod, type VerifyResult, verifyWarm } from "../verify/probe.ts";
import { type FlagSpec, type ParsedArgs, UsageError } from "./args.ts";
import type { Flags } from "./flags.ts";
import { closeSources, openSources, readUrls } from "./input.ts";
import type { RunIo } from "./io.ts";
import { ProgressDisplay } from "./progress.ts";
import { interruptedStatus } from "./signals.ts";
import type { SimulatedAccount } from "./simulated.ts";
import { formatVerifyProgress, formatVerifySummary, verifyExitStatus } from "./verify_view.ts";
import { writeCiFiles } from "./ci.ts";

/** The commands that probe: `verify` itself, and `prewarm` and `status` with `--verify`. */
const PROBING = ["verify", "prewarm", "status"];

/** The flags of probing. */
export const VERIFY_FLAGS: Record<string, FlagSpec> = {
  "verify": { takesValue: false, commands: ["prewarm", "status"] },
  "probe-method": { takesValue: true, commands: PROBING },
  "probe-concurrency": { takesValue: true, commands: PROBING },
  "probe-timeout": { takesValue: true, commands: PROBING },
};

/** How to probe, from the flags. */
export interface ProbeSettings {
  /** `--probe-method`. */
  method?: ProbeMethod;
  /** `--probe-concurrency`. */
  concurrency?: number;
  /** `--probe-timeout`, in ms. */
  timeoutMs?: number;
}

/**
 * The probe settings of a command: always for `verify`; for `prewarm` and `status` only with
 * `--verify`, which needs `--wait` (it probes what ended `done`).
 * @throws {UsageError} for `--verify` without `--wait`, or a `--probe-*` flag without `--verify`.
 */
export function probeSettings(flags: Flags, command: string): ProbeSettings | undefined {
  const settings: ProbeSettings = {
    method: flags.choice("probe-method", ["GET", "HEAD"] as const),
    concurrency: flags.integer("probe-concurrency", 1, 64),
    timeoutMs: flags.milliseconds("probe-timeout"),
  };
  if (command === "verify") return settings;
  if (!flags.has("verify")) {
    const stray = Object.keys(VERIFY_FLAGS).find((name) => flags.has(name));
    if (stray) throw new UsageError(`--${stray} applies only to verify, or with --verify`);
    return undefined;
  }
  if (!flags.has("wait")) {
    throw new UsageError(
      "--verify applies only with --wait: it probes the URLs that ended done (to verify URLs " +
        "now, run: verify URL...)",
    );
  }
  return settings;
}

/**
 * Runs `verifyWarm()` with a progress line on standard error, masks what the edge said, and
 * prints the summary: on standard error beside `--json`, else on standard output. Returns the
 * masked result, for the JSON and the CI files.
 */
export async function verifyAndShow(
  input: readonly string[] | PrewarmReport | WaitResult,
  settings: ProbeSettings,
  fetch: FetchLike | undefined,
  io: RunIo,
  view: { json: boolean; middleLayer?: boolean },
): Promise<VerifyResult> {
  const progress = new ProgressDisplay(io.stderr, io.stderrIsTTY, () => performance.now());
  const probed = await verifyWarm(input, {
    ...settings,
    ...(fetch && { fetch }),
    ...(io.interrupt && { signal: io.interrupt }),
    onProgress: (p) => progress.line(formatVerifyProgress(p), p.done === p.total || p.done === 1),
  }).finally(() => progress.finish());
  const result = io.shown(probed);
  (view.json ? io.stderr : io.stdout)(
    formatVerifySummary(result, { middleLayer: view.middleLayer }),
  );
  return result;
}

/** Flags that ask Tencent Cloud's API, which `verify` never does. */
const API_FLAGS = ["endpoint", "timeout", "retries", "api", "zone"];

/**
 * `verify URL... | --file F`: probes the URLs from here and prints what the edge said.
 * Needs no credentials: it asks the CDN, not Tencent Cloud's API.
 */
export async function verifyCommand(
  parsed: ParsedArgs,
  flags: Flags,
  io: RunIo,
): Promise<number> {
  const stray = API_FLAGS.find((name) => flags.has(name));
  if (stray) {
    throw new UsageError(
      `--${stray} does not apply to verify: it asks the CDN's edge, not Tencent Cloud's API ` +
        "(its time per URL is --probe-timeout)",
    );
  }
  if (parsed.positionals.length === 0 && !flags.has("file")) {
    throw new UsageError("verify needs URLs: pass them as arguments, --file FILE or --file -");
  }
  const settings = probeSettings(flags, "verify")!;
  const json = flags.has("json");
  const signal = io.interrupt;
  let fetch = io.fetch;
  let account: SimulatedAccount | undefined;
  if (flags.has("simulate")) {
    // Loaded only when simulating: no production entry carries the simulator.
    const { simulatedAccount } = await import("./simulated.ts");
    io.stderr(
      "SIMULATING (--simulate): probes go to a simulated edge that has prefetched nothing; " +
        "nothing reaches the CDN.\n",
    );
    account = simulatedAccount({ dailyLimit: Infinity, requestsPerSecond: 20 });
    fetch = account.probeFetch;
  }
  const sources = await openSources(parsed.positionals, flags.all("file"));
  const urls: string[] = [];
  try {
    const listed = readUrls(sources, io.stdin, signal);
    for await (const url of account ? account.noteHosts(listed) : listed) urls.push(url);
  } finally {
    await closeSources(sources);
  }
  if (signal?.aborted) {
    io.stderr("Interrupted while reading the input: nothing was probed.\n");
    return interruptedStatus(signal);
  }
  if (urls.length === 0) {
    throw new UsageError("No URLs in the input: it held only blank lines and # comments");
  }
  const result = await verifyAndShow(urls, settings, fetch, io, { json });
  // One report for --json and the --report file, so the file says `simulated` too.
  const simulated = account !== undefined;
  const jsonReport = { simulated, ...result };
  if (json) io.json(jsonReport);
  await writeCiFiles(
    { result: { kind: "verify" }, verify: result, simulated, now: io.now() },
    jsonReport,
    { report: flags.string("report"), env: io.env, mask: io.mask },
  );
  if (result.aborted) return interruptedStatus(signal);
  return verifyExitStatus(result);
}
