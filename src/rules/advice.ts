/**
 * The one source of advice: what to do about an error (by its code, else its category), about
 * a URL that was not sent (by its reason), and about a URL whose task ended in a status. Each
 * text is written once, with a `{word}` wherever it names something the reader changes or
 * types, by the library's name for it: an option (`{batchSize}`), a function
 * (`{waitForTasks}`: how to look a task up), or, where the library has no one name, a word of its
 * own (`{teo}`: how to prefetch through EdgeOne). Every adapter fills the words in from its own
 * {@linkcode Words}: the library's {@linkcode errorAdvice} keeps the names ({@linkcode LIBRARY_WORDS}),
 * the command line names flags and the commands to type (`--batch-size`,
 * `prewarm status TASK_ID`), the router and its console their own. Nobody writes the advice again, and nobody reads it back out of a message: errors
 * and rejections carry the data it is chosen by (`code`, `category`, `maybeSubmitted`;
 * `reason`, `by`, `option`).
 * @module
 */
import { type ErrorCategory, type ErrorRows, OUTCOME_POLICY, ownRow } from "./outcome.ts";
import type { RejectedUrl, RejectReason } from "./report.ts";

// `UrlStatus` is written here: `../api.ts`, its home, is a layer above. A caller passing theirs
// checks that they agree.

/** Where a URL of a task stands: `UrlStatus`. */
type UrlStatus = "done" | "failed" | "invalid" | "pending" | "unknown";

/** What a rejection's advice is chosen by: the fields of a `RejectedUrl`. */
type Rejection = Pick<RejectedUrl, "reason" | "by" | "option">;

/**
 * How a reader names what advice refers to, each word keyed by the library's name for it. A
 * word left out is its key (`batchSize`): words of one's own start from
 * `{ ...LIBRARY_WORDS, ... }`.
 */
export interface Words {
  /** The option that sets the URLs per request. */
  batchSize?: string;
  /** The option that sets the request rate. */
  maxRequestsPerSecond?: string;
  /** The option that also retries requests that may have been processed. */
  retryAmbiguous?: string;
  /** The option that sets the local daily budget. */
  dailyLimit?: string;
  /** The option that sets the local daily budget of the purge before a prefetch; `""` when the
   * reader cannot change it (advice to raise it is then left out). */
  purgeDailyLimit?: string;
  /** The option that names the EdgeOne zone. */
  zoneId?: string;
  /** The option that sets where requests go. */
  endpoint?: string;
  /** How to prefetch through EdgeOne instead. */
  teo?: string;
  /** How to purge first, then prefetch. */
  purgeThenPrewarm?: string;
  /** How to look a task up by its id. */
  waitForTasks?: string;
  /** How to look a URL up among recent tasks (a batch with no task id). */
  describePushTasks?: string;
  /** How to read today's quota. */
  describePushQuota?: string;
  /** When the daily quota resets. */
  reset?: string;
}

/** The library's words: its names are their keys (`batchSize`, `waitForTasks`), and these. */
export const LIBRARY_WORDS: Readonly<Words> = {
  teo: "api: edgeOne({ zoneId })",
  // A report of prewarm() alone has not been looked through yet.
  describePushTasks: "recoverLostTasks(report), else describePushTasks()",
  reset: "00:00 Beijing time (UTC+8)",
};

/** The text with each `{word}` filled in: the words' entry, else its key. */
function fill(text: string, words: Readonly<Words>): string {
  return text.replace(/\{(\w+)\}/g, (_, word: keyof Words) => words[word] ?? word);
}

const SPENT = "The daily quota is spent: it resets at {reset}; send these again then.";
// Plain literals, not joined ones: a bundler keeps a table built with `+` or `${}` even where
// nothing reads it, and this module is in every bundle that imports the root entry.
const MAYBE =
  "It may have been processed: look its URLs up ({describePushTasks}) before sending them again.";

