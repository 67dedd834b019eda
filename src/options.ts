/**
 * The options of `prewarm()`, their defaults, and the checks that run before anything is sent.
 * @module
 */
import type { TencentApi } from "./api.ts";
import { cdn } from "./apis/cdn.ts";
import { accountName, type Coordinator, defaultCoordinator } from "./coordinator.ts";
import {
  checkCredentials,
  type Credentials,
  credentialsFromEnv,
  ENDPOINT_ENV_VAR,
  endpointFromEnv,
} from "./credentials.ts";
import { fail, integer, MAX_TIMER_MS, optionalFunction, positive } from "./option_checks.ts";
import type { PrewarmProgress } from "./report.ts";
import { V3_ENDPOINT } from "./request_v3.ts";
import { type CallContext, type FetchLike, parseEndpoint } from "./send.ts";

export { fail, integer, MAX_TIMER_MS, optionalFunction } from "./option_checks.ts";

/** The default request rate: Tencent's 20 requests/s per action, less a margin for jitter. */
export const DEFAULT_REQUESTS_PER_SECOND = 18;

/** Options shared by every call: who signs, where requests go, how they are sent. */
export interface CallOptions {
  /**
   * The key pair that signs requests. On runtimes with an environment (Deno, Node, Bun) it
   * defaults to `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and
   * `TENCENTCLOUD_SESSION_TOKEN`; on Workers pass `credentialsFromEnv(env)`.
   * @default {credentialsFromEnv()}
   */
  credentials?: Credentials;
  /**
   * The endpoint. Override it for the simulator, a proxy or the international site
   * (`https://cdn.intl.tencentcloudapi.com/`). For CDN API 3.0 calls on Deno, Node and Bun,
   * `TENCENTCLOUD_ENDPOINT` overrides the default when set (on Workers pass
   * `endpointFromEnv(env)`); API 2.0 and EdgeOne calls do not read it.
   * @default {"https://cdn.tencentcloudapi.com/"} for API 3.0 (or `TENCENTCLOUD_ENDPOINT`), `"https://cdn.api.qcloud.com/v2/index.php"` for API 2.0
   */
  endpoint?: string | URL;
  /** Milliseconds one attempt may take, answer included; `Infinity` for no limit. @default {15000} */
  timeoutMs?: number;
  /** Retries of an attempt that certainly spent no quota (rate limits, refusals, 429/503). @default {3} */
  retries?: number;
  /** The first backoff window in ms; each retry doubles it (full jitter). @default {1000} */
  retryDelayMs?: number;
  /** The largest backoff window in ms. @default {30000} */
  maxRetryDelayMs?: number;
  /** Aborts the work: checked before every attempt and during every backoff. */
  signal?: AbortSignal;
  /** The fetch to send with: a simulator's, a proxy's, or an instrumented one. @default {globalThis.fetch} */
  fetch?: FetchLike;
  /** The clock in ms: signs timestamps and picks the quota day. @default {Date.now} */
  now?: () => number;
  /**
   * Shares the account's request rate and daily budget between every call that uses it. Pass
   * one to share them across isolates or machines (`./cloudflare`, `./deno-kv`) or to keep a
   * test apart. @default {a coordinator per process or isolate, shared by every call}
   */
  coordinator?: Coordinator;
  /**
   * Most request starts per second for this account and action, shared by every call through
   * the coordinator; it also slows down by itself when Tencent answers with a rate limit.
   * `Infinity` leaves only that adaptation. @default {18}
   */
  maxRequestsPerSecond?: number;
  /** The most time one request spends waiting out rate-limit answers before it fails
   * (rate-limited attempts spent nothing and do not count against `retries`). @default {60000} */
  rateLimitWaitMs?: number;
}

