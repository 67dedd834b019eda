/**
 * The one error class callers catch, and the rules that decide what each upstream answer means.
 * @module
 */

/**
 * What kind of failure a {@linkcode TencentCloudError} is, which decides what the client does:
 *
 * - `rate-limit`, `unavailable`: certainly not processed; retried with backoff.
 * - `daily-limit`: the day's quota is spent; the run stops sending.
 * - `batch-limit`: too many URLs in one request; the batch is split and sent again.
 * - `domain`: the URL's domain is not on the account, not online, or not allowed.
 * - `invalid-request`: a parameter Tencent refused.
 * - `credentials`, `account`: nothing else can succeed with these keys; the run stops sending.
 * - `server`, `timeout`: the request may have been processed (`maybeSubmitted`).
 * - `network`: the connection failed (see `maybeSubmitted` for whether it got as far as sending).
 * - `unknown`: an error code this module does not know; not retried.
 */
export type ErrorCategory =
  | "rate-limit"
  | "unavailable"
  | "daily-limit"
  | "batch-limit"
  | "domain"
  | "invalid-request"
  | "credentials"
  | "account"
  | "server"
  | "timeout"
  | "network"
  | "unknown";

/** The fields of a {@linkcode TencentCloudError}, also what its `toJSON()` returns. */
export interface TencentCloudErrorInit {
  /** The API 3.0 `Error.Code`, the API 2.0 numeric `code` as a string, or a local code. */
  code: string;
  /** API 2.0 only: the module code from the `(NNNN)` prefix of `message`. */
  moduleCode?: string;
  /** The `RequestId` Tencent gave the request, when it answered. */
  requestId?: string;
  /** The HTTP status of the answer, when there was one. */
  httpStatus?: number;
  /** What kind of failure this is. */
  category: ErrorCategory;
  /** True when sending the same request again is safe: it certainly spent no quota. */
  retryable: boolean;
  /** True when the request may have been processed (and quota spent) despite the error. */
  maybeSubmitted: boolean;
  /** What went wrong and what to do about it. */
  message: string;
}

/**
 * An error reported by Tencent Cloud, or a failure to get an answer from it.
 *
 * It never holds the secret key, the session token, a signature or the request itself, so it
 * is safe to log and to serialize (`JSON.stringify(error)` keeps every field).
 */
export class TencentCloudError extends Error {
  /** The API 3.0 `Error.Code`, the API 2.0 numeric `code` as a string, or a local code
   * (`NetworkError.*`, `HttpError`, `InvalidResponse`). */
  readonly code: string;
  /** API 2.0 only: the module code from the `(NNNN)` prefix of the upstream message. */
  readonly moduleCode?: string;
  /** The `RequestId` Tencent gave the request, when it answered. */
  readonly requestId?: string;
  /** The HTTP status of the answer, when there was one. */
  readonly httpStatus?: number;
  /** What kind of failure this is. */
  readonly category: ErrorCategory;
  /** True when sending the same request again is safe: it certainly spent no quota. */
  readonly retryable: boolean;
  /** True when the request may have been processed (and quota spent) despite the error. */
  readonly maybeSubmitted: boolean;

  /** Creates an error from its fields; see {@linkcode classifyV3Error} and friends. */
  constructor(init: TencentCloudErrorInit) {
    super(init.message);
    this.name = "TencentCloudError";
    this.code = init.code;
    if (init.moduleCode !== undefined) this.moduleCode = init.moduleCode;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    this.category = init.category;
    this.retryable = init.retryable;
    this.maybeSubmitted = init.maybeSubmitted;
  }

  /** The error's fields as plain data (what `JSON.stringify` writes). */
  toJSON(): TencentCloudErrorInit & { name: string } {
    return {
      name: this.name,
      code: this.code,
      ...(this.moduleCode !== undefined && { moduleCode: this.moduleCode }),
      ...(this.requestId !== undefined && { requestId: this.requestId }),
      ...(this.httpStatus !== undefined && { httpStatus: this.httpStatus }),
      category: this.category,
      retryable: this.retryable,
      maybeSubmitted: this.maybeSubmitted,
      message: this.message,
    };
  }
}

