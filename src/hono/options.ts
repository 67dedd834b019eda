/**
 * The router's options, their defaults, and the checks that run once, when the router is made;
 * and reading settings the way a deployment provides them: from the Hono context's `env` (a
 * Worker's bindings and secrets) first, then from the runtime's environment.
 * @module
 */
import type { Context, Env } from "hono";
import { checkCredentials, type Credentials, credentialsFromEnv } from "../credentials.ts";
import { type CallOptions, type PrewarmOptions, resolvePrewarmOptions } from "../options.ts";
import { MemoryQuotaStore, type QuotaStore } from "../quota.ts";
import { splitTokenList, tokenProblem } from "./auth.ts";
import { RouterError } from "./errors.ts";
import { HostAllowList } from "./hosts.ts";

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
 * credentials (see {@linkcode PrewarmRouterOptions.credentials}) and the signal.
 */
export type RouterPrewarmDefaults = Omit<PrewarmOptions, "credentials" | "signal">;

/** Options of {@linkcode prewarmRouter}. Every field is optional. */
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
   * are rejected one by one with reason `"host-not-allowed"` and never sent. An array, a
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
   * Options for every `prewarm()` call: `api`, `area` (the default when a request names
   * none), `endpoint`, `fetch`, `dailyLimit`, `quotaStore`, limits and timeouts. A value or a
   * function of the context (to read an endpoint from a Worker binding, say).
   * @default {{}} (`prewarm()`'s own defaults, with a quota store owned by this router)
   */
  prewarm?: FromContext<E, RouterPrewarmDefaults>;
}

/** {@linkcode PrewarmRouterOptions} checked, with their defaults applied. */
export interface ResolvedRouterOptions<E extends Env> {
  /** The credentials for a request. @throws {RouterError} 503 when there are none. */
  credentials(c: Context<E>): Promise<Credentials>;
  /** The accepted tokens for a request. @throws {RouterError} 503 when there are none. */
  tokens(c: Context<E>): Promise<readonly string[]>;
  /** The replacement check, if any. */
  authorize?: (c: Context<E>) => boolean | Promise<boolean>;
  /** The allow-list for a request; `undefined` allows every host. @throws {RouterError} 503 when malformed. */
  allowedHosts(c: Context<E>): Promise<HostAllowList | undefined>;
  /** Most URLs per request. */
  maxUrls: number;
  /** Largest body in bytes. */
  maxBodyBytes: number;
  /** The `prewarm()` options for a request, `quotaStore` always set. */
  prewarm(c: Context<E>): Promise<RouterPrewarmDefaults & { quotaStore: QuotaStore }>;
}

const PLACEHOLDER_CREDENTIALS: Credentials = { secretId: "AKIDplaceholder", secretKey: "x" };

function notConfigured(message: string): RouterError {
  return new RouterError(503, "not-configured", message);
}

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    const seen = typeof value === "string" ? `"${value}"` : String(value);
    const Kind = typeof value === "number" ? RangeError : TypeError;
    throw new Kind(`Invalid option ${name}: expected an integer >= 1, got ${seen}`);
  }
  return value;
}

function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function") {
    throw new TypeError(`Invalid option ${name}: expected a function, got ${typeof value}`);
  }
}