/** Options of `prewarm()`: the API to prefetch through, and how the run is sent and paced. */
export interface PrewarmOptions extends CallOptions {
  /**
   * The API the URLs are submitted to, with its own options: `cdn({ area, … })` (CDN API 3.0
   * `PushUrlsCache`), `cdnV2({ method, signatureMethod })` from `@qcdn/prewarm/v2`,
   * `edgeOne({ zoneId })` from `@qcdn/prewarm/edgeone`, or any {@linkcode TencentApi}.
   * @default {cdn()} (API 3.0, area overseas)
   */
  api?: TencentApi;
  /** URLs per request, at most the API's limit (`cdnV2()`: 20). @default {the API's: 500 for cdn(), 20 for cdnV2()} */
  batchSize?: number;
  /** URLs this account may submit per Beijing-time day and quota (area, zone); `Infinity`
   * turns the local budget off. @default {the API's: 1000 for cdn()} */
  dailyLimit?: number;
  /**
   * How long a batch waits for budget that other requests in flight hold (it may come free
   * if they fail) before its URLs are rejected as `busy`. @default {30000}
   */
  budgetWaitMs?: number;
  /** Ask the API's quota first (`DescribePushQuota`) and send no more than what is left
   * today. @default {false} */
  checkQuota?: boolean;
  /** Requests in flight at once. @default {4} */
  concurrency?: number;
  /**
   * Also retry attempts that may have been processed (timeouts, dropped connections, server
   * failures). Each such retry can spend the quota twice. @default {false}
   */
  retryAmbiguous?: boolean;
  /** Called after each batch settles, with running counts. Errors it throws are ignored. */
  onProgress?: (progress: PrewarmProgress) => void;
}

/** Call options with every default applied and every value checked: a send context. */
export type ResolvedCallOptions = CallContext;

/** `prewarm()` options with every default applied and every value checked. */
export interface ResolvedPrewarmOptions extends ResolvedCallOptions {
  /** The API. */
  api: TencentApi;
  /** URLs per request. */
  batchSize: number;
  /** Local daily budget. */
  dailyLimit: number;
  /** The option that set `dailyLimit`, as rejections name it (a flow's step has its own). */
  dailyLimitOption: string;
  /** How long to wait for held budget. */
  budgetWaitMs: number;
  /** Whether to read the quota first. */
  checkQuota: boolean;
  /** Requests in flight at once. */
  concurrency: number;
  /** Whether ambiguous attempts are retried. */
  retryAmbiguous: boolean;
  /** Progress callback. */
  onProgress?: (progress: PrewarmProgress) => void;
}

/**
 * The endpoint a call goes to: `given`, else for CDN API 3.0 calls (whose default is
 * {@linkcode V3_ENDPOINT}) `TENCENTCLOUD_ENDPOINT` when the runtime has it, else the default.
 * API 2.0 and EdgeOne keep their own defaults: one variable cannot name the endpoints of three
 * APIs, and a CDN stand-in's root is not EdgeOne's or API 2.0's. The one rule, for every call
 * and for the router's reading of its account's budget.
 */
export function resolveEndpoint(given: string | URL | undefined, defaultEndpoint: string): URL {
  const chosen = given ?? (defaultEndpoint === V3_ENDPOINT ? endpointFromEnv() : undefined);
  // Only a chosen endpoint can be malformed: the error names where it came from.
  return parseEndpoint(
    chosen ?? defaultEndpoint,
    given !== undefined ? "options.endpoint" : ENDPOINT_ENV_VAR,
  );
}

/** Checks the options every call shares and applies their defaults. */
export function resolveCallOptions(
  options: CallOptions = {},
  defaultEndpoint: string,
): ResolvedCallOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `Invalid options: expected an object, got ${String(options)}`,
    );
  }
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    fail("signal", "an AbortSignal", typeof signal);
  }
  const fetchFn = optionalFunction<FetchLike>("fetch", options.fetch) ??
    ((input, init) => fetch(input, init));
  const coordinator = options.coordinator ?? defaultCoordinator;
  if (
    typeof coordinator !== "object" || coordinator === null ||
    !(["schedule", "observe", "hold", "settle", "exhaust", "usage"] as const)
      .every((m) => typeof coordinator[m] === "function")
  ) {
    fail(
      "coordinator",
      "an object with schedule(), observe(), hold(), settle(), exhaust() and usage()",
      typeof coordinator,
    );
  }
  const credentials = checkCredentials(
    "credentials" in options ? options.credentials : credentialsFromEnv(),
  );
  const endpoint = resolveEndpoint(options.endpoint, defaultEndpoint);
  const resolved: ResolvedCallOptions = {
    credentials,
    endpoint,
    timeoutMs: positive("timeoutMs", options.timeoutMs, 15_000, MAX_TIMER_MS),
    backoff: {
      retries: integer("retries", options.retries, 3, 0, 100),
      baseDelayMs: integer(
        "retryDelayMs",
        options.retryDelayMs,
        1000,
        0,
        MAX_TIMER_MS,
      ),
      maxDelayMs: integer(
        "maxRetryDelayMs",
        options.maxRetryDelayMs,
        30_000,
        0,
        MAX_TIMER_MS,
      ),
    },
    fetch: fetchFn,
    now: optionalFunction<() => number>("now", options.now) ?? Date.now,
    coordinator,
    account: accountName(credentials.secretId, endpoint),
    maxRequestsPerSecond: positive(
      "maxRequestsPerSecond",
      options.maxRequestsPerSecond,
      DEFAULT_REQUESTS_PER_SECOND,
    ),
    rateLimitWaitMs: integer(
      "rateLimitWaitMs",
      options.rateLimitWaitMs,
      60_000,
      0,
    ),
  };
  if (signal) resolved.signal = signal;
  return resolved;
}

