/**
 * The one outcome policy: what every failure means and what the client does about it.
 *
 * Each upstream answer, HTTP status and network failure is named by a category (the tables
 * below); each category maps to `{ retry, spent, stop }` ({@linkcode OUTCOME_POLICY}), and to
 * advice in `advice.ts`. `prewarm()`, the reads, the router and the command line all decide
 * from here, so "is X retried?" has one answer, in one table (mirrored in docs/reliability.md,
 * which a test checks against it).
 * @module
 */

/**
 * What kind of failure a `TencentCloudError` is. Its policy is in {@linkcode OUTCOME_POLICY}:
 *
 * - `rate-limit`: too many requests; certainly not processed.
 * - `unavailable`: refused or temporarily down (connection refused, temporary DNS failure,
 *   HTTP 429/503, `ServiceUnavailable`, a resource busy); certainly not processed.
 * - `daily-limit`: the day's quota is spent.
 * - `batch-limit`: too many URLs (or bytes) in one request.
 * - `domain`: the URL's domain is not on the account, not online, locked, in a state or
 *   configuration that refuses prefetch, or this key may not act on it.
 * - `invalid-request`: a parameter Tencent refused.
 * - `endpoint`: nothing was processed and every request would fail alike: nothing reached
 *   Tencent (unreachable host, TLS failure, a non-Tencent HTTP error page, a request `fetch`
 *   refused to send), or the endpoint does not serve this API (`InvalidAction`, `NoSuchVersion`).
 * - `credentials`: the key, its signature or its permissions were refused.
 * - `account`: the account cannot prefetch (suspended, identity not verified, CDN not
 *   activated, moved to EdgeOne, no such EdgeOne zone), or its API IP list refuses this machine.
 * - `server`, `timeout`, `network`: the request may have been processed (server failure,
 *   no answer in time, connection dropped after sending).
 * - `unknown`: an error code this module does not know.
 */
export type ErrorCategory =
  | "rate-limit"
  | "unavailable"
  | "daily-limit"
  | "batch-limit"
  | "domain"
  | "invalid-request"
  | "endpoint"
  | "credentials"
  | "account"
  | "server"
  | "timeout"
  | "network"
  | "unknown";

/**
 * What the client does after an outcome:
 * - `retry`: `"rate"` (again once the shared request gate has slowed down, within
 *   `rateLimitWaitMs`, without using up `retries`), `"backoff"` (again after a backoff, up to
 *   `retries`), `"split"` (the batch is halved and both halves sent), `"ambiguous"` (only with
 *   `retryAmbiguous`: it may spend the quota twice; reads, being idempotent, always retry it),
 *   `"no"`.
 * - `spent`: whether the request may have spent quota: `"no"`, `"maybe"` or `"yes"` (success).
 * - `stop`: what else stops: `"none"`, `"host"` (the rest of the host's batches fail with the
 *   same error, unsent) or `"run"` (nothing else is sent).
 */
export interface Outcome {
  /** Whether and how the same request is sent again. */
  retry: "rate" | "backoff" | "split" | "ambiguous" | "no";
  /** Whether the request may have spent quota. */
  spent: "no" | "maybe" | "yes";
  /** What else stops. */
  stop: "none" | "host" | "run";
}

/** The policy of each category, and of a success. */
export const OUTCOME_POLICY: Readonly<
  Record<ErrorCategory | "success", Readonly<Outcome>>
> = {
  "success": { retry: "no", spent: "yes", stop: "none" },
  "rate-limit": { retry: "rate", spent: "no", stop: "none" },
  "unavailable": { retry: "backoff", spent: "no", stop: "none" },
  "daily-limit": { retry: "no", spent: "no", stop: "run" },
  "batch-limit": { retry: "split", spent: "no", stop: "none" },
  "domain": { retry: "no", spent: "no", stop: "host" },
  "invalid-request": { retry: "no", spent: "no", stop: "none" },
  "endpoint": { retry: "no", spent: "no", stop: "run" },
  "credentials": { retry: "no", spent: "no", stop: "run" },
  "account": { retry: "no", spent: "no", stop: "run" },
  "server": { retry: "ambiguous", spent: "maybe", stop: "none" },
  "timeout": { retry: "ambiguous", spent: "maybe", stop: "none" },
  "network": { retry: "ambiguous", spent: "maybe", stop: "none" },
  "unknown": { retry: "no", spent: "no", stop: "none" },
};

