/**
 * Tencent Cloud credentials: their shape, where they come from, and how they are checked.
 * @module
 */

/** A Tencent Cloud API key pair, with the session token of temporary keys. */
export interface Credentials {
  /** The `SecretId` (starts with `AKID` for permanent keys). */
  secretId: string;
  /** The `SecretKey`. Only ever used to sign; never copied into errors or reports. */
  secretKey: string;
  /** The session token that comes with temporary (STS) keys. */
  token?: string;
}

/** The environment variables {@linkcode credentialsFromEnv} reads, as Tencent's tools name them. */
export const CREDENTIAL_ENV_VARS = {
  secretId: "TENCENTCLOUD_SECRET_ID",
  secretKey: "TENCENTCLOUD_SECRET_KEY",
  token: ["TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_TOKEN"],
} as const;

type EnvReader = (name: string) => string | undefined;

function runtimeEnv(): EnvReader {
  const g = globalThis as {
    Deno?: { env?: { get(name: string): string | undefined } };
    process?: { env?: Record<string, string | undefined> };
  };
  if (g.Deno?.env) {
    const denoEnv = g.Deno.env;
    return (name) => {
      try {
        return denoEnv.get(name);
      } catch {
        return undefined; // No --allow-env: treat as unset rather than fail here.
      }
    };
  }
  const processEnv = g.process?.env;
  return (name) => processEnv?.[name];
}

function recordEnv(env: Readonly<Record<string, unknown>>): EnvReader {
  return (name) => {
    const value = env[name];
    return typeof value === "string" ? value : undefined;
  };
}

/**
 * Reads credentials from `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and
 * `TENCENTCLOUD_SESSION_TOKEN` (or `TENCENTCLOUD_TOKEN`).
 *
 * @param env A record to read, such as a Cloudflare Worker's `env`. Without it, the runtime's
 * environment (`Deno.env` or `process.env`) is read when there is one.
 * @returns The credentials, or `undefined` when neither the id nor the key is set.
 * @throws {TypeError} when only one of the id and the key is set.
 *
 * @example
 * ```ts
 * import { credentialsFromEnv } from "@qcdn/prewarm";
 * const credentials = credentialsFromEnv(); // reads Deno.env / process.env
 * ```
 */
export function credentialsFromEnv(
  env?: Readonly<Record<string, unknown>>,
): Credentials | undefined {
  const read = env ? recordEnv(env) : runtimeEnv();
  const secretId = read(CREDENTIAL_ENV_VARS.secretId)?.trim() || undefined;
  const secretKey = read(CREDENTIAL_ENV_VARS.secretKey)?.trim() || undefined;
  if (secretId === undefined && secretKey === undefined) return undefined;
  if (secretId === undefined || secretKey === undefined) {
    const missing = secretId === undefined
      ? CREDENTIAL_ENV_VARS.secretId
      : CREDENTIAL_ENV_VARS.secretKey;
    throw new TypeError(`Cannot read credentials: ${missing} is not set, but its pair is`);
  }
  const token = CREDENTIAL_ENV_VARS.token.map((name) => read(name)?.trim()).find(Boolean);
  return token ? { secretId, secretKey, token } : { secretId, secretKey };
}

/**
 * Checks a credentials value and returns a copy holding only the known fields.
 * Messages name the field and never echo a secret.
 *
 * @throws {TypeError} when the value is missing or malformed.
 */
export function checkCredentials(value: unknown): Credentials {
  if (value === undefined || value === null) {
    throw new TypeError(
      "Missing credentials: pass options.credentials or set " +
        `${CREDENTIAL_ENV_VARS.secretId} and ${CREDENTIAL_ENV_VARS.secretKey}`,
    );
  }
  if (typeof value !== "object") {
    throw new TypeError(`Invalid credentials: expected an object, got ${typeof value}`);
  }
  const { secretId, secretKey, token } = value as Record<string, unknown>;
  if (typeof secretId !== "string" || !/^[\x21-\x7e]+$/.test(secretId)) {
    throw new TypeError("Invalid credentials.secretId: expected printable ASCII, no spaces");
  }
  if (typeof secretKey !== "string" || secretKey.length === 0) {
    throw new TypeError("Invalid credentials.secretKey: expected a non-empty string");
  }
  if (token !== undefined && (typeof token !== "string" || /[\r\n]/.test(token))) {
    throw new TypeError("Invalid credentials.token: expected a string without line breaks");
  }
  return token ? { secretId, secretKey, token } : { secretId, secretKey };
}

/**
 * The environment variable that points CDN API 3.0 calls at another server than Tencent
 * Cloud's `https://cdn.tencentcloudapi.com/`: the local simulator (`deno task simulator`), a
 * proxy, or the international site. Why the library reads it, and where: `docs/api.md`.
 */
export const ENDPOINT_ENV_VAR = "TENCENTCLOUD_ENDPOINT";

/**
 * Reads `TENCENTCLOUD_ENDPOINT`, the endpoint of CDN API 3.0 calls when `endpoint` is not
 * given. The value is checked where it is used, and an error then names the variable.
 *
 * @param env A record to read, such as a Cloudflare Worker's `env`. Without it, `Deno.env` or
 * `process.env` is read on Deno, Node and Bun; never on Cloudflare Workers, where `process.env`
 * (with `nodejs_compat`) mirrors every binding: there only the `env` passed here counts.
 * @returns The trimmed value, or `undefined` when it is unset or blank.
 *
 * @example
 * ```ts
 * import { credentialsFromEnv, endpointFromEnv, prewarm } from "@qcdn/prewarm";
 *
 * export default {
 *   async fetch(request: Request, env: Record<string, unknown>): Promise<Response> {
 *     const { urls } = await request.json() as { urls: string[] };
 *     const credentials = credentialsFromEnv(env)!;
 *     return Response.json(await prewarm(urls, { credentials, endpoint: endpointFromEnv(env) }));
 *   },
 * };
 * ```
 */
export function endpointFromEnv(env?: Readonly<Record<string, unknown>>): string | undefined {
  // Cloudflare Workers (workerd) names itself so in `navigator.userAgent`.
  const g = globalThis as { navigator?: { userAgent?: unknown } };
  if (!env && g.navigator?.userAgent === "Cloudflare-Workers") return undefined;
  return (env ? recordEnv(env) : runtimeEnv())(ENDPOINT_ENV_VAR)?.trim() || undefined;
}