// Options that belong to an API since each API takes its own: a JavaScript caller who still
// passes one gets the way to say it now, not a run that silently ignores it.
const MOVED: Record<string, string> = {
  area: "api: cdn({ area })",
  userAgent: "api: cdn({ userAgent })",
  layer: "api: cdn({ layer })",
  parseM3U8: "api: cdn({ parseM3U8 })",
  disableRange: "api: cdn({ disableRange })",
  headers: "api: cdn({ headers })",
  urlEncode: "api: cdn({ urlEncode })",
  method: 'api: cdnV2({ method }) from "@qcdn/prewarm/v2"',
  signatureMethod: 'api: cdnV2({ signatureMethod }) from "@qcdn/prewarm/v2"',
  backend: 'api: edgeOne({ zoneId }) from "@qcdn/prewarm/edgeone"',
};

/**
 * Checks an `api` option: a {@linkcode TencentApi} value.
 * @throws {TypeError} for anything else, saying how to name each API.
 */
export function checkApi(value: unknown, fallback: () => TencentApi): TencentApi {
  if (value === undefined) return fallback();
  if (
    typeof value === "object" && value !== null &&
    typeof (value as TencentApi).submit === "function" &&
    typeof (value as TencentApi).budgetKeys === "function"
  ) return value as TencentApi;
  return fail(
    "api",
    'an API value: cdn() for API 3.0, cdnV2() from "@qcdn/prewarm/v2", edgeOne({ zoneId }) from "@qcdn/prewarm/edgeone"',
    typeof value === "object" ? JSON.stringify(value) : value,
  );
}

/** Checks `prewarm()` options and applies their defaults. */
export function resolvePrewarmOptions(
  options: PrewarmOptions = {},
): ResolvedPrewarmOptions {
  const moved = Object.keys(MOVED).find((name) =>
    (options as Record<string, unknown> | null)?.[name] !== undefined
  );
  if (moved !== undefined) {
    throw new TypeError(
      `Invalid option ${moved}: it is an option of the API; pass ${MOVED[moved]}`,
    );
  }
  const api = checkApi(options?.api, cdn);
  const call = resolveCallOptions(options, api.endpoint);
  const checkQuota = Boolean(options.checkQuota ?? false);
  if (checkQuota && !api.readQuota) {
    fail("checkQuota", `false with ${api.title} (it has no quota to read)`, checkQuota);
  }
  const resolved: ResolvedPrewarmOptions = {
    ...call,
    api,
    batchSize: integer("batchSize", options.batchSize, api.batchSize.default, 1, api.batchSize.max),
    dailyLimit: integer("dailyLimit", options.dailyLimit, api.dailyLimit, 0),
    dailyLimitOption: "dailyLimit",
    budgetWaitMs: integer("budgetWaitMs", options.budgetWaitMs, 30_000, 0, MAX_TIMER_MS),
    checkQuota,
    concurrency: integer("concurrency", options.concurrency, 4, 1, 64),
    retryAmbiguous: Boolean(options.retryAmbiguous ?? false),
  };
  const onProgress = optionalFunction<ResolvedPrewarmOptions["onProgress"]>(
    "onProgress",
    options.onProgress,
  );
  if (onProgress) resolved.onProgress = onProgress;
  return resolved;
}