const MAYBE = "It may have been processed: check describePushTasks before sending it again";

const HINTS: Record<ErrorCategory, string> = {
  "rate-limit": "Rate-limited: lower concurrency or maxRequestsPerSecond.",
  "unavailable": "Temporarily unavailable: try again later.",
  "daily-limit": "The daily quota is spent: it resets at 00:00 Beijing time (UTC+8).",
  "batch-limit": "Too many URLs in one request: lower batchSize.",
  "domain": "Check that the domain is on this account's CDN, online, and serves this area.",
  "invalid-request": "Check the URLs and options.",
  "credentials":
    "Check TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, the token, and the key's CDN permissions.",
  "account": "This account cannot use CDN prefetch: see the Tencent Cloud console.",
  "server": MAYBE + ".",
  "timeout": MAYBE + " (or set retryAmbiguous).",
  "network": "Check the endpoint and the network.",
  "unknown": "See Tencent Cloud's error code documentation.",
};

const CLOCK = "The local clock is over 5 minutes off: synchronise it.";
const WRONG_KEY = "TENCENTCLOUD_SECRET_KEY does not match TENCENTCLOUD_SECRET_ID.";
const NO_ID = "TENCENTCLOUD_SECRET_ID names no key.";
const BAD_TOKEN = "The session token is wrong or expired.";

// Codes whose advice is more precise than their category's. API 2.0 codes share it.
const CODE_HINTS: Record<string, string> = {
  "AuthFailure.SignatureExpire": CLOCK,
  "AuthFailure.SecretIdNotFound": NO_ID,
  "AuthFailure.SignatureFailure": WRONG_KEY,
  "AuthFailure.TokenFailure": BAD_TOKEN,
  "OperationDenied.ProductUpgraded": "This account's CDN moved to EdgeOne: use EdgeOne's API.",
  "OperationDenied.UserMigrating": "This account is moving to EdgeOne: retry after the move.",
  "4100": WRONG_KEY,
  "4104": NO_ID,
  "4105": BAD_TOKEN,
  "4200": CLOCK,
  "4500": CLOCK,
};

/** What an error code means to the client. */
export interface ErrorClassification {
  category: ErrorCategory;
  retryable: boolean;
  maybeSubmitted: boolean;
}

function classification(category: ErrorCategory): ErrorClassification {
  return {
    category,
    retryable: category === "rate-limit" || category === "unavailable",
    maybeSubmitted: category === "server" || category === "timeout",
  };
}

const V3_EXACT: Record<string, ErrorCategory> = {
  "LimitExceeded.CdnHostOpTooOften": "rate-limit",
  "UnauthorizedOperation.OperationTooOften": "rate-limit",
  "LimitExceeded.CdnPushExceedDayLimit": "daily-limit",
  "LimitExceeded.CdnPushExceedBatchLimit": "batch-limit",
  "ResourceNotFound.CdnHostNotExists": "domain",
  "UnauthorizedOperation.CdnHostUnauthorized": "domain",
  "ResourceUnavailable.CdnHostIsNotOnline": "domain",
  "ServiceUnavailable": "unavailable",
  "OperationDenied.ProductUpgraded": "account",
  "OperationDenied.UserMigrating": "account",
};

const V3_PREFIX: ReadonlyArray<readonly [string, ErrorCategory]> = [
  ["RequestLimitExceeded", "rate-limit"],
  ["AuthFailure", "credentials"],
  ["UnauthorizedOperation", "credentials"],
  ["InternalError", "server"],
  ["InvalidParameter", "invalid-request"],
  ["InvalidParameterValue", "invalid-request"],
  ["MissingParameter", "invalid-request"],
  ["UnknownParameter", "invalid-request"],
  ["InvalidAction", "invalid-request"],
  ["UnsupportedOperation", "invalid-request"],
];

