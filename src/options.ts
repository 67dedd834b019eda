/**
 * The options of `prewarm()`, their defaults, and the checks that run before anything is sent.
 * @module
 */
import type { PrewarmBackend } from "./backend.ts";
import { accountName, type Coordinator, defaultCoordinator } from "./coordinator.ts";
import {
  checkCredentials,
  type Credentials,
  credentialsFromEnv,
  ENDPOINT_ENV_VAR,
  endpointFromEnv,
} from "./credentials.ts";
import { pushFields, type PushParameters } from "./push_parameters.ts";
import type { Api, Area, PrewarmProgress } from "./report.ts";
import { V2_ENDPOINT } from "./request_v2.ts";
import { V3_ENDPOINT } from "./request_v3.ts";
import { type CallContext, type FetchLike, parseEndpoint } from "./send.ts";
import type { V2HttpMethod, V2SignatureMethod } from "./sign_v2.ts";

/** URLs per request API 2.0 accepts. */
export const V2_MAX_BATCH = 20;
/** URLs per request API 3.0 accepts (its runtime value is `DescribePushQuota` → `Batch`). */
export const V3_DEFAULT_BATCH = 500;
/** URLs per account per day, as documented for overseas prefetch. */
export const DEFAULT_DAILY_LIMIT = 1000;
/** The default request rate: Tencent's 20 requests/s per action, less a margin for jitter. */
export const DEFAULT_REQUESTS_PER_SECOND = 18;

/** The longest delay a timer takes: `setTimeout` clamps longer ones to 1 ms, so a longer
 * timeout would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

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

/** Options of `prewarm()`; the optional `PushUrlsCache` parameters are {@linkcode PushParameters}. */
export interface PrewarmOptions extends CallOptions, PushParameters {
  /**
   * The API generation. API 3.0 (`PushUrlsCache`) is what Tencent serves today; API 2.0
   * (`CdnOverseaPushser`) was retired for CDN in 2022 and serves stand-ins and old gateways.
   * @default {"v3"}
   */
  api?: Api;
  /**
   * Submits to another service than CDN: `edgeOne({ zoneId })` from `@qcdn/prewarm/edgeone`
   * (then `api` may be left out or be `"teo"`). Budget, batching, retries and the report work
   * as for CDN. @default {undefined} (CDN)
   */
  backend?: PrewarmBackend;
  /** API 3.0: where to prefetch. Always sent (the server would default to mainland). @default {"overseas"} */
  area?: Area;
  /** API 2.0: signature algorithm. @default {"HmacSHA256"} */
  signatureMethod?: V2SignatureMethod;
  /** API 2.0: `POST` sends a form body, `GET` a query string. @default {"POST"} */
  method?: V2HttpMethod;
  /** URLs per request: at most 20 for API 2.0. @default {20} for API 2.0, `500` for API 3.0 */
  batchSize?: number;
  /** URLs this account may submit per Beijing-time day and area; `Infinity` turns the local budget off. @default {1000} */
  dailyLimit?: number;
  /**
   * How long a batch waits for budget that other requests in flight hold (it may come free
   * if they fail) before its URLs are rejected as `busy`. @default {30000}
   */
  budgetWaitMs?: number;
  /** API 3.0: ask `DescribePushQuota` first and send no more than its `Available`. @default {false} */
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
  /** API generation. */
  api: Api;
  /** The backend, when it is not CDN. */
  backend?: PrewarmBackend;
  /** Area. */
  area: Area;
  /** API 2.0 signature algorithm. */
  signatureMethod: V2SignatureMethod;
  /** API 2.0 HTTP method. */
  method: V2HttpMethod;
  /** URLs per request. */
  batchSize: number;
  /** Local daily budget. */
  dailyLimit: number;
  /** How long to wait for held budget. */
  budgetWaitMs: number;
  /** Whether to ask `DescribePushQuota` first. */
  checkQuota: boolean;
  /** Requests in flight at once. */
  concurrency: number;
  /** Whether ambiguous attempts are retried. */
  retryAmbiguous: boolean;
  /** Progress callback. */
  onProgress?: (progress: PrewarmProgress) => void;
  /** The optional `PushUrlsCache` fields to send, with their wire names. */
  push: Record<string, unknown>;
}