/**
 * What each API 3.0 code means: the code's own row, else its family's (the part before the first
 * dot: `AuthFailure.*`). Every code Tencent lists for the actions called here, and the common
 * codes, has a deliberate row, here or in its API's own rows ({@linkcode ErrorRows}):
 * docs/tencent-error-codes.md gives each its source and its reason, and a test holds them
 * together.
 */
export const V3_CATEGORIES: Readonly<Record<string, ErrorCategory>> = {
  // No prototype: a code such as "constructor" must not find Object's members.
  __proto__: null as never,
  // Families (and the bare codes of the common list).
  "RequestLimitExceeded": "rate-limit",
  "LimitExceeded": "daily-limit",
  "RequestSizeLimitExceeded": "batch-limit",
  "ResourceNotFound": "domain",
  "ResourceUnavailable": "domain",
  "ResourceInUse": "unavailable",
  "ResourceInsufficient": "unavailable",
  "ServiceUnavailable": "unavailable",
  "AuthFailure": "credentials",
  "UnauthorizedOperation": "credentials",
  "OperationDenied": "account",
  "IpInBlacklist": "account",
  "IpNotInWhitelist": "account",
  "InvalidAction": "endpoint",
  "ActionOffline": "endpoint",
  "NoSuchVersion": "endpoint",
  "NoSuchProduct": "endpoint",
  "UnsupportedProtocol": "endpoint",
  "UnsupportedRegion": "endpoint",
  "InternalError": "server",
  "FailedOperation": "server",
  "ResponseSizeLimitExceeded": "server",
  "InvalidParameter": "invalid-request",
  "InvalidParameterValue": "invalid-request",
  "MissingParameter": "invalid-request",
  "UnknownParameter": "invalid-request",
  "UnsupportedOperation": "invalid-request",
  "InvalidRequest": "invalid-request",
  "DryRunOperation": "invalid-request",
  // Codes whose meaning is not their family's.
  "LimitExceeded.CdnHostOpTooOften": "rate-limit",
  "UnauthorizedOperation.OperationTooOften": "rate-limit",
  "LimitExceeded.CdnPushExceedBatchLimit": "batch-limit",
  "UnauthorizedOperation.CdnHostUnauthorized": "domain",
  "UnauthorizedOperation.CdnProjectUnauthorized": "domain",
  "UnauthorizedOperation.CdnTagUnauthorized": "domain",
  "UnauthorizedOperation.CdnHostIsOwnedByOther": "domain",
  "UnauthorizedOperation.CdnHostIsUsedByOther": "domain",
  "InvalidParameter.CdnHostInvalidStatus": "domain",
  "InvalidParameter.CdnHostInvalidMiddleConfig": "domain",
  "InvalidParameter.CdnHostInvalidParam": "domain",
  "UnauthorizedOperation.CdnUserIsIsolated": "account",
  "UnauthorizedOperation.CdnUserIsSuspended": "account",
  "UnauthorizedOperation.CdnUserAuthFail": "account",
  "UnauthorizedOperation.CdnUserAuthWait": "account",
  "UnauthorizedOperation.CdnInvalidUserStatus": "account",
  "UnauthorizedOperation.CdnUserNoWhitelist": "account",
  "UnauthorizedOperation.CdnAccountUnauthorized": "account",
  "UnauthorizedOperation.EcdnMigratedCdn": "account",
  "UnauthorizedOperation.OpNoAuth": "account",
  "ResourceNotFound.CdnUserNotExists": "account",
  "ResourceUnavailable.CheckUserHighRisk": "account",
  "InvalidParameter.CdnInterfaceError": "server",
  "UnauthorizedOperation.Unknown": "server",
};

