/**
 * The options of `prewarm()`, their defaults, and the checks that run before anything is sent.
 * @module
 */
import type { TencentApi } from "../api.ts";
import { defaultCdn } from "../apis/cdn.ts";
import { PUSH_PARAMETERS } from "../apis/push_parameters.ts";
import { fail, integer, MAX_TIMER_MS, optionalFunction } from "../rules/option_checks.ts";
import type { PrewarmProgress } from "../rules/report.ts";
import {
  type CallOptions,
  resolveCallOptions,
  type ResolvedCallOptions,
} from "../transport/call_options.ts";

/** Requests in flight at once by default: enough that the request gate, not this, paces a
 * run (18 starts a second keep up to 64 requests of 3.5 s each in flight). */
export const DEFAULT_CONCURRENCY = 64;

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
  /**
   * Most requests in flight at once. The account's request gate (`maxRequestsPerSecond`)
   * decides when each one starts; this only bounds how many wait for slow answers together.
   * @default {64}
   */
  concurrency?: number;
  /**
   * Also retry attempts that may have been processed (timeouts, dropped connections, server
   * failures). Each such retry can spend the quota twice. @default {false}
   */
  retryAmbiguous?: boolean;
  /** Called after each batch settles, with running counts. Errors it throws are ignored. */
  onProgress?: (progress: PrewarmProgress) => void;
}

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

// Options that belong to an API since each API takes its own: a JavaScript caller who still
// passes one gets the way to say it now, not a run that silently ignores it.
const MOVED: readonly [readonly string[], string][] = [
  [["area", ...PUSH_PARAMETERS], "api: cdn({ NAME })"],
  [["method", "signatureMethod"], 'api: cdnV2({ NAME }) from "@qcdn/prewarm/v2"'],
  [["backend"], 'api: edgeOne({ zoneId }) from "@qcdn/prewarm/edgeone"'],
];

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
  for (const [names, to] of MOVED) {
    const moved = names.find((name) =>
      (options as Record<string, unknown> | null)?.[name] !== undefined
    );
    if (moved !== undefined) {
      throw new TypeError(
        `Invalid option ${moved}: it is an option of the API; pass ${to.replace("NAME", moved)}`,
      );
    }
  }
  const api = checkApi(options?.api, defaultCdn);
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
    concurrency: integer("concurrency", options.concurrency, DEFAULT_CONCURRENCY, 1, 64),
    retryAmbiguous: Boolean(options.retryAmbiguous ?? false),
  };
  const onProgress = optionalFunction<ResolvedPrewarmOptions["onProgress"]>(
    "onProgress",
    options.onProgress,
  );
  if (onProgress) resolved.onProgress = onProgress;
  return resolved;
}
