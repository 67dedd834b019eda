/**
 * The command line, `prewarm`: prewarm URLs from arguments, files or standard input, plan a run
 * without sending anything, read a task's status and the daily quota. Install it under its name
 * with exactly the permissions it uses (the network, the environment, files, and `git` for
 * `--changed-since`):
 *
 * ```sh
 * deno install -g -n prewarm --allow-net --allow-env --allow-read --allow-write --allow-run=git jsr:@qcdn/prewarm/cli
 * export TENCENTCLOUD_SECRET_ID=... TENCENTCLOUD_SECRET_KEY=...
 * prewarm --file urls.txt
 * prewarm --dry-run https://www.example.com/app.js
 * cat urls.txt | prewarm --file - --json > report.json
 * prewarm --wait --file urls.txt  # and wait until they are done
 * prewarm --wait --verify --file urls.txt  # then ask the edge
 * prewarm verify https://www.example.com/app.js  # is it warm?
 * prewarm status 1764302400-6f1c...
 * prewarm quota
 * ```
 *
 * Run with `--help` for every option. Exit status: 0 every URL submitted (a duplicate counts,
 * its first copy was sent) and, with `--wait`, done; 1 some not sent or failed (or, waited for,
 * failed, invalid or unknown); 2 usage or configuration mistake (no URLs at all is one); 3 the
 * `--wait` timed out with URLs pending and nothing else wrong; 4 `verify` (or `--verify`) found
 * URLs the edge does not serve from its cache, and nothing else wrong (a URL it could not read
 * is 1); 128 + the signal's number when stopped by one (130 Ctrl-C, 143 `SIGTERM`, 129
 * `SIGHUP`; each leaves the same state).
 *
 * The same source runs on Deno, Bun and Node (bundled): it only uses `node:` built-ins.
 * `main()` runs it in-process.
 *
 * @example Run it in-process, as a test would
 * ```ts
 * import { main } from "@qcdn/prewarm/cli";
 *
 * let output = "";
 * const code = await main(["--dry-run", "--json", "https://www.example.com/app.js"], {
 *   stdout: (text) => (output += text),
 * });
 * console.log(code, JSON.parse(output).counts);
 * ```
 *
 * @module
 */
import { KNOWN_ERROR_ROWS } from "../apis/spec.ts";
import process from "node:process";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  CREDENTIAL_ENV_VARS,
  type Credentials,
  credentialsFromEnv,
} from "../transport/credentials.ts";
import type { TaskLine, TencentApi } from "../api.ts";
import type { CdnApi } from "../apis/cdn.ts";
import { taskReader } from "../apis/spec.ts";
import { TencentCloudError } from "../rules/errors.ts";
import { resolvePrewarmOptions } from "../engine/options.ts";
import { type CallOptions, resolveCallOptions } from "../transport/call_options.ts";
import { runAndRecover } from "../engine/recover.ts";
import { purgeThenPrewarm, type PurgeThenPrewarmOptions } from "../flows/purge_then_prewarm.ts";
import type { PrewarmProgress, PrewarmReport, PrewarmTask, RejectedUrl } from "../rules/report.ts";
import { listedAs } from "../rules/urls.ts";
import { pollTasks, waitForTasks, type WaitOptions, type WaitResult } from "../engine/wait.ts";
import { redactJson, secretRedactor } from "../rules/redact.ts";
import { type FlagSpec, type ParsedArgs, splitArgs, UsageError } from "./args.ts";
import { Flags } from "./flags.ts";
import { apiFromFlags } from "./api_flags.ts";
import { purgeOptions, PUSH_FLAGS } from "./push_flags.ts";
import { formatQuota, formatTaskStatus } from "./describe_view.ts";
import { formatPlan, planDryRun } from "./dry_run.ts";
import { closeSources, InputError, InvalidLines, openSources, readUrls } from "./input.ts";
import { type CliIo, processIo, type RunIo, stdinWasRead } from "./io.ts";
import { ProgressDisplay } from "./progress.ts";
import { parseDuration } from "./since.ts";
import { DEFERRABLE_REASONS, InputSources, SOURCE_FLAGS, type SourcesOutcome } from "./sources.ts";
import { writeCiFiles } from "./ci.ts";
import { interruptedStatus, onStopSignals, stopper, stopSignalOf } from "./signals.ts";
import type { SimulatedAccount } from "./simulated.ts";
import { formatSummary } from "./summary.ts";
import { USAGE } from "./usage.ts";
import { formatWaitSummary } from "./wait_view.ts";
import { cliWords } from "./words.ts";
import { errorText } from "../rules/advice.ts";
import {
  type ProbeSettings,
  probeSettings,
  VERIFY_FLAGS,
  verifyAndShow,
  verifyCommand,
} from "./verify.ts";
import { verifyExitStatus } from "./verify_view.ts";
import type { VerifyResult } from "../verify/probe.ts";
import { plural } from "./text.ts";