/** What to do about an error of each category (unless its code has its own advice). */
export const CATEGORY_ADVICE: Readonly<Record<ErrorCategory, string>> = {
  "rate-limit":
    "Rate-limited past the client's wait (other tools may share this key's 20 requests/s): lower {maxRequestsPerSecond}.",
  "unavailable": "Unavailable for now, nothing was processed: try again later.",
  "daily-limit": SPENT,
  "batch-limit": "Too many URLs in one request: lower {batchSize}.",
  "domain":
    "Add the domain to this account's CDN (online, unlocked, serving this area) and let this key act on it (CAM: project, tags), or drop these URLs; if it moved to EdgeOne, use {teo}.",
  "invalid-request": "Check the URLs and options.",
  "endpoint": "Nothing was processed: check {endpoint}, the network and options.",
  "credentials":
    "Check TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, the token, and the key's CDN permissions (see docs/keys.md).",
  "account": "This account cannot use CDN prefetch now: see the Tencent Cloud console.",
  "server": MAYBE,
  "timeout":
    "It may have been processed: look its URLs up ({describePushTasks}) before sending them again (or use {retryAmbiguous}).",
  "network": MAYBE,
  "unknown": "See Tencent Cloud's error code documentation.",
};

/** `server`, `timeout` and `network` errors of requests that certainly spent nothing (reads). */
const SPENT_NOTHING = "Nothing was spent: try again later.";

const CLOCK = "The local clock is over 5 minutes off: synchronise it.";
const WRONG_KEY = "TENCENTCLOUD_SECRET_KEY does not match TENCENTCLOUD_SECRET_ID.";
const NO_ID = "TENCENTCLOUD_SECRET_ID names no key.";
const BAD_TOKEN = "The session token is wrong or expired.";
const IP_LIST = "The account's API IP list refuses this machine: use an allowed IP.";
const VERIFY = "Complete the account's identity verification in the Tencent Cloud console.";

/** Codes whose advice is more precise than their category's (an API's own codes: its
 * {@linkcode ErrorRows}). */
export const CODE_ADVICE: Readonly<Record<string, string>> = {
  __proto__: null as never, // A code such as "constructor" must not find Object's members.
  "AuthFailure.SignatureExpire": CLOCK,
  "AuthFailure.SecretIdNotFound": NO_ID,
  "AuthFailure.SignatureFailure": WRONG_KEY,
  "AuthFailure.TokenFailure": BAD_TOKEN,
  "IpInBlacklist": IP_LIST,
  "IpNotInWhitelist": IP_LIST,
  "UnauthorizedOperation.CdnUserAuthFail": VERIFY,
  "UnauthorizedOperation.CdnUserAuthWait": VERIFY,
  "UnauthorizedOperation.CdnUserIsIsolated":
    "The account is suspended for arrears: top it up, then run again.",
  "ResourceNotFound.CdnUserNotExists": "Activate CDN on this account in the Tencent Cloud console.",
  "UnauthorizedOperation.CdnAccountUnauthorized":
    "This key may not use CDN on the account: grant it in CAM (see docs/keys.md).",
  "OperationDenied.ProductUpdating": "CDN is updating this account's service: run again later.",
  "OperationDenied.ProductUpgraded": "This account's CDN moved to EdgeOne: prefetch with {teo}.",
  "OperationDenied.UserMigrating": "This account is moving to EdgeOne: run again after the move.",
  "NetworkError.DnsTemporary": "It was retried: run again later.",
};

/**
 * What to do about an error, in `words` (the library's by default): its code's own advice (the
 * API's `rows` first), else its category's. `spentNothing` marks a request that certainly spent
 * no quota (an idempotent read, a batch never sent: `maybeSubmitted` false), which gets no "may
 * have been processed" advice.
 */
export function adviceFor(
  category: ErrorCategory,
  code: string,
  spentNothing = false,
  words: Readonly<Words> = LIBRARY_WORDS,
  rows?: ErrorRows,
): string {
  return fill(
    ownRow(rows?.advice, code) ?? CODE_ADVICE[code] ??
      (spentNothing && OUTCOME_POLICY[category].spent === "maybe"
        ? SPENT_NOTHING
        : CATEGORY_ADVICE[category]),
    words,
  );
}

