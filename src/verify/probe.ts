/**
 * `verifyWarm()`: asks the CDN, from where the caller stands, whether it serves each URL from
 * its cache, one small request a URL, a few at a time, never downloading a body and never
 * following a redirect; every URL comes back exactly once with what the answer's cache headers
 * say ({@linkcode classifyCacheHeaders}), or why there was no answer.
 * @module
 */
import type { UrlStatus } from "../api.ts";
import { fail, integer, MAX_TIMER_MS, oneOf, optionalFunction } from "../rules/option_checks.ts";
import type { PrewarmReport } from "../rules/report.ts";
import { checkUrl } from "../rules/urls.ts";
import type { FetchLike } from "../transport/send.ts";
import type { WaitResult } from "../engine/wait.ts";
import { CACHE_HEADERS, type CacheHeaderName, classifyCacheHeaders } from "./classify.ts";

/**
 * Where a URL stands at the edge that answered:
 * - `hit`: served from the edge's cache;
 * - `miss`: not served from the cache (the edge pulled it from the origin, or says not a hit);
 * - `bypass`: the CDN says it does not cache this answer;
 * - `unknown`: the answer carries no cache header the module knows (the host may not be on the
 *   CDN from here), or only values nothing is known of;
 * - `error`: no answer to read (see `error`): not a checkable URL, refused, timed out,
 *   unreachable, aborted, a redirect, or an HTTP error status.
 */
export type WarmState = "hit" | "miss" | "bypass" | "unknown" | "error";

/** Every {@linkcode WarmState}, in the order summaries show them. */
export const WARM_STATES: readonly WarmState[] = ["hit", "miss", "bypass", "unknown", "error"];

/**
 * Why a URL has no state to read, as a stable code:
 * - `invalid-url`: it failed the module's URL checks (`checkUrl`), so it was never sent;
 * - `refused`: the `refuse` option turned it away (the router's `allowedHosts`);
 * - `timeout`: no answer within `timeoutMs`;
 * - `network`: the request failed (DNS, connection, TLS);
 * - `aborted`: the signal aborted before it was answered;
 * - `redirect`: the answer is a redirect (3xx), which is reported, not followed;
 * - `http-status`: the answer is an HTTP error (4xx, 5xx; 416 aside, see `verifyWarm`).
 */
export type ProbeErrorCode =
  | "invalid-url"
  | "refused"
  | "timeout"
  | "network"
  | "aborted"
  | "redirect"
  | "http-status";

/** Why a URL has no state to read. */
export interface ProbeError {
  /** The reason, as a stable code callers switch on. */
  code: ProbeErrorCode;
  /** The reason, in a sentence. */
  message: string;
}

/** The headers of an answer the result keeps, as the answer carried them. */
export type SeenHeaderName = CacheHeaderName | "age" | "cache-control" | "location";

const KEPT_HEADERS: readonly SeenHeaderName[] = [
  ...CACHE_HEADERS,
  "age",
  "cache-control",
  "location",
];

/** One URL and what the edge said of it. */
export interface WarmResult {
  /** The URL, as given. */
  url: string;
  /** Where it stands at the edge that answered. */
  state: WarmState;
  /** The task it was prefetched in, when the input was a report or a wait result. */
  taskId?: string;
  /** The answer's HTTP status; absent when no answer came. */
  status?: number;
  /** The cache headers (and `Age`, `Cache-Control`, `Location`) as the answer carried them,
   * by lower-case name; only those present. */
  headers: Partial<Record<SeenHeaderName, string>>;
  /** `Age`, in seconds, when the answer carried a valid one: how long the edge has held it. */
  age?: number;
  /** The value that decided the state (`X-Cache-Lookup: Cache Hit`), when one did. */
  decidedBy?: string;
  /** Why there is no state to read (`state` is `error`). */
  error?: ProbeError;
}

/** A URL of a wait result that was not probed: it did not end `done`. */
export interface SkippedUrl {
  /** The URL. */
  url: string;
  /** Its task. */
  taskId: string;
  /** How it ended. */
  status: UrlStatus;
}

