/**
 * The simulator's options, their defaults, and the checks that reject bad values early with a
 * message naming the value seen.
 *
 * @module
 */

import {
  checkOutcomeRules,
  type PrefetchOutcome,
  type PurgeOutcome,
  type TaskOutcomeRule,
} from "./lifecycle.ts";
import { describe, durationOption, integerOption } from "./options_check.ts";

export { describe } from "./options_check.ts";

/** An account key pair the simulator accepts. */
export interface SimulatorCredential {
  /** The `SecretId` (API 2.0 parameter; API 3.0 `Credential=` scope). */
  secretId: string;
  /** The `SecretKey` the signature is made with. */
  secretKey: string;
  /**
   * Session token of temporary credentials. When set, requests must carry it (`Token` in API
   * 2.0, `X-TC-Token` in API 3.0); when unset, requests must not carry one.
   *
   * @default undefined
   */
  token?: string;
}

/** Default account the simulator accepts (fake values, obviously not real keys). */
export const SIMULATOR_CREDENTIALS: Readonly<SimulatorCredential> = Object.freeze({
  secretId: "AKIDsimulator0000000000000000000000",
  secretKey: "simulator-secret-key-not-real-000",
});

/** Options of {@linkcode TencentCdnSimulator}. Every field is optional. */
export interface SimulatorOptions {
  /**
   * Key pairs the simulator accepts.
   *
   * @default [SIMULATOR_CREDENTIALS]
   */
  credentials?: SimulatorCredential[];
  /**
   * Hostnames that belong to the account: exact names (`"www.example.com"`) or `"*.example.com"`,
   * which matches any subdomain of `example.com` but not `example.com` itself.
   *
   * @default ["www.example.com", "static.example.com", "img.example.com"]
   */
  domains?: string[];
  /**
   * Hostnames that belong to the account but are offline; same patterns as `domains`. A host
   * listed here is offline even when `domains` also matches it.
   *
   * @default []
   */
  offlineDomains?: string[];
  /**
   * URLs that may be pushed per area per Beijing-time (UTC+8) day.
   *
   * @default 1000
   */
  dailyLimit?: number;
  /**
   * Most URLs one API 2.0 `CdnOverseaPushser` request may carry.
   *
   * @default 20
   */
  v2BatchLimit?: number;
  /**
   * Most URLs one API 3.0 `PushUrlsCache` request may carry; also reported as `Batch` by
   * `DescribePushQuota`.
   *
   * @default 500
   */
  v3BatchLimit?: number;
  /**
   * Requests admitted per action within any sliding 1 s window of the simulated clock; more are
   * answered with the API's rate-limit error. `Infinity` disables the limit.
   *
   * @default 20
   */
  requestsPerSecond?: number;
  /**
   * How far (in seconds, either way) a request's timestamp may be from the simulated clock.
   *
   * @default 300
   */
  timestampWindowSeconds?: number;
  /**
   * The simulated clock, in ms since the epoch. Inject one to test quota days, timestamp
   * windows and rate limits without sleeping.
   *
   * @default Date.now
   */
  now?: () => number;
  /**
   * Real delay (`setTimeout`) added to every request before it is handled (or answered by a
   * fault), except a `refuse` fault, which fails at once as a refused connection does.
   *
   * @default 0
   */
  latencyMs?: number;
  /**
   * How long (on the simulated clock) a prefetched URL reports `process` (its `Percent` growing
   * linearly) before it reports its final status. Tencent documents 5–30 minutes: set e.g.
   * `20 * 60_000` and give the clock as `now` to wait for it in a test without sleeping. The
   * default 0 (final at once) keeps earlier uses of the simulator working. `taskOutcomes` may
   * set another duration per URL. Applies to `CdnOverseaPushser`, `PushUrlsCache` and EdgeOne
   * `CreatePrefetchTask` tasks.
   *
   * @default 0
   */
  taskDurationMs?: number;
  /**
   * Per-URL final status (`done`, `fail`, `invalid`: the origin answered 4xx/5xx) and duration
   * of prefetch tasks; the first rule whose `match` (exact URL or RegExp) fits decides. URLs no
   * rule matches end `done` after `taskDurationMs`. EdgeOne reports `done` as `success`, `fail`
   * as `failed` and `invalid` as `invalid`.
   *
   * @default []
   */
  taskOutcomes?: TaskOutcomeRule<PrefetchOutcome>[];
  /**
   * How `DescribePushTasks` spells `Status`: `"lower"` as the field's documentation lists the
   * values (`done`, `process`, `fail`, `invalid`), or `"capitalized"` as Tencent's own example
   * answer shows them (`Done`, `Process`, …). Clients must accept both.
   *
   * @default "lower"
   */
  pushStatusCase?: "lower" | "capitalized";
  /**
   * HLS segments behind a playlist URL, prefetched too when `PushUrlsCache` sets
   * `ParseM3U8: true`. Each segment spends one unit of the daily quota after the request's own
   * URLs; once the quota runs out the rest are skipped silently, as Tencent documents. Playlists
   * not listed have no segments.
   *
   * @default {}
   */
  playlistSegments?: Record<string, number>;
  /**
   * What `PushUrlsCache` and `PurgeUrlsCache` do with a URL holding non-ASCII characters (a
   * Chinese path, say) when the request does not set `UrlEncode: true`, which Tencent says such
   * URLs need. Its exact answer is not documented: `"fail"` accepts the request and ends those
   * URLs `fail`; `"refuse"` refuses the whole request with `InvalidParameter.CdnParamError`;
   * `"accept"` treats them like any other URL.
   *
   * @default "fail"
   */
  unencodedNonAscii?: UnencodedNonAscii;
  /**
   * URLs that `PurgeUrlsCache` may purge per area per Beijing-time day (Tencent's default is
   * 10,000); reported by `DescribePurgeQuota`.
   *
   * @default 10_000
   */
  purgeDailyLimit?: number;
  /**
   * Most URLs one `PurgeUrlsCache` request may carry (Tencent's default is 1,000).
   *
   * @default 1000
   */
  purgeBatchLimit?: number;
  /**
   * How long (simulated ms) a purged URL reports `process` before its final status (Tencent:
   * "about 5 minutes", e.g. `5 * 60_000`). The default 0 (final at once) matches
   * `taskDurationMs`'s.
   *
   * @default 0
   */
  purgeDurationMs?: number;
  /**
   * Per-URL final status (`done` or `fail`) and duration of purge tasks, as `taskOutcomes` is
   * for prefetches.
   *
   * @default []
   */
  purgeOutcomes?: TaskOutcomeRule<PurgeOutcome>[];
  /**
   * EdgeOne (`teo`, version `2022-09-01`) zones of the account: each `ZoneId` with the
   * hostnames it serves (same patterns as `domains`) and its own prefetch quota. A
   * `CreatePrefetchTask` for an unknown zone, or with a target outside its zone, is refused.
   *
   * @default [{ zoneId: "zone-simulator", domains: ["www.example.org"] }]
   */
  teoZones?: TeoZoneOptions[];
}

