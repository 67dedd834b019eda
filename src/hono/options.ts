/**
 * The router's options, their defaults, and the checks that run once, when the router is made;
 * and reading settings the way a deployment provides them: from the Hono context's `env` (a
 * Worker's bindings and secrets) first, then from the runtime's environment.
 * @module
 */
import type { Context, Env } from "hono";
import { HTTPException } from "hono/http-exception";
import {
  checkCredentials,
  type Credentials,
  credentialsFromEnv,
} from "../transport/credentials.ts";
import { type PrewarmOptions, resolvePrewarmOptions } from "../engine/options.ts";
import type { CallOptions } from "../transport/call_options.ts";
import { type PurgeThenPrewarmOptions, resolvePurgeOptions } from "../flows/purge_then_prewarm.ts";
import { type CallerOption, checkCallerOptions } from "./caller_options.ts";
import { type Coordinator, defaultCoordinator } from "../coordinator/memory.ts";
import type { TencentApi } from "../api.ts";
import { cdn } from "../apis/cdn.ts";
import { splitTokenList, tokenProblem } from "./tokens.ts";
import { RouterError } from "./errors.ts";
import {
  fail,
  integer,
  MAX_TIMER_MS,
  optionalBoolean,
  optionalFunction,
} from "../rules/option_checks.ts";
import { HostAllowList } from "./hosts.ts";
import {
  type ResolvedVerifyOptions,
  resolveVerifyOptions,
  type RouterVerifyOptions,
} from "./verify_options.ts";

/** The variable that lists the accepted bearer tokens, comma-separated. */
export const TOKENS_ENV_VAR = "PREWARM_TOKENS";

/** The variable that lists the hostnames the router may prefetch for, comma-separated. */
export const ALLOWED_HOSTS_ENV_VAR = "PREWARM_ALLOWED_HOSTS";

/** `c.env` as a record to read names from, or `undefined` when it is not an object. */
function bindingsOf(env: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof env === "object" && env !== null ? env as Record<string, unknown> : undefined;
}

/** Reads `name` from `Deno.env` or `process.env`; `undefined` when unset or not permitted. */
function runtimeVariable(name: string): string | undefined {
  const g = globalThis as {
    Deno?: { env?: { get(name: string): string | undefined } };
    process?: { env?: Record<string, string | undefined> };
  };
  try {
    if (g.Deno?.env) return g.Deno.env.get(name);
    return g.process?.env?.[name];
  } catch {
    return undefined; // Deno without --allow-env: unset, not an error.
  }
}

/** Reads `name` from the bindings when they hold it as a string, else from the runtime. */
function readVariable(env: unknown, name: string): string | undefined {
  const bound = bindingsOf(env)?.[name];
  return typeof bound === "string" ? bound : runtimeVariable(name);
}

/** A value, or a function of the request's Hono context that returns it (or a promise of it). */
export type FromContext<E extends Env, T> = T | ((c: Context<E>) => T | Promise<T>);

/**
 * Options the router passes to every `prewarm()` call (and, where they apply, to
 * `describePushQuota()` and `describePushTasks()`): all of `PrewarmOptions` except the
 * credentials (see {@linkcode PrewarmRouterOptions.credentials}) and the signal; and
 * `purgeFirst` with the purge's options (`purgeThenPrewarm()` from `./purge`).
 */
export type RouterPrewarmDefaults =
  & Omit<PurgeThenPrewarmOptions, "credentials" | "signal" | "api">
  & {
    /** The API every request prefetches through (a request may set its area and the caller
     * options the operator allows). @default {cdn()} */
    api?: TencentApi;
    /** Purge the URLs first, then prefetch what was purged (`purgeThenPrewarm()`; `cdn()`
     * only). @default {false} */
    purgeFirst?: boolean;
  };

/**
 * Options of {@linkcode prewarmRouter}. Every field is optional.
 *
 * Values are checked when the router is made (a bad one throws there). What the environment
 * or an option function gives is checked per request: when it is missing or malformed, or the
 * function throws, every authenticated route answers 503 `not-configured` with no detail (the
 * caller may not even be authenticated), and the detail is logged once with `console.error`.
 */