/** Decides what an API 3.0 `Error.Code` means (on the code only, never the message). */
export function classifyV3Error(code: string): ErrorClassification {
  const exact = V3_EXACT[code];
  if (exact) return classification(exact);
  for (const [prefix, category] of V3_PREFIX) {
    if (code === prefix || code.startsWith(prefix + ".")) return classification(category);
  }
  return classification("unknown");
}

const V2_MODULE: Record<string, ErrorCategory> = {
  "23100": "batch-limit",
  "23101": "daily-limit",
  "21000": "daily-limit",
  "23103": "credentials",
  "9105": "domain",
  "9110": "domain",
  "9307": "domain",
  "25002": "domain",
  "28006": "domain",
  "28008": "domain",
  "9163": "rate-limit",
  "22063": "rate-limit",
  "9000": "server",
  "22800": "server",
  "-9015": "server",
};

function v2CodeCategory(code: number): ErrorCategory {
  if (code === 4400) return "rate-limit";
  if (code >= 4100 && code <= 4300) return "credentials";
  if (code === 4500) return "credentials";
  if (code === 4000 || code === 4600 || code === 6100) return "invalid-request";
  if (code === 5000) return "domain";
  if (code === 5400 || code === 6000) return "server";
  if (code === 6200) return "unavailable";
  return "unknown";
}

/** Decides what an API 2.0 answer means: on the module code when there is one, else `code`. */
export function classifyV2Error(code: string, moduleCode?: string): ErrorClassification {
  const byModule = moduleCode === undefined ? undefined : V2_MODULE[moduleCode];
  return classification(byModule ?? v2CodeCategory(Number(code)));
}

function describe(
  summary: string,
  code: string,
  moduleCode: string | undefined,
  category: ErrorCategory,
): string {
  const id = moduleCode === undefined ? code : `${code}, module ${moduleCode}`;
  const lead = summary.trim() === "" ? "Tencent Cloud refused the request" : summary.trim();
  return `${lead} (${id}). ${CODE_HINTS[code] ?? HINTS[category]}`;
}

/** Builds the error for an API 3.0 `Response.Error`. */
export function v3Error(
  code: string,
  message: string,
  requestId: string | undefined,
  httpStatus: number,
): TencentCloudError {
  const classified = classifyV3Error(code);
  return new TencentCloudError({
    code,
    requestId,
    httpStatus,
    ...classified,
    message: describe(message, code, undefined, classified.category),
  });
}

/** Builds the error for an API 2.0 answer whose `code` is not 0; reads `(NNNN)` off `message`. */
export function v2Error(
  code: string,
  message: string,
  httpStatus: number,
): TencentCloudError {
  const match = /^\s*\((-?\d+)\)\s*/.exec(message);
  const moduleCode = match?.[1];
  const rest = match ? message.slice(match[0].length) : message;
  const classified = classifyV2Error(code, moduleCode);
  return new TencentCloudError({
    code,
    moduleCode,
    httpStatus,
    ...classified,
    message: describe(rest, code, moduleCode, classified.category),
  });
}

/** Builds an error for a failure with no usable Tencent answer (network, HTTP, bad body). */
export function localError(
  code: string,
  category: ErrorCategory,
  summary: string,
  extra: { httpStatus?: number; maybeSubmitted?: boolean; retryable?: boolean } = {},
): TencentCloudError {
  const base = classification(category);
  return new TencentCloudError({
    code,
    httpStatus: extra.httpStatus,
    category,
    retryable: extra.retryable ?? base.retryable,
    maybeSubmitted: extra.maybeSubmitted ?? base.maybeSubmitted,
    message: `${summary}. ${HINTS[category]}`,
  });
}

/**
 * Returns the error with every occurrence of the given secrets in its message masked; the
 * error itself when none occurs. Upstream messages are the only text that could echo one.
 */
export function scrubSecrets(
  error: TencentCloudError,
  secrets: ReadonlyArray<string | undefined>,
): TencentCloudError {
  let message = error.message;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) message = message.replaceAll(secret, "[redacted]");
  }
  return message === error.message ? error : new TencentCloudError({ ...error.toJSON(), message });
}