/** Throws the error for an option that is not what it should be: `RangeError` for a number out
 * of range, `TypeError` otherwise, naming the option and the value seen. */
export function fail(name: string, expected: string, value: unknown): never {
  const seen = typeof value === "string" ? `"${value}"` : String(value);
  const Kind = typeof value === "number" ? RangeError : TypeError;
  throw new Kind(`Invalid option ${name}: expected ${expected}, got ${seen}`);
}

/** Checks an integer option within `min`–`max` (`Infinity` allowed when `max` is). */
export function integer(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max = Infinity,
): number {
  if (value === undefined) return fallback;
  if (value === Infinity && max === Infinity) return value;
  if (
    typeof value !== "number" || !Number.isInteger(value) || value < min ||
    value > max
  ) {
    fail(
      name,
      max === Infinity ? `an integer >= ${min}` : `an integer from ${min} to ${max}`,
      value,
    );
  }
  return value;
}

function positive(
  name: string,
  value: unknown,
  fallback: number,
  max = Infinity,
): number {
  if (value === undefined || value === Infinity) return value ?? fallback;
  if (typeof value !== "number" || !(value > 0) || value > max) {
    fail(
      name,
      max === Infinity ? "a number > 0" : `a number > 0 and <= ${max}, or Infinity`,
      value,
    );
  }
  return value;
}

function oneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    fail(
      name,
      allowed.map((a) => `"${a}"`).join(" or "),
      value,
    );
  }
  return value as T;
}

/** Checks an optional function option. */
export function optionalFunction<T>(name: string, value: unknown): T | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw new TypeError(`Invalid option ${name}: expected a function, got ${typeof value}`);
  }
  return value as T | undefined;
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

/** Checks `prewarm()` options and applies their defaults. */
export function resolvePrewarmOptions(
  options: PrewarmOptions = {},
): ResolvedPrewarmOptions {
  // A backend checks the options that concern it (`api`, `area`) itself.
  const backend = options?.backend;
  backend?.check(options);
  const api = backend?.api ?? oneOf("api", options?.api, ["v3", "v2"] as const, "v3");
  const call = resolveCallOptions(
    options,
    backend?.endpoint ?? (api === "v2" ? V2_ENDPOINT : V3_ENDPOINT),
  );
  const area = backend?.area ?? oneOf(
    "area",
    options.area,
    ["overseas", "mainland", "global"] as const,
    "overseas",
  );
  if (api === "v2" && area !== "overseas") {
    fail(
      "area",
      '"overseas" with api "v2" (CdnOverseaPushser prefetches overseas only)',
      area,
    );
  }
  const checkQuota = options.checkQuota ?? false;
  if (checkQuota && api === "v2") {
    fail(
      "checkQuota",
      'false with api "v2" (DescribePushQuota is an API 3.0 action)',
      checkQuota,
    );
  }
  const resolved: ResolvedPrewarmOptions = {
    ...call,
    api,
    backend,
    area,
    signatureMethod: oneOf(
      "signatureMethod",
      options.signatureMethod,
      ["HmacSHA256", "HmacSHA1"] as const,
      "HmacSHA256",
    ),
    method: oneOf("method", options.method, ["POST", "GET"] as const, "POST"),
    batchSize: api === "v2"
      ? integer("batchSize", options.batchSize, V2_MAX_BATCH, 1, V2_MAX_BATCH)
      : integer("batchSize", options.batchSize, V3_DEFAULT_BATCH, 1, 10_000),
    dailyLimit: integer(
      "dailyLimit",
      options.dailyLimit,
      DEFAULT_DAILY_LIMIT,
      0,
    ),
    budgetWaitMs: integer(
      "budgetWaitMs",
      options.budgetWaitMs,
      30_000,
      0,
      MAX_TIMER_MS,
    ),
    checkQuota: Boolean(checkQuota),
    concurrency: integer("concurrency", options.concurrency, 4, 1, 64),
    retryAmbiguous: Boolean(options.retryAmbiguous ?? false),
    push: pushFields(options, api),
  };
  const onProgress = optionalFunction<ResolvedPrewarmOptions["onProgress"]>(
    "onProgress",
    options.onProgress,
  );
  if (onProgress) resolved.onProgress = onProgress;
  return resolved;
}