export interface PrewarmRouterOptions<E extends Env = Env> {
  /**
   * The Tencent Cloud key pair, or a function of the context that returns it. When it yields
   * nothing, authenticated routes answer 503 `not-configured`.
   * @default {credentialsFromEnv(c.env) ?? credentialsFromEnv()} (a Worker's secrets, then `Deno.env` or `process.env`)
   */
  credentials?: FromContext<E, Credentials | undefined>;
  /**
   * The accepted bearer tokens: an array, a comma-separated string, or a function of the
   * context returning either. Each token must be at least 16 characters from the bearer
   * token alphabet. With no token (and no `authorize`), authenticated routes answer 503
   * `not-configured`: an unconfigured router is never an open relay.
   * @default {PREWARM_TOKENS from c.env, then from Deno.env or process.env}
   */
  tokens?: FromContext<E, string | readonly string[] | undefined>;
  /**
   * Replaces token checking entirely: return true to let the request through, false to
   * answer 401. Throw Hono's `HTTPException` to answer otherwise (e.g. 403).
   * @default {undefined} (bearer tokens are checked)
   */
  authorize?: (c: Context<E>) => boolean | Promise<boolean>;
  /**
   * Hostnames the router prefetches for: exact names (`"www.example.com"`) and `*.` patterns
   * (`"*.example.com"` covers every subdomain, not `example.com` itself). URLs on other hosts
   * are rejected one by one with reason `"host-not-allowed"` and never sent, and so are URLs
   * whose host parsers could read differently: a backslash anywhere, an `@` in the authority,
   * or a host not written as the URL parser reads it (ASCII case aside: `%2e`, fullwidth
   * letters, Unicode dots, invisible characters, raw IDN, IPv4 in other forms). An array, a
   * comma-separated string, or a function of the context returning either; an empty list
   * allows no host at all.
   * @default {PREWARM_ALLOWED_HOSTS from c.env, then from Deno.env or process.env; unset or empty: every host (Tencent still refuses domains not on the account)}
   */
  allowedHosts?: FromContext<E, string | readonly string[] | undefined>;
  /** Most URLs one `POST /prewarm` may list (more is answered with 413). @default {1000} */
  maxUrls?: number;
  /** Largest `POST /prewarm` body in bytes (more is answered with 413). @default {262144} (256 KiB) */
  maxBodyBytes?: number;
  /**
   * Longest a `POST /prewarm` (or `/prewarm/plan`) body may take to arrive, in milliseconds,
   * from when the router starts reading it: past it the router stops reading and answers
   * 408 `body-timeout` (with `Connection: close`), so a client trickling its body cannot hold
   * a connection as long as it likes. At most 2147483647 (what timers take).
   * @default {10000} (10 s: 256 KiB in 10 s is 26 KB/s, slower than any CI runner's link)
   */
  bodyTimeoutMs?: number;
  /**
   * Options for every `prewarm()` call: `api`, `area` (the default when a request names
   * none), `endpoint`, `fetch`, `dailyLimit`, `coordinator`, limits and timeouts. A value or a
   * function of the context (to read an endpoint from a Worker binding, say).
   * @default {{}} (`prewarm()`'s own defaults, with a quota store owned by this router)
   */
  prewarm?: FromContext<E, RouterPrewarmDefaults>;
  /**
   * The options a caller may set in a JSON `POST /prewarm` body, overriding `prewarm`'s:
   * `userAgent`, `layer`, `parseM3U8`, `disableRange`, `headers`, `urlEncode`, `purgeFirst`.
   * A body field not listed is answered with 400, and so is `purgeFirst: true` when the
   * router's API is not `cdn()` (purging first is CDN's). A body's `headers` are added to
   * `prewarm.headers`; a name the operator decides (`Host`, `User-Agent`, `Range`, a name of
   * `prewarm.headers`, hop-by-hop and forwarding headers: docs/router.md) is answered with 400.
   * @default {[]} (callers set none)
   */
  callerOptions?: readonly CallerOption[];
  /**
   * Serve the console: a web page where people with a token preview, send and follow
   * prefetches (`true` serves it at `/`, `{ path: "/console" }` elsewhere). The page itself is
   * served without a token and is the same for every deployment: it reveals nothing of the
   * configuration, and every call it makes carries the token the user pastes.
   * @default {false}
   */
  console?: boolean | { path?: string };
  /**
   * How `POST /verify` probes and its bounds per request: `maxUrls` (100), `concurrency` (4),
   * `timeoutMs` per probe (5000), `maxTimeMs` per request (20000), `method`, `ports` probed
   * besides the default ones, and `fetch`. `POST /verify` probes only hosts in `allowedHosts`
   * and answers 403 `allowed-hosts-required` while there is none (docs/verify.md).
   * @default {{}}
   */
  verify?: RouterVerifyOptions;
  /**
   * Says that this router fronts a simulator of Tencent Cloud (such as `@qcdn/prewarm/testing`'s
   * `TencentCdnSimulator`), not Tencent Cloud itself. Whoever wires the simulator knows it; the
   * router cannot tell from an endpoint or a `fetch`. `GET /quota` and `POST /prewarm/plan`
   * then carry `simulated: true`, and the console says so at the top of the page.
   * @default {false}
   */
  simulated?: boolean;
}

