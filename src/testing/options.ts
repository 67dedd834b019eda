/**
 * The simulator's options, their defaults, and the checks that reject bad values early with a
 * message naming the value seen.
 *
 * @module
 */

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
   * How long (on the simulated clock) a pushed URL reports `process` before it reports `done`.
   *
   * @default 0
   */
  taskDurationMs?: number;
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
}

const DEFAULT_DOMAINS = ["www.example.com", "static.example.com", "img.example.com"];
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
  };
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

function integerOption(
  name: string,
  value: unknown,
  fallback: number,
  minimum: number,
  allowInfinity = false,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") {
    throw new TypeError(`Option "${name}" must be a number; got ${describe(value)}`);
  }
  const acceptable = (Number.isInteger(value) && value >= minimum) ||
    (allowInfinity && value === Infinity);
  if (!acceptable) {
    const kind = minimum === 0 ? "a non-negative integer" : `an integer of at least ${minimum}`;
    const orInfinity = allowInfinity ? " (or Infinity)" : "";
    throw new RangeError(`Option "${name}" must be ${kind}${orInfinity}; got ${describe(value)}`);
  }
  return value;
}

function durationOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") {
    throw new TypeError(`Option "${name}" must be a number; got ${describe(value)}`);
  }
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `Option "${name}" must be a finite number of at least 0; got ${describe(value)}`,
    );
  }
  return value;
}

/** Shows a value in an error message: strings quoted, other primitives as written. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "function" ? "a function" : `an ${typeof value}`;
}