/** See {@linkcode SimulatorOptions.unencodedNonAscii}. */
export type UnencodedNonAscii = "fail" | "refuse" | "accept";

/** One EdgeOne zone (site) of the simulated account. */
export interface TeoZoneOptions {
  /** The `ZoneId`, e.g. `"zone-2o0i2m9sk3li"`. */
  zoneId: string;
  /** Hostnames served by the zone: exact names or `"*.example.com"`. */
  domains: string[];
  /**
   * Targets `CreatePrefetchTask` may prefetch per Beijing day in this zone (`Daily` of
   * `DescribeContentQuota`; the real value depends on the plan).
   *
   * @default 10_000
   */
  prefetchDailyLimit?: number;
  /**
   * Most targets one `CreatePrefetchTask` may carry (`Batch` of `DescribeContentQuota`).
   *
   * @default 2000
   */
  prefetchBatchLimit?: number;
}

/** A zone after defaults are applied and values are checked. */
export interface ResolvedTeoZone {
  readonly zoneId: string;
  readonly domains: readonly string[];
  readonly prefetchDailyLimit: number;
  readonly prefetchBatchLimit: number;
}

/** Options after defaults are applied and values are checked. */
export interface ResolvedOptions {
  readonly credentials: ReadonlyMap<string, Readonly<SimulatorCredential>>;
  readonly domains: readonly string[];
  readonly offlineDomains: readonly string[];
  readonly dailyLimit: number;
  readonly v2BatchLimit: number;
  readonly v3BatchLimit: number;
  readonly requestsPerSecond: number;
  readonly timestampWindowSeconds: number;
  readonly now: () => number;
  readonly latencyMs: number;
  readonly taskDurationMs: number;
  readonly taskOutcomes: readonly TaskOutcomeRule<PrefetchOutcome>[];
  readonly pushStatusCase: "lower" | "capitalized";
  readonly playlistSegments: ReadonlyMap<string, number>;
  readonly unencodedNonAscii: UnencodedNonAscii;
  readonly purgeDailyLimit: number;
  readonly purgeBatchLimit: number;
  readonly purgeDurationMs: number;
  readonly purgeOutcomes: readonly TaskOutcomeRule<PurgeOutcome>[];
  readonly teoZones: ReadonlyMap<string, ResolvedTeoZone>;
}