/** What {@linkcode verifyWarm} found. */
export interface VerifyResult {
  /** Every URL given (once each, first appearance first), with its state. */
  urls: WarmResult[];
  /** URLs per state (every state present, 0 when none). */
  counts: Record<WarmState, number>;
  /** The URLs of a wait result left out because they did not end `done`. */
  skipped: SkippedUrl[];
  /** The probe sent: `GET` with `Range: bytes=0-0`, or `HEAD`. */
  method: ProbeMethod;
  /** True when the signal aborted; URLs not answered by then are `error`, code `aborted`. */
  aborted: boolean;
}

/** How a URL is asked: a one-byte ranged `GET` (the default) or `HEAD`. */
export type ProbeMethod = "GET" | "HEAD";

/** Progress after each URL is settled. */
export interface VerifyProgress {
  /** URLs settled so far. */
  done: number;
  /** URLs in all. */
  total: number;
  /** The running counts. */
  counts: Record<WarmState, number>;
}

/** Options of {@linkcode verifyWarm}. */
export interface VerifyOptions {
  /**
   * The request sent: `"GET"` with `Range: bytes=0-0` (one byte at most, and a request both
   * vendors document how they cache), or `"HEAD"` (no body at all, but neither vendor documents
   * how it caches or reports one). docs/verify.md says why the default is what it is.
   * @default {"GET"}
   */
  method?: ProbeMethod;
  /** Probes in flight at once, 1 to 64. @default {4} */
  concurrency?: number;
  /** The longest one probe may take, in ms, before it is given up as `timeout`. @default {10000} */
  timeoutMs?: number;
  /** Aborts the probes: those not answered come back `error`, code `aborted`. */
  signal?: AbortSignal;
  /** Called after each URL is settled. Errors it throws are ignored. */
  onProgress?: (progress: VerifyProgress) => void;
  /** The fetch probes are sent with (a simulated edge's, in tests). @default {globalThis.fetch} */
  fetch?: FetchLike;
  /**
   * Decides which URLs (that passed the checks) may be probed: return a sentence saying why
   * not to refuse one; it comes back `error`, code `refused`, and is never sent. The router
   * refuses hosts outside its `allowedHosts` with it. @default {every URL is probed}
   */
  refuse?: (url: URL) => string | undefined;
}

const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 64;
const DEFAULT_TIMEOUT_MS = 10_000;

/** One URL to probe, and the task it came from. */
interface Target {
  url: string;
  taskId?: string;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 100));
  if (Array.isArray(value)) return "an array";
  return value === null ? "null" : typeof value === "object" ? "an object" : String(value);
}

/** The URLs of the input, once each, and those of a wait result that did not end `done`. */
function targetsOf(
  input: unknown,
): { targets: Target[]; skipped: SkippedUrl[] } {
  const targets: Target[] = [];
  const skipped: SkippedUrl[] = [];
  const seen = new Set<string>();
  const add = (url: unknown, where: string, taskId?: string) => {
    if (typeof url !== "string") {
      throw new TypeError(`Invalid input${where}: expected a URL string, got ${describe(url)}`);
    }
    if (seen.has(url)) return;
    seen.add(url);
    targets.push(taskId === undefined ? { url } : { url, taskId });
  };
  if (Array.isArray(input)) {
    input.forEach((url, i) => add(url, `[${i}]`));
    return { targets, skipped };
  }
  const object = typeof input === "object" && input !== null
    ? input as Record<string, unknown>
    : undefined;
  if (object && Array.isArray(object.tasks)) {
    (object.tasks as PrewarmReport["tasks"]).forEach((task, i) => {
      if (typeof task !== "object" || task === null || !Array.isArray(task.urls)) {
        throw new TypeError(
          `Invalid input.tasks[${i}]: expected a task with urls, got ${describe(task)}`,
        );
      }
      task.urls.forEach((url, j) => add(url, `.tasks[${i}].urls[${j}]`, task.taskId));
    });
    return { targets, skipped };
  }
  if (object && Array.isArray(object.urls) && typeof object.counts === "object") {
    (object.urls as WaitResult["urls"]).forEach((result, i) => {
      if (typeof result !== "object" || result === null) {
        throw new TypeError(
          `Invalid input.urls[${i}]: expected a URL result, got ${describe(result)}`,
        );
      }
      // A task given by id whose URLs Tencent did not list has no URL to probe.
      if (result.url === "") return;
      if (result.status === "done") add(result.url, `.urls[${i}].url`, result.taskId);
      else skipped.push({ url: result.url, taskId: result.taskId, status: result.status });
    });
    return { targets, skipped };
  }
  throw new TypeError(
    `Invalid input: expected an array of URLs, a PrewarmReport or a WaitResult, got ${
      describe(input)
    }`,
  );
}