/** Evaluates a {@linkcode FromContext} value. */
async function fromContext<E extends Env, T>(
  value: FromContext<E, T>,
  c: Context<E>,
): Promise<T> {
  return typeof value === "function"
    ? await (value as (c: Context<E>) => T | Promise<T>)(c)
    : value;
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

const NO_CREDENTIALS = "No Tencent Cloud credentials: set TENCENTCLOUD_SECRET_ID and " +
  "TENCENTCLOUD_SECRET_KEY (as Worker secrets or environment variables) or pass the " +
  "credentials option";

// The core's credential messages name variables and fields, never values: safe to answer with.
function checkedOrNotConfigured(read: () => unknown): Credentials {
  try {
    const value = read();
    if (value === undefined || value === null) throw new TypeError(NO_CREDENTIALS);
    return checkCredentials(value);
  } catch (error) {
    if (error instanceof TypeError) throw notConfigured(error.message);
    throw error;
  }
}

function credentialsResolver<E extends Env>(
  option: PrewarmRouterOptions<E>["credentials"],
): (c: Context<E>) => Promise<Credentials> {
  if (option !== undefined && typeof option !== "function") {
    const checked = checkCredentials(option);
    return () => Promise.resolve(checked);
  }
  if (option === undefined) {
    return (c) =>
      Promise.resolve(
        checkedOrNotConfigured(() =>
          credentialsFromEnv(bindingsOf(c.env) ?? {}) ?? credentialsFromEnv()
        ),
      );
  }
  // What the function throws is the deployment's own failure (500), not a missing setting.
  return async (c) => {
    const value = await option(c);
    return checkedOrNotConfigured(() => value);
  };
}

function tokensResolver<E extends Env>(
  option: PrewarmRouterOptions<E>["tokens"],
): (c: Context<E>) => Promise<readonly string[]> {
  const none = notConfigured(
    `No bearer tokens are configured: set ${TOKENS_ENV_VAR} (comma-separated) or pass the ` +
      "tokens or authorize option. Until then every authenticated route is closed.",
  );
  if (option !== undefined && typeof option !== "function") {
    const tokens = tokenList(option, "option tokens");
    return () => tokens.length === 0 ? Promise.reject(none) : Promise.resolve(tokens);
  }
  return async (c) => {
    const value = option === undefined
      ? readVariable(c.env, TOKENS_ENV_VAR) ?? ""
      : await option(c) ?? "";
    let tokens: string[];
    try {
      tokens = tokenList(value, option === undefined ? TOKENS_ENV_VAR : "option tokens");
    } catch (error) {
      if (error instanceof TypeError) throw notConfigured(error.message);
      throw error;
    }
    if (tokens.length === 0) throw none;
    return tokens;
  };
}

function hostPatterns(value: string | readonly string[]): readonly string[] {
  return typeof value === "string" ? value.split(/[\s,]+/).filter((p) => p !== "") : value;
}

function allowListResolver<E extends Env>(
  option: PrewarmRouterOptions<E>["allowedHosts"],
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
      : await option(c);
    if (value === undefined) return undefined;
    const patterns = hostPatterns(value);
    const key = Array.isArray(patterns) ? patterns.join("\n") : undefined;
    if (key !== undefined && last?.key === key) return last.list;
    try {
      const label = option === undefined ? ALLOWED_HOSTS_ENV_VAR : "option allowedHosts";
      const list = HostAllowList.compile(patterns, label);
      if (key !== undefined) last = { key, list };
      return list;
    } catch (error) {
      if (error instanceof TypeError || error instanceof RangeError) {
        throw notConfigured(error.message);
      }
      throw error;
    }
  };
}

function checkPrewarmDefaults(defaults: unknown): void {
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
  try {
    resolvePrewarmOptions({ ...defaults as PrewarmOptions, credentials: PLACEHOLDER_CREDENTIALS });
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      const Kind = error instanceof RangeError ? RangeError : TypeError;
      throw new Kind(error.message.replace(/^Invalid option /, "Invalid option prewarm."));
    }
    throw error;
  }
}

/**
 * Checks the options and applies their defaults.
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
  checkFunction("authorize", options.authorize);
  const prewarmOption = options.prewarm ?? {};
  if (typeof prewarmOption !== "function") checkPrewarmDefaults(prewarmOption);
  // One budget per router unless the caller brings a store: two routers never share by accident.
  const routerStore = new MemoryQuotaStore();
  const resolved: ResolvedRouterOptions<E> = {
    credentials: credentialsResolver(options.credentials),
    tokens: tokensResolver(options.tokens),
    allowedHosts: allowListResolver(options.allowedHosts),
    maxUrls: positiveInteger("maxUrls", options.maxUrls, 1000),
    maxBodyBytes: positiveInteger("maxBodyBytes", options.maxBodyBytes, 256 * 1024),
    prewarm: async (c) => {
      const defaults = await fromContext(prewarmOption, c);
      if (typeof defaults !== "object" || defaults === null) {
        throw new TypeError("The prewarm option function returned no object");
      }
      return { ...defaults, quotaStore: defaults.quotaStore ?? routerStore };
    },
  };
  if (options.authorize) resolved.authorize = options.authorize;
  return resolved;
}

/** The `CallOptions` part of the router's `prewarm()` options, with the credentials. */
export function callOptions(
  defaults: RouterPrewarmDefaults,
  credentials: Credentials,
): CallOptions {
  const options: CallOptions = { credentials };
  const { endpoint, timeoutMs, retries, retryDelayMs, maxRetryDelayMs, fetch, now } = defaults;
  if (endpoint !== undefined) options.endpoint = endpoint;
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  if (retries !== undefined) options.retries = retries;
  if (retryDelayMs !== undefined) options.retryDelayMs = retryDelayMs;
  if (maxRetryDelayMs !== undefined) options.maxRetryDelayMs = maxRetryDelayMs;
  if (fetch !== undefined) options.fetch = fetch;
  if (now !== undefined) options.now = now;
  return options;
}