/**
 * An API's own error rows, on top of the shared ones ({@linkcode V3_CATEGORIES} and the advice
 * of `advice.ts`): the codes only its actions answer with (EdgeOne's zone codes, purge's batch
 * limits, API 2.0's numeric codes), what each means and what to do about it. They live in the
 * API's module, so a bundle carries them only with the API.
 */
export interface ErrorRows {
  /** What each of its codes means, where the shared table has no row of its own for it. */
  readonly categories?: Readonly<Record<string, ErrorCategory>>;
  /** What to do about each of its codes, written as the shared advice is (`{word}`s). */
  readonly advice?: Readonly<Record<string, string>>;
}

/** The row a table has for `code` itself (never one of Object's members), else `undefined`. */
export function ownRow<T>(
  table: Readonly<Record<string, T>> | undefined,
  code: string,
): T | undefined {
  return table && Object.hasOwn(table, code) ? table[code] : undefined;
}

/**
 * Decides what an API 3.0 `Error.Code` means (on the code only, never the message): the API's
 * own row (`rows`), else the code's shared row, else its family's.
 */
export function classifyV3Error(code: string, rows?: ErrorRows): ErrorCategory {
  return ownRow(rows?.categories, code) ?? V3_CATEGORIES[code] ??
    V3_CATEGORIES[code.split(".")[0]!] ?? "unknown";
}

/**
 * Decides what an HTTP answer without a readable Tencent document means. A 2xx whose body could
 * not be read was accepted first: the server may have acted on it (`server`).
 */
export function classifyHttpStatus(status: number): ErrorCategory {
  if (status === 429 || status === 503) return "unavailable";
  if (status >= 500 || (status >= 200 && status < 300)) return "server";
  return "endpoint";
}

const REFUSED = /ECONNREFUSED|ConnectionRefused|connection refused/i;
// Resolver answers that say "try again" (EAI_AGAIN), then those that say the name does not
// exist or TLS failed, then any other resolver failure: nothing was sent in any of them.
const DNS_AGAIN = /EAI_AGAIN|temporary failure in name resolution|try again/i;
const UNREACHABLE =
  /ENOTFOUND|name or service not known|nodename nor servname|no such host|certificate|CERT_|UNABLE_TO_VERIFY|invalid peer/i;
const DNS_OTHER = /dns error|failed to lookup|getaddrinfo|name resolution/i;

/**
 * Decides what a `fetch` rejection that came before any answer means, from the error's codes
 * and messages down its cause chain (read here, never quoted: a fetch error can hold the URL,
 * and an API 2.0 GET URL holds the signature).
 */
export function classifyConnectionFailure(error: unknown): {
  category: ErrorCategory;
  code: string;
  summary: string;
} {
  const parts: string[] = [];
  let current: unknown = error;
  for (
    let depth = 0;
    depth < 4 && typeof current === "object" && current !== null;
    depth++
  ) {
    const { code, message, name } = current as Record<string, unknown>;
    parts.push(String(code ?? ""), String(name ?? ""), String(message ?? ""));
    current = (current as { cause?: unknown }).cause;
  }
  if (typeof error === "string") parts.push(error);
  const text = parts.join(" ");
  if (REFUSED.test(text)) {
    return {
      category: "unavailable",
      code: "NetworkError.ConnectionRefused",
      summary: "The connection was refused",
    };
  }
  if (!DNS_AGAIN.test(text) && UNREACHABLE.test(text)) {
    return {
      category: "endpoint",
      code: "NetworkError.Unreachable",
      summary: "The endpoint could not be reached (its name does not resolve, or TLS failed)",
    };
  }
  if (DNS_AGAIN.test(text) || DNS_OTHER.test(text)) {
    return {
      category: "unavailable",
      code: "NetworkError.DnsTemporary",
      summary: "Name resolution failed for now; nothing was sent",
    };
  }
  return {
    category: "network",
    code: "NetworkError.ConnectionDropped",
    summary: "The connection failed after the request may have been sent",
  };
}