export type { CliIo } from "./io.ts";

/** Exit status: every URL submitted (or the question answered). */
const OK = 0;
/** Exit status: some URLs were not sent or failed, or Tencent refused the question. */
const INCOMPLETE = 1;
/** Exit status: the command was called wrongly or is missing its configuration. */
const USAGE_ERROR = 2;
/** Exit status: `--wait` ran out with URLs still pending, and nothing else went wrong. */
const TIMED_OUT = 3;

const PREWARM = ["prewarm"];
const STATUS = ["status"];
const COMMANDS = ["prewarm", "status", "quota", "verify"];

const FLAGS: Record<string, FlagSpec> = {
  "help": { takesValue: false, short: "h" },
  "json": { takesValue: false },
  "simulate": { takesValue: false },
  "endpoint": { takesValue: true },
  "timeout": { takesValue: true },
  "retries": { takesValue: true },
  "file": { takesValue: true, repeatable: true, commands: [...PREWARM, "verify"] },
  "dry-run": { takesValue: false, commands: PREWARM },
  "api": { takesValue: true },
  "zone": { takesValue: true },
  "area": { takesValue: true, commands: PREWARM },
  "signature-method": { takesValue: true, commands: PREWARM },
  "method": { takesValue: true, commands: PREWARM },
  "batch-size": { takesValue: true, commands: PREWARM },
  "concurrency": { takesValue: true, commands: PREWARM },
  "rate": { takesValue: true, commands: PREWARM },
  "daily-limit": { takesValue: true, commands: PREWARM },
  "retry-ambiguous": { takesValue: false, commands: PREWARM },
  "check-quota": { takesValue: false, commands: PREWARM },
  "url": { takesValue: true, commands: STATUS },
  "since": { takesValue: true, commands: [...PREWARM, ...STATUS] },
  "wait": { takesValue: false, commands: [...PREWARM, ...STATUS] },
  "wait-timeout": { takesValue: true, commands: [...PREWARM, ...STATUS] },
  "poll-interval": { takesValue: true, commands: [...PREWARM, ...STATUS] },
  ...SOURCE_FLAGS,
  ...PUSH_FLAGS,
  ...VERIFY_FLAGS,
};

const SECRETS_GO_IN_ENV =
  `Set ${CREDENTIAL_ENV_VARS.secretId} and ${CREDENTIAL_ENV_VARS.secretKey} ` +
  `(and ${CREDENTIAL_ENV_VARS.token[0]} for temporary keys) in the environment instead`;

/** Key pair used only to check options in a dry run, which signs nothing. */
const UNUSED_CREDENTIALS: Credentials = { secretId: "AKIDunused", secretKey: "unused" };

/** Configuration that is missing or wrong (credentials, mostly): exit status 2, no usage hint. */
class ConfigError extends Error {
  override name = "ConfigError";
}

/** The environment variables that hold credentials: their values never reach any output. */
const CREDENTIAL_NAMES: readonly string[] = [
  CREDENTIAL_ENV_VARS.secretId,
  CREDENTIAL_ENV_VARS.secretKey,
  ...CREDENTIAL_ENV_VARS.token,
];

/**
 * The command line's output, masked: one `secretRedactor` of the credentials in the environment
 * (as set and as read, trimmed; in any case, percent-encoded too; and every `Signature=` value)
 * for everything it prints or writes. Upstream text reaches every output, success answers too (a
 * TaskId or RequestId that echoes the key id or the token), so:
 *
 * - every upstream value is masked string by string as it arrives (`shown`), before anything is
 *   built from it: a table pads to its length and a long URL is shortened, after which a secret
 *   can no longer be found whole;
 * - `stdout` and `stderr` mask all text again, which also covers local messages;
 * - `json` masks string by string and writes as is: masking serialized JSON could unbalance its
 *   quotes (a `Signature=` value ends at a quote, not at the backslash before it);
 * - the CI files are written through `mask` and `redactJson` the same way (see `ci.ts`).
 *
 * The queue (`--remaining`) and the manifest hold the caller's URLs and file names, and are
 * written as they are.
 */
function maskedIo(io: Omit<RunIo, "mask" | "shown" | "json">): RunIo {
  const secrets = CREDENTIAL_NAMES.flatMap((name) => {
    const value = io.env(name);
    return value === undefined ? [] : [value, value.trim()];
  });
  const mask = secretRedactor(secrets);
  return {
    ...io,
    stdout: (text) => io.stdout(mask(text)),
    stderr: (text) => io.stderr(mask(text)),
    mask,
    shown: (value) => redactJson(value, mask),
    json: (value) => io.stdout(JSON.stringify(redactJson(value, mask), null, 2) + "\n"),
  };
}