/** Everything a request needs, read and checked for that request. */
export interface RequestConfig {
  /** The Tencent Cloud credentials. */
  credentials: Credentials;
  /** The `prewarm()` options (without credentials and area), `coordinator` always set. */
  prewarm: RouterPrewarmDefaults & { coordinator: Coordinator };
  /** The API, after defaults: what a request prefetches through unless it sets an area or
   * caller options. */
  api: TencentApi;
  /** The daily limit, after defaults (`Infinity`: off). */
  dailyLimit: number;
  /** Most URLs per request, after defaults. */
  batchSize: number;
  /** The clock. */
  now: () => number;
  /** The allow-list; `undefined` allows every host. */
  allowedHosts?: HostAllowList;
  /** Whether the router fronts a simulator (the `simulated` option). */
  simulated: boolean;
}

/** {@linkcode PrewarmRouterOptions} checked, with their defaults applied. */
export interface ResolvedRouterOptions<E extends Env> {
  /**
   * The accepted tokens for a request.
   * @throws {RouterError} 503 `not-configured` when there are none or they are malformed.
   */
  tokens(c: Context<E>): Promise<readonly string[]>;
  /**
   * `authorize`'s verdict, when it is set (else `undefined`).
   * @throws {RouterError} 503 `not-configured` when it throws anything but an `HTTPException`.
   */
  authorize?: (c: Context<E>) => Promise<boolean>;
  /**
   * The configuration of a request: credentials, `prewarm()` options, allow-list.
   * @throws {RouterError} 503 `not-configured` when any of it is missing or malformed.
   */
  configure(c: Context<E>): Promise<RequestConfig>;
  /** Most URLs per request. */
  maxUrls: number;
  /** Largest body in bytes. */
  maxBodyBytes: number;
  /** Longest a body may take to arrive, in milliseconds. */
  bodyTimeoutMs: number;
  /** The options a body may set. */
  callerOptions: ReadonlySet<string>;
  /** Where the console page is served; `undefined` when it is off. */
  consolePath?: string;
  /** How `POST /verify` probes, and its bounds. */
  verify: ResolvedVerifyOptions;
}

const PLACEHOLDER_CREDENTIALS: Credentials = { secretId: "AKIDplaceholder", secretKey: "x" };

const NOT_CONFIGURED = "This prewarm router is not configured yet; its operator finds what is " +
  "missing in the server log";

/**
 * A deployment's configuration problems. Callers learn only that the router is not configured
 * (they may not even be authenticated); the operator reads each distinct problem in the log,
 * once, not once per request.
 */
class ConfigurationProblems {
  readonly #logged = new Set<string>();

  /** Logs the problem unless it was logged before; returns the 503 to answer with. */
  refuse(detail: string, cause?: unknown): RouterError {
    if (!this.#logged.has(detail)) {
      if (this.#logged.size >= 100) this.#logged.clear(); // Bounded, whatever the functions say.
      this.#logged.add(detail);
      const line = `prewarm router: not configured: ${detail}`;
      if (cause === undefined) console.error(line);
      else console.error(line, cause);
    }
    return new RouterError(503, "not-configured", NOT_CONFIGURED);
  }

  /** Calls an option function; what it throws is a configuration problem. */
  async call<T>(name: string, run: () => T | Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.refuse(`the ${name} option function threw`, error);
    }
  }