const DEFAULT_DOMAINS = ["www.example.com", "static.example.com", "img.example.com"];
const DEFAULT_TEO_ZONES: TeoZoneOptions[] = [{
  zoneId: "zone-simulator",
  domains: ["www.example.org"],
}];
const PREFETCH_OUTCOMES: readonly PrefetchOutcome[] = ["done", "fail", "invalid"];
const PURGE_OUTCOMES: readonly PurgeOutcome[] = ["done", "fail"];
const STATUS_CASES = ["lower", "capitalized"] as const;
const NON_ASCII_MODES: readonly UnencodedNonAscii[] = ["fail", "refuse", "accept"];
const HOSTNAME_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** Applies defaults and rejects bad values with a `TypeError` or `RangeError`. */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Simulator options must be an object; got ${describe(options)}`);
  }
  const now = options.now ?? Date.now;
  if (typeof now !== "function") {
    throw new TypeError(`Option "now" must be a function; got ${describe(now)}`);
  }
  return {
    credentials: resolveCredentials(options.credentials ?? [SIMULATOR_CREDENTIALS]),
    domains: resolveDomains("domains", options.domains ?? DEFAULT_DOMAINS),
    offlineDomains: resolveDomains("offlineDomains", options.offlineDomains ?? []),
    dailyLimit: integerOption("dailyLimit", options.dailyLimit, 1000, 0),
    v2BatchLimit: integerOption("v2BatchLimit", options.v2BatchLimit, 20, 1),
    v3BatchLimit: integerOption("v3BatchLimit", options.v3BatchLimit, 500, 1),
    requestsPerSecond: integerOption("requestsPerSecond", options.requestsPerSecond, 20, 1, true),
    timestampWindowSeconds: durationOption(
      "timestampWindowSeconds",
      options.timestampWindowSeconds,
      300,
    ),
    now,
    latencyMs: durationOption("latencyMs", options.latencyMs, 0),
    taskDurationMs: durationOption("taskDurationMs", options.taskDurationMs, 0),
    taskOutcomes: checkOutcomeRules("taskOutcomes", options.taskOutcomes, PREFETCH_OUTCOMES),
    pushStatusCase: resolveStatusCase(options.pushStatusCase),
    playlistSegments: resolvePlaylistSegments(options.playlistSegments),
    unencodedNonAscii: resolveNonAsciiMode(options.unencodedNonAscii),
    purgeDailyLimit: integerOption("purgeDailyLimit", options.purgeDailyLimit, 10_000, 0),
    purgeBatchLimit: integerOption("purgeBatchLimit", options.purgeBatchLimit, 1000, 1),
    purgeDurationMs: durationOption("purgeDurationMs", options.purgeDurationMs, 0),
    purgeOutcomes: checkOutcomeRules("purgeOutcomes", options.purgeOutcomes, PURGE_OUTCOMES),
    teoZones: resolveTeoZones(options.teoZones ?? DEFAULT_TEO_ZONES),
  };
}

function resolveStatusCase(value: unknown): "lower" | "capitalized" {
  if (value === undefined) return "lower";
  if (!STATUS_CASES.includes(value as "lower")) {
    throw new RangeError(
      `Option "pushStatusCase" must be "lower" or "capitalized"; got ${describe(value)}`,
    );
  }
  return value as "lower" | "capitalized";
}

function resolveNonAsciiMode(value: unknown): UnencodedNonAscii {
  if (value === undefined) return "fail";
  if (!NON_ASCII_MODES.includes(value as UnencodedNonAscii)) {
    throw new RangeError(
      `Option "unencodedNonAscii" must be one of ${NON_ASCII_MODES.join(", ")}; got ${
        describe(value)
      }`,
    );
  }
  return value as UnencodedNonAscii;
}

function resolvePlaylistSegments(value: unknown): ReadonlyMap<string, number> {
  if (value === undefined) return new Map();
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(
      `Option "playlistSegments" must be an object of URL → count; got ${describe(value)}`,
    );
  }
  return new Map(
    Object.entries(value).map((
      [url, count],
    ) => [url, integerOption(`playlistSegments[${JSON.stringify(url)}]`, count, 0, 0)]),
  );
}

function resolveTeoZones(zones: unknown): ReadonlyMap<string, ResolvedTeoZone> {
  if (!Array.isArray(zones)) {
    throw new TypeError(`Option "teoZones" must be an array; got ${describe(zones)}`);
  }
  const byId = new Map<string, ResolvedTeoZone>();
  for (const [index, zone] of zones.entries()) {
    const where = `teoZones[${index}]`;
    if (typeof zone !== "object" || zone === null) {
      throw new TypeError(`Option "${where}" must be an object; got ${describe(zone)}`);
    }
    const { zoneId, domains, prefetchDailyLimit, prefetchBatchLimit } = zone as Record<
      string,
      unknown
    >;
    // "*" means "every zone" in CreatePrefetchTask, so it cannot name one.
    if (typeof zoneId !== "string" || !/^[A-Za-z0-9_-]+$/.test(zoneId)) {
      throw new TypeError(
        `Option "${where}.zoneId" must be a non-empty string of letters, digits, "-" and "_"; ` +
          `got ${describe(zoneId)}`,
      );
    }
    if (byId.has(zoneId)) {
      throw new RangeError(`Option "${where}.zoneId" repeats an earlier one: ${describe(zoneId)}`);
    }
    byId.set(
      zoneId,
      Object.freeze({
        zoneId,
        domains: resolveDomains(`${where}.domains`, domains),
        prefetchDailyLimit: integerOption(
          `${where}.prefetchDailyLimit`,
          prefetchDailyLimit,
          10_000,
          0,
        ),
        prefetchBatchLimit: integerOption(
          `${where}.prefetchBatchLimit`,
          prefetchBatchLimit,
          2000,
          1,
        ),
      }),
    );
  }
  return byId;
}

function resolveCredentials(
  credentials: unknown,
): ReadonlyMap<string, Readonly<SimulatorCredential>> {
  if (!Array.isArray(credentials)) {
    throw new TypeError(`Option "credentials" must be an array; got ${describe(credentials)}`);
  }
  const byId = new Map<string, Readonly<SimulatorCredential>>();
  for (const [index, credential] of credentials.entries()) {
    const where = `credentials[${index}]`;
    if (typeof credential !== "object" || credential === null) {
      throw new TypeError(`Option "${where}" must be an object; got ${describe(credential)}`);
    }
    const { secretId, secretKey, token } = credential as Record<string, unknown>;
    for (const [name, value] of [["secretId", secretId], ["secretKey", secretKey]] as const) {
      if (typeof value !== "string" || value === "") {
        throw new TypeError(
          `Option "${where}.${name}" must be a non-empty string; got ${describe(value)}`,
        );
      }
    }
    if (token !== undefined && typeof token !== "string") {
      throw new TypeError(`Option "${where}.token" must be a string; got ${describe(token)}`);
    }
    const id = secretId as string;
    if (byId.has(id)) {
      throw new RangeError(`Option "${where}.secretId" repeats an earlier one: ${describe(id)}`);
    }
    const resolved: SimulatorCredential = { secretId: id, secretKey: secretKey as string };
    // An empty token means "no token", the same as a request that sends an empty one.
    if (token) resolved.token = token;
    byId.set(id, Object.freeze(resolved));
  }
  return byId;
}

function resolveDomains(name: string, domains: unknown): readonly string[] {
  if (!Array.isArray(domains)) {
    throw new TypeError(`Option "${name}" must be an array; got ${describe(domains)}`);
  }
  return domains.map((domain: unknown, index) => {
    if (typeof domain !== "string") {
      throw new TypeError(
        `Option "${name}[${index}]" must be a string; got ${describe(domain)}`,
      );
    }
    const lower = domain.toLowerCase();
    if (!HOSTNAME_PATTERN.test(lower)) {
      throw new RangeError(
        `Option "${name}[${index}]" must be a hostname or "*.hostname"; got ${describe(domain)}`,
      );
    }
    return lower;
  });
}
