/**
 * The one error class callers catch, and the rules that decide what each upstream answer means.
 * @module
 */
import { secretRedactor } from "./redact.ts";

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

/** The fields of a {@linkcode TencentCloudError}: what its `toJSON()` returns, minus `name`. */
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
  /** True when sending the same request again is safe: it certainly spent no quota.
   * @default {true} for `rate-limit` and `unavailable` */
  retryable?: boolean;
  /** True when the request may have been processed (and quota spent) despite the error.
   * @default {true} for `server` and `timeout` */
  maybeSubmitted?: boolean;
  /** What went wrong and what to do about it. */
  message: string;
}

/** What `TencentCloudError.toJSON()` returns. */
export interface TencentCloudErrorJSON extends TencentCloudErrorInit {
  /** Always `"TencentCloudError"`. */
  name: string;
  /** See {@linkcode TencentCloudError.retryable}. */
  retryable: boolean;
  /** See {@linkcode TencentCloudError.maybeSubmitted}. */
  maybeSubmitted: boolean;
}

const FIELDS = [
  "code",
  "moduleCode",
  "requestId",
  "httpStatus",
  "category",
  "retryable",
  "maybeSubmitted",
] as const;

/**
 * An error reported by Tencent Cloud, or a failure to get an answer from it.
 *
 * It never holds the secret key, the session token, a signature or the request itself, so it
 * is safe to log and to serialize (`JSON.stringify(error)` keeps every field).
 */
export class TencentCloudError extends Error {
  /** The API 3.0 `Error.Code`, the API 2.0 numeric `code` as a string, or a local code
   * (`NetworkError.*`, `HttpError`, `InvalidResponse`, `ClientError`). */
  declare readonly code: string;
  /** API 2.0 only: the module code from the `(NNNN)` prefix of the upstream message. */
  declare readonly moduleCode?: string;
  /** The `RequestId` Tencent gave the request, when it answered. */
  declare readonly requestId?: string;
  /** The HTTP status of the answer, when there was one. */
  declare readonly httpStatus?: number;
  /** What kind of failure this is. */
  declare readonly category: ErrorCategory;
  /** True when sending the same request again is safe: it certainly spent no quota. */
  declare readonly retryable: boolean;
  /** True when the request may have been processed (and quota spent) despite the error. */
  declare readonly maybeSubmitted: boolean;

  /** Creates an error from its fields; `retryable` and `maybeSubmitted` follow the category
   * unless given. */
  constructor(init: TencentCloudErrorInit) {
    super(init.message);
    this.name = "TencentCloudError";
    const { category } = init;
    const fields: Record<string, unknown> = {
      ...init,
      retryable: init.retryable ?? (category === "rate-limit" || category === "unavailable"),
      maybeSubmitted: init.maybeSubmitted ?? (category === "server" || category === "timeout"),
    };
    for (const key of FIELDS) {
      if (fields[key] !== undefined) (this as Record<string, unknown>)[key] = fields[key];
    }
  }

  /** The error's fields as plain data (what `JSON.stringify` writes). */
  toJSON():
    & Required<Pick<TencentCloudErrorInit, "retryable" | "maybeSubmitted">>
    & TencentCloudErrorInit
    & { name: string } {
    const json: Record<string, unknown> = { name: this.name };
    for (const key of FIELDS) if (this[key] !== undefined) json[key] = this[key];
    json.message = this.message;
    return json as unknown as TencentCloudErrorJSON;
  }
}

const MAYBE =
  "It may have been processed: look its URLs up with describePushTasks (by keyword and time) before sending them again";

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

// API 3.0 codes, exact or by the part before the first dot (`AuthFailure.*`).
const V3_CATEGORIES: Record<string, ErrorCategory> = {
  "RequestLimitExceeded": "rate-limit",
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
  "AuthFailure": "credentials",
  "UnauthorizedOperation": "credentials",
  "InternalError": "server",
  "InvalidParameter": "invalid-request",
  "InvalidParameterValue": "invalid-request",
  "MissingParameter": "invalid-request",
  "UnknownParameter": "invalid-request",
  "InvalidAction": "invalid-request",
  "UnsupportedOperation": "invalid-request",
};

/** Decides what an API 3.0 `Error.Code` means (on the code only, never the message). */
export function classifyV3Error(code: string): ErrorCategory {
  return V3_CATEGORIES[code] ?? V3_CATEGORIES[code.split(".")[0]!] ?? "unknown";
}

const V2_MODULE_CATEGORIES: Record<string, ErrorCategory> = {
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

/** Decides what an API 2.0 answer means: on the module code when there is one, else `code`. */
export function classifyV2Error(code: string, moduleCode?: string): ErrorCategory {
  const known = moduleCode && V2_MODULE_CATEGORIES[moduleCode];
  if (known) return known;
  const n = Number(code);
  return n === 4400
    ? "rate-limit"
    : (n >= 4100 && n <= 4300) || n === 4500
    ? "credentials"
    : n === 4000 || n === 4600 || n === 6100
    ? "invalid-request"
    : n === 5000
    ? "domain"
    : n === 5400 || n === 6000
    ? "server"
    : n === 6200
    ? "unavailable"
    : "unknown";
}

/**
 * Builds the error for an upstream error answer: API 3.0 `Response.Error`, or an API 2.0
 * answer whose `code` is not 0 (its `(NNNN)` message prefix becomes `moduleCode`).
 */
export function upstreamError(
  api: "v2" | "v3",
  code: string,
  message: string,
  httpStatus: number,
  requestId?: string,
): TencentCloudError {
  const prefix = api === "v2" ? /^\s*\((-?\d+)\)\s*/.exec(message) : null;
  const moduleCode = prefix?.[1];
  const category = api === "v2" ? classifyV2Error(code, moduleCode) : classifyV3Error(code);
  const summary = (prefix ? message.slice(prefix[0].length) : message).trim() ||
    "Tencent Cloud refused the request";
  const id = moduleCode ? `${code}, module ${moduleCode}` : code;
  return new TencentCloudError({
    code,
    moduleCode,
    requestId,
    httpStatus,
    category,
    message: `${summary} (${id}). ${CODE_HINTS[code] ?? HINTS[category]}`,
  });
}

/** Builds an error for a failure with no usable Tencent answer (network, HTTP, bad body). */
export function localError(
  code: string,
  category: ErrorCategory,
  summary: string,
  extra: Partial<TencentCloudErrorInit> = {},
): TencentCloudError {
  return new TencentCloudError({
    code,
    category,
    ...extra,
    message: `${summary}. ${HINTS[category]}`,
  });
}

/**
 * Returns the error with the given secrets (in any case, percent-encoded too) and every
 * `Signature=` value masked in each upstream string field (`code`, `moduleCode`, `requestId`,
 * `message`); the error itself when none occurs. See `secretRedactor` in `./redact.ts`.
 */
export function scrubSecrets(
  error: TencentCloudError,
  secrets: ReadonlyArray<string | undefined>,
): TencentCloudError {
  const redact = secretRedactor(secrets);
  const json = error.toJSON();
  let changed = false;
  for (const field of ["code", "moduleCode", "requestId", "message"] as const) {
    const value = json[field];
    if (value) changed = (json[field] = redact(value)) !== value || changed;
  }
  return changed ? new TencentCloudError(json) : error;
}