  /** Runs a check; the TypeError or RangeError it throws is a configuration problem. */
  check<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof TypeError || error instanceof RangeError) {
        throw this.refuse(error.message);
      }
      throw error;
    }
  }
}

/** A cap of a request: an integer >= 1, never `Infinity` (a cap is not turned off). */
function cap(name: string, value: unknown, fallback: number): number {
  return value === Infinity
    ? fail(name, "an integer >= 1", value)
    : integer(name, value, fallback, 1);
}

// Token lists are checked where they are read; the message never quotes a token.
function tokenList(value: unknown, label: string): string[] {
  const tokens = typeof value === "string"
    ? splitTokenList(value)
    : Array.isArray(value)
    ? value
    : undefined;
  if (tokens === undefined) {
    throw new TypeError(
      `Invalid ${label}: expected a string or an array of strings, got ${typeof value}`,
    );
  }
  tokens.forEach((token: unknown, index) => {
    if (typeof token !== "string") {
      throw new TypeError(`Invalid ${label}[${index}]: expected a string, got ${typeof token}`);
    }
    const problem = tokenProblem(token, `${label}[${index}]`);
    if (problem) throw new TypeError(`Invalid ${problem}`);
  });
  return tokens as string[];
}

const NO_TOKENS = `No bearer tokens are configured: set ${TOKENS_ENV_VAR} (comma-separated) ` +
  "or pass the tokens or authorize option. Until then every authenticated route is closed.";

function tokensResolver<E extends Env>(
  option: PrewarmRouterOptions<E>["tokens"],
  problems: ConfigurationProblems,
): (c: Context<E>) => Promise<readonly string[]> {
  if (option !== undefined && typeof option !== "function") {
    const tokens = tokenList(option, "option tokens");
    return () =>
      tokens.length === 0 ? Promise.reject(problems.refuse(NO_TOKENS)) : Promise.resolve(tokens);
  }
  return async (c) => {
    const value = option === undefined
      ? readVariable(c.env, TOKENS_ENV_VAR) ?? ""
      : await problems.call("tokens", () => option(c)) ?? "";
    const label = option === undefined ? TOKENS_ENV_VAR : "option tokens";
    const tokens = problems.check(() => tokenList(value, label));
    if (tokens.length === 0) throw problems.refuse(NO_TOKENS);
    return tokens;
  };
}

const NO_CREDENTIALS = "No Tencent Cloud credentials: set TENCENTCLOUD_SECRET_ID and " +
  "TENCENTCLOUD_SECRET_KEY (as Worker secrets or environment variables) or pass the " +
  "credentials option";

function credentialsResolver<E extends Env>(
  option: PrewarmRouterOptions<E>["credentials"],
  problems: ConfigurationProblems,
): (c: Context<E>) => Promise<Credentials> {
  if (option !== undefined && typeof option !== "function") {
    const checked = checkCredentials(option);
    return () => Promise.resolve(checked);
  }
  // The core's credential messages name variables and fields, never values.
  const checked = (read: () => unknown) =>
    problems.check(() => {
      const value = read();
      if (value === undefined || value === null) throw new TypeError(NO_CREDENTIALS);
      return checkCredentials(value);
    });
  if (option === undefined) {
    return (c) =>
      Promise.resolve(
        checked(() => credentialsFromEnv(bindingsOf(c.env) ?? {}) ?? credentialsFromEnv()),
      );
  }
  return async (c) => {
    const value = await problems.call("credentials", () => option(c));
    return checked(() => value);
  };
}

function hostPatterns(value: string | readonly string[]): readonly string[] {
  return typeof value === "string" ? value.split(/[\s,]+/).filter((p) => p !== "") : value;
}