function countStates(results: readonly WarmResult[]): Record<WarmState, number> {
  const counts = Object.fromEntries(WARM_STATES.map((s) => [s, 0])) as Record<WarmState, number>;
  for (const { state } of results) counts[state]++;
  return counts;
}

function failed(target: Target, code: ProbeErrorCode, message: string): WarmResult {
  return { ...target, state: "error", headers: {}, error: { code, message } };
}

/** The answer's kept headers, its `Age` and its state. */
function readAnswer(target: Target, response: Response, method: ProbeMethod): WarmResult {
  const headers: WarmResult["headers"] = {};
  for (const name of KEPT_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value.slice(0, 1000);
  }
  const result: WarmResult = { ...target, state: "unknown", status: response.status, headers };
  const age = headers.age?.trim();
  if (age !== undefined && /^\d{1,12}$/.test(age)) result.age = Number(age);
  const reading = classifyCacheHeaders((name) => response.headers.get(name));
  if (reading.decidedBy !== undefined) result.decidedBy = reading.decidedBy;
  const { status } = response;
  // A browser hides a redirect behind an opaque answer with status 0.
  if (
    response.type === "opaqueredirect" || status === 0 ||
    (status >= 300 && status < 400 && status !== 304)
  ) {
    const where = headers.location === undefined ? "" : ` to ${headers.location}`;
    return {
      ...result,
      state: "error",
      error: {
        code: "redirect",
        message:
          `The answer is a redirect (${status || "3xx"})${where}; redirects are not followed: ` +
          "verify (and prewarm) the URL it names",
      },
    };
  }
  // 416: a one-byte range of an empty file; the edge still answered, with its cache headers.
  if (status >= 400 && !(status === 416 && method === "GET")) {
    const text = response.statusText ? ` ${response.statusText}` : "";
    return {
      ...result,
      state: "error",
      error: { code: "http-status", message: `The edge answered HTTP ${status}${text}` },
    };
  }
  return reading.verdict === undefined ? result : { ...result, state: reading.verdict };
}