/**
 * What to do about an error of this library: a `TencentCloudError`, or its JSON in a saved
 * report. Its `message` says what went wrong; this says what to do, in the library's words
 * (option names), chosen by `code`, else `category` (the table docs/tencent-error-codes.md
 * lists). The command line and the router print the same advice in their words.
 *
 * @param error The error, or its fields.
 * @param api The API that answered, for the codes only it answers (API 2.0's numeric codes, the
 * purge's, EdgeOne's): any value with `errors`, such as `cdnV2()`. Without it, the shared rows
 * (CDN API 3.0 and the common codes) decide.
 * @returns One or two sentences.
 *
 * @example
 * ```ts
 * import { errorAdvice, prewarm } from "@qcdn/prewarm";
 *
 * const report = await prewarm(["https://www.example.com/app.js"]);
 * for (const { error, urls } of report.failed) {
 *   console.error(`${urls.length} URLs failed: ${error.message}. ${errorAdvice(error)}`);
 * }
 * ```
 */
export function errorAdvice(
  error: { code: string; category: ErrorCategory; maybeSubmitted: boolean },
  api?: { readonly errors?: ErrorRows },
): string {
  return adviceFor(error.category, error.code, !error.maybeSubmitted, LIBRARY_WORDS, api?.errors);
}

/** What an error says, with the advice in `words` (and the API's `rows`): its `summary` (what
 * went wrong) and {@linkcode adviceFor} it; its `message` as it is when it has no summary. */
export function errorText(
  error: {
    code: string;
    category: ErrorCategory;
    maybeSubmitted: boolean;
    summary?: string;
    message: string;
  },
  words: Readonly<Words>,
  rows?: ErrorRows,
): string {
  return error.summary === undefined
    ? error.message
    : `${error.summary}. ${
      adviceFor(error.category, error.code, !error.maybeSubmitted, words, rows)
    }`;
}

/** What to do about URLs that ended in each status. */
export const STATUS_ADVICE: Readonly<Record<UrlStatus, string>> = {
  done: "Prefetched: nothing to do.",
  failed: "Tencent could not prefetch these: prewarm them again later.",
  invalid:
    "The origin answered 4xx/5xx for these: check that each answers 200, then prewarm them again.",
  pending:
    "Still in process when the wait ended: the task may still finish; check again later ({waitForTasks}).",
  unknown:
    "Tencent does not list these: the task id is wrong, from another account or endpoint, or too old to be listed.",
};

/** What to do about URLs that ended in `status`, in `words`. */
export function statusAdvice(status: UrlStatus, words: Readonly<Words> = LIBRARY_WORDS): string {
  return fill(STATUS_ADVICE[status], words);
}

/** What to do about URLs not sent for each reason. */
export const REJECT_ADVICE: Readonly<Record<RejectReason, string>> = {
  "invalid-url": "Fix these (each one's problem is shown) and send them again.",
  "duplicate": "Each appears earlier in the input and is sent there: nothing to do.",
  "daily-limit": SPENT,
  "busy":
    "The rest of today's budget was held by other prefetches in flight: send these again in a minute.",
  "aborted": "The run was interrupted before these were sent: send them again.",
  "host-not-allowed": "Their host is not allowed here.",
};

/**
 * What to do about URLs not sent for `rejected.reason`, in `words`. A daily budget spent
 * locally (`by: "local"`) may be smaller than the account's quota: the advice then says which
 * option raises it.
 */
export function rejectAdvice(
  rejected: Rejection,
  words: Readonly<Words> = LIBRARY_WORDS,
): string {
  const advice = fill(REJECT_ADVICE[rejected.reason], words);
  const option = rejected.by === "local" && rejected.option &&
    fill(`{${rejected.option}}`, words);
  return option
    ? `${advice} If the account's quota is larger than ${option} (see ${
      fill("{describePushQuota}", words)
    }), raise ${option}.`
    : advice;
}
