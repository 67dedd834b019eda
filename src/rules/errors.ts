/**
 * The one error class callers catch, and the two ways one is made: from an upstream error
 * answer, or locally for a failure with no usable answer. What each means is decided in
 * `outcome.ts`; what to do about it, in `advice.ts` (`errorAdvice()`), which the
 * messages do not carry: the advice text would be in every bundle of `prewarm()`, though a run
 * meets one error at most, and the readers that show it (the command line, the router) say it
 * in their own words anyway.
 * @module
 */
import { type ErrorCategory, OUTCOME_POLICY } from "./outcome.ts";
import { secretRedactor } from "./redact.ts";

export type { ErrorCategory } from "./outcome.ts";

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
  /** What kind of failure this is; it decides the defaults below. */
  category: ErrorCategory;
  /** True when sending the same request again is safe: it certainly spent no quota.
   * @default {true} when the category's policy retries (`rate-limit`, `unavailable`) */
  retryable?: boolean;
  /** True when the request may have been processed (and quota spent) despite the error.
   * @default {true} when the category's policy says it may have spent quota (`server`, `timeout`, `network`) */
  maybeSubmitted?: boolean;
  /** What went wrong: Tencent's message and its code, or what failed locally. What to do about
   * it is `errorAdvice()`'s, chosen by `code` and `category`. */
  message: string;
  /**
   * What went wrong, as this library wrote it (the `message` of an error it made): the command
   * line and the router show it with `errorAdvice()`'s advice in their own words (flags,
   * routes). Absent on an error made without one, whose `message` is shown as it is.
   */
  summary?: string;
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
  "summary",
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
  /** What went wrong, as this library wrote it: its `message` (see
   * {@linkcode TencentCloudErrorInit.summary}). */
  declare readonly summary?: string;

  /** Creates an error from its fields; `retryable` and `maybeSubmitted` follow the category's
   * policy unless given. */
  constructor(init: TencentCloudErrorInit) {
    super(init.message);
    this.name = "TencentCloudError";
    const policy = OUTCOME_POLICY[init.category] ?? OUTCOME_POLICY.unknown;
    const fields: Record<string, unknown> = {
      ...init,
      retryable: init.retryable ??
        (policy.retry === "rate" || policy.retry === "backoff"),
      maybeSubmitted: init.maybeSubmitted ?? policy.spent === "maybe",
    };
    for (const key of FIELDS) {
      if (fields[key] !== undefined) {
        (this as Record<string, unknown>)[key] = fields[key];
      }
    }
  }

  /** The error's fields as plain data (what `JSON.stringify` writes). */
  toJSON(): TencentCloudErrorJSON {
    const json: Record<string, unknown> = { name: this.name };
    for (const key of FIELDS) {
      if (this[key] !== undefined) json[key] = this[key];
    }
    json.message = this.message;
    return json as unknown as TencentCloudErrorJSON;
  }
}

/**
 * Builds the error for an upstream error answer (API 3.0 `Response.Error`, or an API 2.0 answer
 * whose `code` is not 0), classified by the caller's table: the message is Tencent's, then the
 * code. `read` marks an idempotent read, which never spends quota.
 */
export function upstreamError(
  code: string,
  message: string,
  category: ErrorCategory,
  httpStatus: number,
  extra: { requestId?: string; moduleCode?: string; read?: boolean } = {},
): TencentCloudError {
  const { moduleCode } = extra;
  const summary = message.trim() || "Tencent Cloud refused the request";
  const id = moduleCode ? `${code}, module ${moduleCode}` : code;
  return localError(code, category, `${summary} (${id})`, { ...extra, httpStatus });
}

/** Builds an error for a failure with no usable Tencent answer (network, HTTP, bad body), or
 * one a flow decides. Its message says what went wrong, not what to do: that is
 * `errorAdvice()`'s (`advice.ts`), which the command line and the router add in their
 * own words, so that the core carries no advice text. */
export function localError(
  code: string,
  category: ErrorCategory,
  summary: string,
  extra: Partial<TencentCloudErrorInit> & { read?: boolean } = {},
): TencentCloudError {
  const { read = false, ...fields } = extra;
  return new TencentCloudError({
    code,
    category,
    ...(read ? { maybeSubmitted: false } : {}),
    ...fields,
    summary,
    message: summary,
  });
}

/**
 * Returns the error with the given secrets (in any case, percent-encoded too) and every
 * `Signature=` value masked in each string field (the upstream ones: `code`, `moduleCode`,
 * `requestId`, `message`, `summary`); the error itself when none occurs. See `secretRedactor` in `./redact.ts`.
 */
export function scrubSecrets(
  error: TencentCloudError,
  secrets: ReadonlyArray<string | undefined>,
): TencentCloudError {
  const redact = secretRedactor(secrets);
  const json = error.toJSON() as unknown as Record<string, unknown>;
  let changed = false;
  // Every string field: the upstream ones, and `name` and `category`, which hold none.
  for (const [field, value] of Object.entries(json)) {
    if (typeof value === "string") changed = (json[field] = redact(value)) !== value || changed;
  }
  return changed ? new TencentCloudError(json as unknown as TencentCloudErrorJSON) : error;
}