function allowListResolver<E extends Env>(
  option: PrewarmRouterOptions<E>["allowedHosts"],
  problems: ConfigurationProblems,
): (c: Context<E>) => Promise<HostAllowList | undefined> {
  if (option !== undefined && typeof option !== "function") {
    const list = HostAllowList.compile(
      typeof option === "string" ? hostPatterns(option) : option,
    );
    return () => Promise.resolve(list);
  }
  let last: { key: string; list: HostAllowList } | undefined;
  return async (c) => {
    const value = option === undefined
      ? readVariable(c.env, ALLOWED_HOSTS_ENV_VAR)?.trim() || undefined
      : await problems.call("allowedHosts", () => option(c));
    if (value === undefined) return undefined;
    const patterns = hostPatterns(value);
    const key = Array.isArray(patterns) ? patterns.join("\n") : undefined;
    if (key !== undefined && last?.key === key) return last.list;
    const label = option === undefined ? ALLOWED_HOSTS_ENV_VAR : "option allowedHosts";
    const list = problems.check(() => HostAllowList.compile(patterns, label));
    if (key !== undefined) last = { key, list };
    return list;
  };
}

/**
 * Checks `prewarm()` options as the router will pass them, naming them `prewarm.*`.
 * @throws {TypeError} for a value of the wrong type. @throws {RangeError} for one out of range.
 */
function checkPrewarmDefaults(defaults: unknown): ReturnType<typeof resolvePrewarmOptions> {
  if (typeof defaults !== "object" || defaults === null) {
    throw new TypeError(
      `Invalid option prewarm: expected an object or a function, got ${
        defaults === null ? "null" : typeof defaults
      }`,
    );
  }
  for (const field of ["credentials", "signal"]) {
    if (field in defaults) {
      throw new TypeError(
        `Invalid option prewarm.${field}: the router sets it (pass credentials at the top level)`,
      );
    }
  }
  const { purgeFirst } = defaults as RouterPrewarmDefaults;
  try {
    optionalBoolean("purgeFirst", purgeFirst);
    // A request may set its area and the caller options: the router's default is cdn() itself.
    const options = {
      ...defaults as PrewarmOptions,
      api: (defaults as PrewarmOptions).api ?? cdn(),
      credentials: PLACEHOLDER_CREDENTIALS,
    };
    return purgeFirst
      ? resolvePurgeOptions(options as PurgeThenPrewarmOptions).resolved
      : resolvePrewarmOptions(options);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      const Kind = error instanceof RangeError ? RangeError : TypeError;
      throw new Kind(error.message.replace(/^Invalid option /, "Invalid option prewarm."));
    }
    throw error;
  }
}

/** The `prewarm()` options of a request and what they resolve to. */
type PrewarmSettings = Pick<RequestConfig, "prewarm" | "api" | "dailyLimit" | "batchSize" | "now">;

function prewarmResolver<E extends Env>(
  option: PrewarmRouterOptions<E>["prewarm"],
  problems: ConfigurationProblems,
): (c: Context<E>) => Promise<PrewarmSettings> {
  const settings = (defaults: RouterPrewarmDefaults): PrewarmSettings => {
    const resolved = checkPrewarmDefaults(defaults);
    return {
      // The account's budget and rate are the account's: every router and call shares them.
      prewarm: { ...defaults, coordinator: defaults.coordinator ?? defaultCoordinator },
      api: resolved.api,
      dailyLimit: resolved.dailyLimit,
      batchSize: resolved.batchSize,
      now: resolved.now,
    };
  };
  if (typeof option !== "function") {
    const fixed = settings(option ?? {});
    return () => Promise.resolve(fixed);
  }
  // A function usually returns the same object, or equal ones: check each object once.
  const checked = new WeakMap<object, PrewarmSettings>();
  return async (c) => {
    const defaults = await problems.call("prewarm", () => option(c));
    const known = typeof defaults === "object" && defaults !== null && checked.get(defaults);
    if (known) return known;
    const result = problems.check(() => settings(defaults));
    checked.set(defaults, result);
    return result;
  };
}

/**
 * Checks the options and applies their defaults. Values are checked here, once; what option
 * functions return is checked per request, and a problem there closes the authenticated routes
 * with 503 `not-configured` (the detail goes to the log).
 * @throws {TypeError} for a value of the wrong type.
 * @throws {RangeError} for a number out of range or a malformed host pattern.
 */