/** Where requests go: Tencent Cloud (or `--endpoint`) with the environment's keys, or the simulator. */
interface Target {
  credentials: Credentials;
  fetch?: CliIo["fetch"];
  simulated?: SimulatedAccount;
}

/** Where `--verify` probes go: the simulated account's edge, or the CDN through `io.fetch`. */
function probeFetch(target: Target, io: RunIo): CliIo["fetch"] {
  return target.simulated?.probeFetch ?? io.fetch;
}

/**
 * Probes what a wait found `done` (`--wait --verify`) and prints the summary; `undefined` when
 * there is nothing to verify (no `--verify`, or the wait was interrupted).
 */
async function verifyAfterWait(
  waited: WaitResult,
  probe: ProbeSettings | undefined,
  fetch: CliIo["fetch"],
  io: RunIo,
  view: { json: boolean; middleLayer: boolean },
): Promise<VerifyResult | undefined> {
  if (!probe || waited.aborted || io.interrupt?.aborted) return undefined;
  return await verifyAndShow(waited, probe, fetch, io, view);
}

/** The exit status after a verify: the earlier status when it is not 0, else the verify's. */
function withVerify(status: number, verified: VerifyResult | undefined): number {
  if (status !== OK || !verified) return status;
  return verified.aborted ? status : verifyExitStatus(verified);
}

function callOptions(flags: Flags): Omit<CallOptions, "credentials"> {
  return {
    endpoint: flags.string("endpoint"),
    timeoutMs: flags.milliseconds("timeout"),
    retries: flags.integer("retries", 0, 100),
  };
}

/** The options of a run: `prewarm()`'s, the API the flags name, and the purge's. */
type RunOptions = Omit<PurgeThenPrewarmOptions, "credentials" | "api"> & { api: TencentApi };

function prewarmOptions(flags: Flags): RunOptions {
  return {
    ...callOptions(flags),
    api: apiFromFlags(flags),
    batchSize: flags.integer("batch-size", 1, 10_000),
    concurrency: flags.integer("concurrency", 1, 64),
    maxRequestsPerSecond: flags.rate("rate"),
    dailyLimit: flags.integer("daily-limit", 0, Infinity, "off"),
    retryAmbiguous: flags.has("retry-ambiguous"),
    checkQuota: flags.has("check-quota"),
    ...purgeOptions(flags),
  };
}

/** `--wait-timeout` and `--poll-interval`; unset, `waitForTasks()`'s defaults (30 minutes, 10 s). */
type WaitSettings = Pick<WaitOptions, "maxWaitMs" | "pollIntervalMs">;

/** `--wait` and its settings; the settings without `--wait` are a mistake. */
function waitSettings(flags: Flags): WaitSettings | undefined {
  const maxWaitMs = flags.duration("wait-timeout");
  const pollIntervalMs = flags.duration("poll-interval");
  if (!flags.has("wait")) {
    const stray = ["wait-timeout", "poll-interval"].find((name) => flags.has(name));
    if (stray) throw new UsageError(`--${stray} applies only with --wait`);
    return undefined;
  }
  return { maxWaitMs, pollIntervalMs };
}

/**
 * Waits for the tasks with progress on standard error. Task statuses are API 3.0 reads: after
 * an API 2.0 run they go to the API 3.0 endpoint (the same account answers both), which for an
 * `--endpoint` ending in `/v2/index.php` is that server's root.
 */
async function waitWithProgress(
  tasks: PrewarmReport | readonly PrewarmTask[] | readonly string[],
  settings: WaitSettings,
  call: WaitOptions,
  io: RunIo,
): Promise<{ result: WaitResult; elapsedMs: number }> {
  const progress = new ProgressDisplay(io.stderr, io.stderrIsTTY, io.now);
  const started = io.now();
  const result = await waitForTasks(tasks, {
    ...call,
    ...settings,
    now: io.now,
    sleep: io.sleep,
    onProgress: (counts, elapsedMs) => progress.waiting(counts, elapsedMs),
  });
  progress.finish();
  return { result: io.shown(result), elapsedMs: io.now() - started };
}

/**
 * The exit status a wait (or one look) calls for: 1 when a URL failed, is invalid or unknown,
 * or polling stopped on an error; 3 when only a wait's timeout left URLs pending; else 0.
 */
function waitExitStatus(result: WaitResult, waited: boolean): number {
  const { counts } = result;
  if (result.error || counts.failed > 0 || counts.invalid > 0 || counts.unknown > 0) {
    return INCOMPLETE;
  }
  return waited && counts.pending > 0 ? TIMED_OUT : OK;
}