/** Sends one probe; never throws. */
async function probe(
  target: Target,
  context: { fetch: FetchLike; method: ProbeMethod; timeoutMs: number; signal?: AbortSignal },
): Promise<WarmResult> {
  const { signal, timeoutMs, method } = context;
  if (signal?.aborted) return failed(target, "aborted", "Aborted before it was sent");
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const send = context.fetch;
    const response = await send(target.url, {
      method,
      headers: method === "GET" ? { range: "bytes=0-0" } : {},
      redirect: "manual",
      signal: controller.signal,
    });
    // The headers are all a probe wants: the body is never read.
    response.body?.cancel().catch(() => {});
    return readAnswer(target, response, method);
  } catch (error) {
    if (timedOut) return failed(target, "timeout", `No answer within ${timeoutMs} ms`);
    if (signal?.aborted) return failed(target, "aborted", "Aborted before it was answered");
    const what = error instanceof Error ? error.message : String(error);
    return failed(target, "network", `The request failed: ${what.slice(0, 300)}`);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/** The URL checks a target passes before it is sent, or the result that stops it. */
function screen(target: Target, refuse: VerifyOptions["refuse"]): WarmResult | undefined {
  const checked = checkUrl(target.url);
  if ("reason" in checked) return failed(target, "invalid-url", checked.detail);
  const why = refuse?.(new URL(target.url));
  if (why !== undefined) return failed(target, "refused", why);
  return undefined;
}

/**
 * Asks the CDN whether it serves each URL from its cache, from where this code runs: one
 * request per URL, at most `concurrency` at a time, each a `GET` for one byte
 * (`Range: bytes=0-0`) or a `HEAD`. No body is read (each answer's body is cancelled unread),
 * and redirects are not followed (`redirect: "manual"`): a 3xx comes back `error`, code
 * `redirect`, with its `Location`. The state comes from the answer's `X-Cache-Lookup` (Tencent
 * CDN) and `EO-Cache-Status` (EdgeOne) headers; a `416` to the one-byte range (an empty file)
 * is read like any answer. A hit says that the edge node that answered holds the file: other
 * nodes and regions may still be cold (docs/verify.md).
 *
 * Every URL comes back exactly once (repeats of a URL once), in the order given. URLs that
 * fail the module's URL checks are not sent and come back `error`, code `invalid-url`. Once
 * the options are checked it never throws.
 *
 * @param input URLs; a `PrewarmReport` (its tasks' URLs); or a `WaitResult` (the URLs that
 * ended `done`; the others are listed in `skipped`).
 * @throws {TypeError} for malformed input or options. @throws {RangeError} for a number out
 * of range.
 *
 * @example
 * ```ts
 * import { prewarm, waitForTasks } from "@qcdn/prewarm";
 * import { verifyWarm } from "@qcdn/prewarm/verify";
 *
 * const report = await prewarm(["https://www.example.com/app.js"]);
 * const done = await waitForTasks(report);
 * const warm = await verifyWarm(done);
 * for (const u of warm.urls) console.log(u.state, u.url, u.decidedBy ?? u.error?.message ?? "");
 * ```
 */
export async function verifyWarm(
  input: readonly string[] | PrewarmReport | WaitResult,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Invalid options: expected an object, got ${describe(options)}`);
  }
  const method = oneOf<ProbeMethod>("method", options.method, ["GET", "HEAD"], "GET");
  const concurrency = integer(
    "concurrency",
    options.concurrency,
    DEFAULT_CONCURRENCY,
    1,
    MAX_CONCURRENCY,
  );
  const timeoutMs = integer("timeoutMs", options.timeoutMs, DEFAULT_TIMEOUT_MS, 1, MAX_TIMER_MS);
  const onProgress = optionalFunction<VerifyOptions["onProgress"]>(
    "onProgress",
    options.onProgress,
  );
  const refuse = optionalFunction<VerifyOptions["refuse"]>("refuse", options.refuse);
  // Called as a plain function: workerd's own fetch refuses any other `this`.
  const fetch = optionalFunction<FetchLike>("fetch", options.fetch) ??
    ((url: string, init: RequestInit) => globalThis.fetch(url, init));
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    fail("signal", "an AbortSignal", signal);
  }
  const { targets, skipped } = targetsOf(input);

  const results: (WarmResult | undefined)[] = targets.map((t) => screen(t, refuse));
  const queue = results.flatMap((result, index) => result ? [] : [index]);
  const total = targets.length;
  let done = total - queue.length;
  // One running tally (screened URLs first, then each probe as it settles), so a long list
  // costs one count per URL, not a recount of every result per URL.
  const counts = countStates(results.filter((r): r is WarmResult => r !== undefined));
  const report = () => {
    if (!onProgress) return;
    try {
      onProgress({ done, total, counts: { ...counts } });
    } catch { /* Progress is advice; the probes go on. */ }
  };
  const context = { fetch, method, timeoutMs, signal };
  const worker = async () => {
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
      const result = await probe(targets[index]!, context);
      results[index] = result;
      counts[result.state]++;
      done++;
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return {
    urls: results as WarmResult[],
    counts,
    skipped,
    method,
    aborted: signal?.aborted === true,
  };
}