export function resolveRouterOptions<E extends Env>(
  options: PrewarmRouterOptions<E> = {},
): ResolvedRouterOptions<E> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `Invalid options: expected an object, got ${options === null ? "null" : typeof options}`,
    );
  }
  optionalFunction("authorize", options.authorize);
  const problems = new ConfigurationProblems();
  const credentials = credentialsResolver(options.credentials, problems);
  const allowedHosts = allowListResolver(options.allowedHosts, problems);
  const prewarm = prewarmResolver(options.prewarm, problems);
  const simulated = optionalBoolean("simulated", options.simulated) === true;
  const resolved: ResolvedRouterOptions<E> = {
    tokens: tokensResolver(options.tokens, problems),
    configure: async (c) => {
      const config: RequestConfig = {
        credentials: await credentials(c),
        ...await prewarm(c),
        simulated,
      };
      const list = await allowedHosts(c);
      if (list) config.allowedHosts = list;
      return config;
    },
    maxUrls: cap("maxUrls", options.maxUrls, 1000),
    maxBodyBytes: cap("maxBodyBytes", options.maxBodyBytes, 256 * 1024),
    bodyTimeoutMs: integer("bodyTimeoutMs", options.bodyTimeoutMs, 10_000, 1, MAX_TIMER_MS),
    callerOptions: checkCallerOptions(options.callerOptions),
    verify: resolveVerifyOptions(options.verify),
  };
  const consolePath = pageOption(options.console);
  if (consolePath !== undefined) resolved.consolePath = consolePath;
  const { authorize } = options;
  if (authorize) {
    resolved.authorize = async (c) => {
      try {
        return await authorize(c) === true;
      } catch (error) {
        // A chosen answer (403, a custom response) stays the answer; anything else is a fault.
        if (error instanceof HTTPException || error instanceof RouterError) throw error;
        throw problems.refuse("the authorize option function threw", error);
      }
    };
  }
  return resolved;
}

/**
 * Checks the `console` option (that its path is under no API route, `prewarmRouter()` checks
 * against its routes).
 * @returns The page's path, or `undefined` when the console is off.
 */
function pageOption(value: unknown): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return "/";
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(
      `Invalid option console: expected a boolean or { path }, got ${
        value === null ? "null" : Array.isArray(value) ? "an array" : typeof value
      }`,
    );
  }
  const { path = "/" } = value as { path?: unknown };
  if (typeof path !== "string") {
    throw new TypeError(`Invalid option console.path: expected a string, got ${typeof path}`);
  }
  // Plain segments only: the page finds the API next to itself by cutting this path off.
  if (
    !/^\/(?:[A-Za-z0-9._~-]+\/)*(?:[A-Za-z0-9._~-]+)?$/.test(path) || /\/\.\.?(?:\/|$)/.test(path)
  ) {
    throw new RangeError(
      `Invalid option console.path: expected a path such as "/" or "/console", got ${
        JSON.stringify(path.slice(0, 100))
      }`,
    );
  }
  return path;
}

/** The `CallOptions` of the reads, from the router's `prewarm()` options and the credentials. */
export function callOptions(config: RequestConfig): CallOptions {
  const { credentials, prewarm: defaults } = config;
  const options: CallOptions = { credentials, now: config.now };
  const { endpoint, timeoutMs, retries, retryDelayMs, maxRetryDelayMs, fetch } = defaults;
  // Reads go through the account's gate, as the router's prewarms do.
  options.coordinator = defaults.coordinator;
  const { maxRequestsPerSecond, rateLimitWaitMs } = defaults;
  if (maxRequestsPerSecond !== undefined) options.maxRequestsPerSecond = maxRequestsPerSecond;
  if (rateLimitWaitMs !== undefined) options.rateLimitWaitMs = rateLimitWaitMs;
  if (endpoint !== undefined) options.endpoint = endpoint;
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  if (retries !== undefined) options.retries = retries;
  if (retryDelayMs !== undefined) options.retryDelayMs = retryDelayMs;
  if (maxRetryDelayMs !== undefined) options.maxRetryDelayMs = maxRetryDelayMs;
  if (fetch !== undefined) options.fetch = fetch;
  return options;
}