function readCredentials(io: RunIo): Credentials | undefined {
  try {
    return credentialsFromEnv(
      Object.fromEntries(CREDENTIAL_NAMES.map((name) => [name, io.env(name)])),
    );
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

const MISSING_CREDENTIALS =
  `${CREDENTIAL_ENV_VARS.secretId} and ${CREDENTIAL_ENV_VARS.secretKey} ` +
  `are not set (add ${CREDENTIAL_ENV_VARS.token[0]} for temporary keys)`;

/**
 * Decides where requests go, and says so loudly when it is not Tencent Cloud. The simulator is
 * loaded only then: a run against Tencent Cloud never loads it.
 */
async function chooseTarget(
  command: string,
  flags: Flags,
  io: RunIo,
  limits: { dailyLimit: number; requestsPerSecond: number },
): Promise<Target> {
  const simulate = async (): Promise<Target> => {
    const { simulatedAccount } = await import("./simulated.ts");
    const zoneId = flags.string("zone");
    const account = simulatedAccount(zoneId === undefined ? limits : { ...limits, zoneId });
    return { credentials: account.credentials, fetch: account.fetch, simulated: account };
  };
  if (flags.has("simulate")) {
    if (flags.has("endpoint")) {
      throw new UsageError(
        "--simulate and --endpoint cannot be combined: pick one place to send to",
      );
    }
    io.stderr(
      "SIMULATING (--simulate): requests go to a local simulator; nothing is sent to Tencent Cloud.\n",
    );
    return await simulate();
  }
  const credentials = readCredentials(io);
  if (credentials) return { credentials, fetch: io.fetch };
  if (command !== "prewarm" || flags.has("endpoint")) {
    throw new ConfigError(
      `Missing credentials: ${MISSING_CREDENTIALS}. Set them in the environment` +
        (command === "prewarm"
          ? " to send to --endpoint"
          : ", or pass --simulate to ask a fresh, empty simulator (it knows no earlier run's tasks)"),
    );
  }
  // In CI a missing secret must fail the job, not pass it with a simulated run.
  const ci = io.env("CI");
  if (ci && ci !== "false" && ci !== "0") {
    throw new ConfigError(
      `Missing credentials: ${MISSING_CREDENTIALS}, and CI is set, so this job would prewarm ` +
        "nothing. Add them as CI secrets, or pass --simulate to simulate on purpose",
    );
  }
  io.stderr(
    `SIMULATING: ${MISSING_CREDENTIALS}, so requests go to a local simulator and NOTHING IS SENT ` +
      "TO TENCENT CLOUD.\n  Set them to prewarm for real, or pass --simulate to simulate on purpose.\n",
  );
  return await simulate();
}

/**
 * The one exit-status rule of a run (the router's answers follow it too): success when every
 * URL was submitted, a duplicate counting as its first copy, and with `--remaining` a URL kept
 * there for later counting as handled; 1 otherwise.
 */
function runExitStatus(
  rejected: readonly RejectedUrl[],
  failed: number,
  deferred: ReadonlySet<string>,
): number {
  const harmless = rejected.every((r) => r.reason === "duplicate" || deferred.has(r.reason));
  return harmless && failed === 0 ? OK : INCOMPLETE;
}

const NO_URLS_GIVEN = "pass them as arguments, --file FILE, --file - for standard input, " +
  "--sitemap URL|FILE or --dir DIR --base URL";

/**
 * Whether the input may rightly hold no URL, for a run and a dry run alike: sources that
 * compute their URLs (a sitemap, a folder, what changed, what is left) may find none, and
 * that is nothing to do. Lists given by hand that hold none are a mistake.
 */
function mayYieldNone(inputs: InputSources, flags: Flags): boolean {
  return inputs.any || flags.has("remaining") || flags.has("changed-since") ||
    flags.has("changed-manifest");
}

/** The input named sources, but they held no URL: a usage mistake, like naming none. */
function noUrlsRead(): UsageError {
  return new UsageError(
    "No URLs in the input: it held only blank lines and # comments, or nothing at all; " +
      NO_URLS_GIVEN,
  );
}

async function prewarmCommand(parsed: ParsedArgs, flags: Flags, io: RunIo): Promise<number> {
  const options = prewarmOptions(flags);
  const inputs = new InputSources(flags, io.now());
  const json = flags.has("json");
  if (parsed.positionals.length === 0 && !flags.has("file") && !inputs.any) {
    throw new UsageError(`No URLs given: ${NO_URLS_GIVEN}`);
  }
  const files = await inputs.files(flags.all("file"));
  const ci = { report: flags.string("report"), env: io.env, mask: io.mask };
  const deferredReasons: ReadonlySet<string> = flags.has("remaining")
    ? DEFERRABLE_REASONS
    : new Set();
  if (flags.has("dry-run") && flags.has("simulate")) {
    throw new UsageError("--dry-run and --simulate cannot be combined: a dry run sends nothing");
  }
  const wait = waitSettings(flags);
  const probe = probeSettings(flags, "prewarm");
  if (flags.has("dry-run") && wait) {
    throw new UsageError("--dry-run and --wait cannot be combined: a dry run creates no tasks");
  }
  // The same checks prewarm() makes, before any input is read; the key pair signs nothing.
  const resolved = resolvePrewarmOptions({ ...options, credentials: UNUSED_CREDENTIALS });
  const signal = io.interrupt;
  /**
   * Opens the input, for a dry run and a run alike (a run opens it once it has chosen where it
   * sends): what changed, the files, and the listed URLs as they are read, with the lines that
   * are not URLs noted to be named later. The caller closes the sources.
   */
  const openInput = async () => {
    await inputs.prepare(signal);
    const sources = await openSources(parsed.positionals, files);
    const invalid = new InvalidLines();
    const listed = readUrls(sources, io.stdin, signal, {
      onUrl: (url, at) => invalid.note(url, at),
    });
    return { sources, invalid, listed };
  };
  if (flags.has("dry-run")) {
    const { sources, invalid, listed } = await openInput();
    const planned = await planDryRun(inputs.urls(listed, signal), resolved)
      .finally(() => closeSources(sources));
    const plan = { ...planned, rejected: invalid.place(planned.rejected) };
    if (signal?.aborted) {
      io.stderr("Interrupted while reading the input: no plan.\n");
      return interruptedStatus(io.interrupt);
    }
    if (plan.counts.input === 0 && !mayYieldNone(inputs, flags)) throw noUrlsRead();
    const notes = [
      ...(options.checkQuota
        ? ["--check-quota is not consulted: asking DescribePushQuota needs the network."]
        : []),
      ...(flags.has("purge-first")
        ? ["--purge-first: each batch would be purged first, and prefetched once purged."]
        : []),
    ];
    if (json) io.json(plan);
    else io.stdout(formatPlan(plan, resolved.api.title, notes, io.now()));
    (json ? io.stderr : io.stdout)(inputs.planNotes().join(""));
    await writeCiFiles(
      { result: { kind: "plan", plan }, simulated: false, now: io.now() },
      plan,
      ci,
    );
    return runExitStatus(plan.rejected, 0, deferredReasons);
  }

  const target = await chooseTarget("prewarm", flags, io, {
    dailyLimit: resolved.dailyLimit,
    requestsPerSecond: resolved.maxRequestsPerSecond,
  });
  const progress = new ProgressDisplay(io.stderr, io.stderrIsTTY, () => performance.now());
  const { sources, invalid, listed } = await openInput();
  const started = performance.now();
  let urls = inputs.urls(listed, signal, (n) => progress.inputRead(n));
  if (target.simulated) urls = target.simulated.noteHosts(urls);
  let report: PrewarmReport;
  const purgeFirst = flags.has("purge-first");
  try {
    const send = {
      ...options,
      credentials: target.credentials,
      fetch: target.fetch,
      now: io.now,
      signal,
      onProgress: (p: PrewarmProgress) => progress.update(p),
    };
    // Purging first is CDN's: purgeThenPrewarm() refuses any other API, naming it. Either
    // looks up the batches whose answer was lost before anything is shown or written, with
    // the API that reads the run's tasks (as the wait does: API 3.0 for API 2.0).
    report = purgeFirst
      ? await purgeThenPrewarm(urls, { ...send, api: send.api as CdnApi })
      : await runAndRecover(
        urls,
        resolvePrewarmOptions(send),
        taskReader(options.api, options.endpoint),
      );
  } catch (error) {
    progress.finish();
    // prewarm() stops before sending when the signal aborts while the input is read.
    if (!signal?.aborted) throw error;
    io.stderr("Interrupted while reading the input: nothing was sent.\n");
    if (json) io.json({ simulated: Boolean(target.simulated), aborted: true, sent: false });
    return interruptedStatus(io.interrupt);
  } finally {
    await closeSources(sources);
  }
  progress.finish();
  if (
    report.counts.input === 0 && !mayYieldNone(inputs, flags) && !report.aborted &&
    !signal?.aborted
  ) {
    throw noUrlsRead();
  }
  // What the run leaves for the next one; a file that cannot be written must not cost the
  // summary of what was sent.
  let outcome: SourcesOutcome | undefined;
  let leftBehind: Error | undefined;
  try {
    // A simulated run leaves them as they were: they record what reached Tencent Cloud.
    outcome = await inputs.finish(report, Boolean(target.simulated));
  } catch (error) {
    leftBehind = error as Error;
  }
  const notes = outcome?.notes.join("") ?? "";
  const context = {
    simulated: Boolean(target.simulated),
    now: io.now(),
    elapsedMs: performance.now() - started,
  };
  // What is shown has the upstream strings masked; the queue and the wait need them as they are.
  // Lines that are not URLs name their file and line (before masking, which may change a URL).
  const shown = io.shown({ ...report, rejected: invalid.place(report.rejected) });
  // People read the run's summary (its task ids) before the wait starts.
  (json ? io.stderr : io.stdout)(formatSummary(shown, { ...context, listTasks: !json }) + notes);
  if (outcome?.untouched) io.stderr(outcome.untouched);
  let waited: { result: WaitResult; elapsedMs: number } | undefined;
  if (wait && !signal?.aborted && !report.aborted) {
    const { timeoutMs, retries, maxRequestsPerSecond } = options;
    waited = await waitWithProgress(report, wait, {
      ...taskReader(options.api, options.endpoint),
      credentials: target.credentials,
      fetch: target.fetch,
      signal,
      timeoutMs,
      retries,
      maxRequestsPerSecond,
    }, io);
    (json ? io.stderr : io.stdout)(
      formatWaitSummary(waited.result, {
        elapsedMs: waited.elapsedMs,
        waited: true,
        words: cliWords(io.now(), report.zoneId),
      }),
    );
  }
  const verified = waited &&
    await verifyAfterWait(waited.result, probe, probeFetch(target, io), io, {
      json,
      middleLayer: flags.string("layer") === "middle",
    });
  const jsonReport = {
    simulated: context.simulated,
    ...shown,
    ...(waited && { wait: waited.result }),
    ...(verified && { verify: verified }),
  };
  if (json) io.json(jsonReport);
  try {
    await writeCiFiles(
      {
        result: { kind: "report", report: shown },
        ...(verified && { verify: verified }),
        simulated: context.simulated,
        sources: outcome,
        now: context.now,
      },
      jsonReport,
      ci,
    );
  } catch (error) {
    leftBehind ??= error as Error;
  }
  if (leftBehind) io.stderr(`error: ${sentence(leftBehind.message)}\n`);
  if (signal?.aborted || report.aborted || waited?.result.aborted || verified?.aborted) {
    return interruptedStatus(io.interrupt);
  }
  if (leftBehind) return INCOMPLETE;
  const sent = runExitStatus(report.rejected, report.counts.failed, deferredReasons);
  return withVerify(sent !== OK || !waited ? sent : waitExitStatus(waited.result, true), verified);
}

/** `--since`: how far back `status --url` looks, as given (for messages) and in ms. */
function statusSince(flags: Flags): { since: string; ms: number } {
  const since = flags.string("since") ?? "24h";
  const ms = parseDuration(since);
  if (ms === undefined) {
    throw new UsageError(`--since takes a duration such as 30m, 6h or 2d, got "${since}"`);
  }
  return { since, ms };
}

async function statusCommand(parsed: ParsedArgs, flags: Flags, io: RunIo): Promise<number> {
  const url = flags.string("url");
  const ids = parsed.positionals;
  const [taskId] = ids;
  if (url !== undefined && ids.length > 0) {
    throw new UsageError("status takes TASK_IDs or --url, not both");
  }
  if (url === undefined && (taskId === undefined || ids.some((id) => id.trim() === ""))) {
    throw new UsageError("status needs a TASK_ID, or --url URL to search recent pushes");
  }
  const wait = waitSettings(flags);
  if (url !== undefined && wait) {
    throw new UsageError("--wait waits for TASK_IDs, not for --url");
  }
  const probe = probeSettings(flags, "status");
  if (url === undefined && (wait || ids.length > 1)) {
    return await tasksStatus(ids, wait, probe, flags, io);
  }
  const { call } = await taskReadTarget(flags, io);
  const { api } = call;
  const context = resolveCallOptions(call, api.endpoint);
  if (url === undefined) {
    const lines = io.shown(await api.readTask!(context, taskId!.trim()));
    if (flags.has("json")) io.json({ taskId, lines });
    else {
      io.stdout(formatTaskStatus(
        `Task ${taskId}`,
        lines,
        "no URLs found (an unknown task id, one of another account or endpoint, or one too old " +
          "to be listed).",
      ));
    }
    return lines.length === 0 || lines.some(notDone) ? INCOMPLETE : OK;
  }
  // A batch reported "maybe submitted" has no task id: find its URL among recent pushes. The
  // search takes a domain or a whole URL only, so the host's pushes (or every push, for a part
  // of a URL) in the window are listed and the URL matched here, as a substring.
  const { since, ms } = statusSince(flags);
  const now = io.now();
  const host = hostOf(url);
  const wanted = listedAs(url);
  const listed = await api.findTasks!(context, {
    ...(host !== undefined && { host }),
    from: now - ms,
    to: now,
  });
  const lines = io.shown(listed.filter((line) => listedAs(line.url).includes(wanted)));
  if (flags.has("json")) io.json({ url, since, lines });
  else {
    io.stdout(formatTaskStatus(
      `URLs containing ${url}, pushed in the last ${since}`,
      lines,
      `none of the ${plural(listed.length, "URL")} pushed ${
        host === undefined ? "" : `for ${host} `
      }in the last ${since} contains it; a longer --since looks further back.`,
    ));
  }
  return lines.length === 0 || lines.some(notDone) ? INCOMPLETE : OK;
}

/** Whether a task line says its URL will not be prefetched. */
function notDone(line: TaskLine): boolean {
  return line.status === "failed" || line.status === "invalid";
}

/** The hostname of a whole URL; `undefined` for a part of one. */
function hostOf(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Where a command that only reads (`status`, `quota`) sends, and the options of its calls: the
 * flags' `--endpoint`, `--timeout` and `--retries`, the target's keys and fetch, the run's clock
 * (which signs, as a run's does) and the interrupt. A simulated target is an account of the
 * default quota.
 */
async function readTarget(
  command: "status" | "quota",
  flags: Flags,
  io: RunIo,
): Promise<{ target: Target; call: CallOptions }> {
  const target = await chooseTarget(command, flags, io, {
    dailyLimit: 1000,
    requestsPerSecond: 10,
  });
  return {
    target,
    call: {
      ...callOptions(flags),
      credentials: target.credentials,
      fetch: target.fetch,
      now: io.now,
      signal: io.interrupt,
    },
  };
}

/**
 * Where `status` reads tasks: {@linkcode readTarget}'s, with the API that reads them for the
 * flags and where (`taskReader`: API 3.0 for an API 2.0 run).
 */
async function taskReadTarget(
  flags: Flags,
  io: RunIo,
): Promise<{ target: Target; call: WaitOptions & { api: TencentApi } }> {
  const { target, call } = await readTarget("status", flags, io);
  return { target, call: { ...call, ...taskReader(apiFromFlags(flags), call.endpoint) } };
}

/** `status TASK_ID...` with `--wait`, or with several ids: every URL of the tasks, by status. */
async function tasksStatus(
  ids: readonly string[],
  wait: WaitSettings | undefined,
  probe: ProbeSettings | undefined,
  flags: Flags,
  io: RunIo,
): Promise<number> {
  const { target, call } = await taskReadTarget(flags, io);
  const started = io.now();
  const { result, elapsedMs } = wait
    ? await waitWithProgress(ids, wait, call, io)
    : { result: io.shown(await pollTasks(ids, call)), elapsedMs: io.now() - started };
  const summary = formatWaitSummary(result, {
    elapsedMs,
    waited: wait !== undefined,
    words: cliWords(io.now(), flags.string("zone")),
  });
  const json = flags.has("json");
  (json ? io.stderr : io.stdout)(summary);
  const verified = await verifyAfterWait(result, probe, probeFetch(target, io), io, {
    json,
    middleLayer: false,
  });
  if (json) io.json(verified ? { ...result, verify: verified } : result);
  if (result.aborted || verified?.aborted) return interruptedStatus(io.interrupt);
  return withVerify(waitExitStatus(result, wait !== undefined), verified);
}

async function quotaCommand(parsed: ParsedArgs, flags: Flags, io: RunIo): Promise<number> {
  if (parsed.positionals.length > 0) {
    throw new UsageError(`quota takes no arguments, got "${parsed.positionals.join(" ")}"`);
  }
  const api = apiFromFlags(flags);
  if (!api.readQuota) {
    throw new UsageError(`quota: ${api.title} has no quota to read (drop --api ${api.name})`);
  }
  const { call } = await readTarget("quota", flags, io);
  const context = resolveCallOptions(call, api.endpoint);
  const { readings, answer } = io.shown(await api.readQuota(context));
  if (flags.has("json")) io.json(answer);
  else io.stdout(formatQuota(readings, io.now()));
  return OK;
}

function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === "-h" || a === "--help");
}

/** The message with a full stop, unless it already ends a sentence. */
function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/** Reports an error the run ends with, and returns the exit status it calls for. */
function reportError(error: unknown, io: RunIo, json: boolean): number {
  const interrupted = io.interrupt?.aborted === true;
  let code: number;
  let kind: string;
  let message: string;
  if (interrupted) {
    [code, kind, message] = [
      interruptedStatus(io.interrupt),
      "Interrupted",
      "Interrupted before an answer came back.",
    ];
  } else if (error instanceof UsageError) {
    [code, kind, message] = [
      USAGE_ERROR,
      "Usage",
      `${sentence(error.message)} Run with --help for usage.`,
    ];
  } else if (
    error instanceof ConfigError || error instanceof InputError || error instanceof TypeError ||
    error instanceof RangeError
  ) {
    // prewarm() and the describe calls throw TypeError and RangeError for caller mistakes only.
    [code, kind, message] = [USAGE_ERROR, "Configuration", sentence(error.message)];
  } else if (error instanceof TencentCloudError) {
    // What went wrong, with the advice in the command line's words.
    [code, kind, message] = [
      INCOMPLETE,
      error.code,
      errorText(error, cliWords(io.now()), KNOWN_ERROR_ROWS),
    ];
  } else {
    const detail = error instanceof Error ? error.stack ?? error.message : String(error);
    [code, kind, message] = [INCOMPLETE, "Unexpected", `Unexpected failure: ${detail}`];
  }
  io.stderr(`error: ${message}\n`);
  if (json) {
    const detail = error instanceof TencentCloudError ? error.toJSON() : { code: kind, message };
    io.json({ error: detail });
  }
  return code;
}

/**
 * Runs the command line with `args` (without the program name) and returns the exit status:
 * 0 every URL submitted (a duplicate counts) and, with `--wait`, done; 1 some not sent or
 * failed (or failed, invalid or unknown once waited for); 2 a usage or configuration mistake
 * (no URLs at all is one); 3 `--wait` timed out with URLs pending; 4 `verify` (or `--verify`)
 * found URLs that are not hits; 130 interrupted (143 and 129
 * when `io.interrupt`'s reason names `SIGTERM` or `SIGHUP`). Never exits the process and never
 * throws.
 *
 * @param args The arguments, e.g. `["--dry-run", "https://www.example.com/app.js"]`.
 * @param io Parts of the process to replace (output, input, environment, interrupt signal,
 * fetch, clock, the pause between polls); the rest is the real process, through `node:process`.
 */
export async function main(args: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const run = maskedIo(
    { ...processIo(), now: Date.now, ...io } as Omit<RunIo, "mask" | "shown" | "json">,
  );
  if (wantsHelp(args)) {
    run.stdout(USAGE);
    return OK;
  }
  const json = args.includes("--json");
  const onInterrupt = () => {
    const signal = stopSignalOf(run.interrupt);
    // Requests in flight are given up at once (their fetch is aborted): they may have arrived.
    run.stderr(
      `\nInterrupted${signal ? ` (${signal})` : ""}: sending nothing new; requests in flight ` +
        `are given up and reported as maybe submitted (${
          signal === undefined || signal === "SIGINT" ? "Ctrl-C" : signal
        } again quits at once, writing nothing).\n`,
    );
  };
  run.interrupt?.addEventListener("abort", onInterrupt, { once: true });
  try {
    const parsed = splitArgs(args, FLAGS, COMMANDS, "prewarm", SECRETS_GO_IN_ENV);
    const flags = new Flags(parsed.flags);
    switch (parsed.command) {
      case "status":
        return await statusCommand(parsed, flags, run);
      case "quota":
        return await quotaCommand(parsed, flags, run);
      case "verify":
        return await verifyCommand(parsed, flags, run);
      default:
        return await prewarmCommand(parsed, flags, run);
    }
  } catch (error) {
    return reportError(error, run, json);
  } finally {
    run.interrupt?.removeEventListener("abort", onInterrupt);
  }
}

/** True when this file is the program being run, not a module imported by one. */
function isProgram(): boolean {
  // Deno and Bun say so directly; Node 20 does not, so compare the script path.
  const meta = import.meta as ImportMeta & { main?: boolean };
  if (typeof meta.main === "boolean") return meta.main;
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * Runs the command line as the program itself does (`deno task start` runs it so too): stop
 * signals handled, the exit status set on the process, which exits when an interrupt left
 * standard input being read.
 *
 * @param args The arguments, without the program name.
 */
export async function runProgram(args: readonly string[]): Promise<void> {
  // Ctrl-C, SIGTERM (timeout, docker stop, Kubernetes, systemd) and SIGHUP stop the run alike:
  // nothing new is sent, and --remaining keeps what was not.
  const interrupt = new AbortController();
  const stopListening = onStopSignals(stopper(interrupt, (code) => process.exit(code)));
  const code = await main(args, { interrupt: interrupt.signal });
  process.exitCode = code;
  stopListening();
  if (interrupt.signal.aborted && stdinWasRead()) {
    // An interrupt can leave a read of standard input pending, which nothing cancels on every
    // runtime (Deno waits for the next line): exit once the output is out.
    process.stdout.write("", () => process.exit(code));
  }
}

if (isProgram()) await runProgram(process.argv.slice(2));
