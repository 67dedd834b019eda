/**
 * The one send path: wait for the account's request gate, sign with a fresh timestamp, send
 * with a per-attempt timeout, read the answer, and decide from the outcome policy whether to
 * send again. Pushes and reads, API 2.0 and 3.0, all go through {@linkcode sendWithRetries}.
 * @module
 */
import type { Coordinator, GateOutcome } from "../coordinator/memory.ts";
import type { Credentials } from "./credentials.ts";
import { localError, scrubSecrets, TencentCloudError } from "../rules/errors.ts";
import {
  classifyConnectionFailure,
  classifyHttpStatus,
  type ErrorCategory,
  OUTCOME_POLICY,
} from "../rules/outcome.ts";
import { abortableDelay, backoffDelay, type BackoffPolicy } from "./retry.ts";

/**
 * Whether this runtime's `fetch` cannot tell a refused or unreachable endpoint apart from a
 * connection dropped after the request left: workerd (Cloudflare Workers) rejects with one
 * "Network connection lost." for all of them, so there a failure before any answer may or may
 * not have been sent. Deno, Node and Bun name the refusal (`ECONNREFUSED`, "Connection
 * refused", `ConnectionRefused`).
 */
export function fetchFailuresAreAmbiguous(): boolean {
  return (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ===
    "Cloudflare-Workers";
}

/** The `fetch` shape this module calls: the global one, or any stand-in (a simulator, a proxy). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** A signed request as plain data: inspectable, comparable, and ready for `fetch(url, init)`. */
export interface SignedRequest {
  /** The full URL (for API 2.0 GET it carries every parameter, the signature included). */
  url: string;
  /** The HTTP method. */
  method: "GET" | "POST";
  /** The headers to send (`Host` is left to `fetch`; it is derived from `url`). */
  headers: Record<string, string>;
  /** The exact body that was signed, for POST requests. */
  body?: string;
  /** The signature it carries (base64 for API 2.0, hex for API 3.0). */
  signature: string;
}

/** The parts of an HTTP answer the parsers look at. */
export interface RawAnswer {
  /** HTTP status. */
  status: number;
  /** The `Content-Type` header, or an empty string. */
  contentType: string;
  /** The body text. */
  text: string;
}

/**
 * Parses and checks an endpoint URL.
 *
 * @throws {TypeError} when it is not an absolute `http:`/`https:` URL, or carries credentials,
 * a query or a fragment (the signature covers the path, so they would make it unverifiable).
 */
export function parseEndpoint(
  endpoint: string | URL,
  option = "endpoint",
): URL {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch { /* Said below, with the value. */ }
  // A URL that parses is not quoted back: it may carry a user name and password.
  if (
    !url || (url.protocol !== "https:" && url.protocol !== "http:") || url.username ||
    url.password || url.search || url.hash
  ) {
    throw new TypeError(
      `Cannot use ${option}: expected an absolute http: or https: URL without credentials, ` +
        `query or fragment${url ? "" : `, got "${String(endpoint)}"`}`,
    );
  }
  return url;
}

/** The error for an HTTP answer that carries no Tencent Cloud error document. */
export function httpAnswerError(
  answer: RawAnswer,
  why: string,
  read = false,
  category: ErrorCategory = classifyHttpStatus(answer.status),
): TencentCloudError {
  const { status } = answer;
  const kind = answer.contentType.split(";")[0]?.trim() || "no content type";
  const ok = status >= 200 && status < 300;
  const summary = `HTTP ${status} (${kind}): ${why}` +
    (category === "endpoint" ? "; check the endpoint" : "");
  // A 2xx the client cannot read was accepted first: the server may have acted on it.
  return localError(ok ? "InvalidResponse" : "HttpError", category, summary, {
    httpStatus: status,
    read,
  });
}

/** Parses the body as a JSON object, or throws the error that fits the HTTP answer. */
export function readJsonObject(answer: RawAnswer, read = false): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(answer.text);
  } catch {
    throw httpAnswerError(answer, "the body is not JSON", read);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw httpAnswerError(answer, "the body is not a JSON object", read);
  }
  return value as Record<string, unknown>;
}

/** Everything a call needs: who signs, where it goes, how it is paced, timed and retried. */
export interface CallContext {
  /** The key pair that signs. */
  credentials: Credentials;
  /** The endpoint (already checked). */
  endpoint: URL;
  /** The fetch to send with. */
  fetch: FetchLike;
  /** Per-attempt timeout in ms; `Infinity` for none. */
  timeoutMs: number;
  /** The clock, in ms; its seconds become the signed timestamp. */
  now: () => number;
  /** The caller's signal. */
  signal?: AbortSignal;
  /** The account's coordinator, and the account's name in it. */
  coordinator: Coordinator;
  /** The account's name in the coordinator. */
  account: string;
  /** Most request starts per second for this caller (the gate may allow fewer). */
  maxRequestsPerSecond: number;
  /** Backoff between retries that count against `retries`. */
  backoff: BackoffPolicy;
  /** The most time spent waiting out rate limits for one call, in ms. */
  rateLimitWaitMs: number;
  /** Called as each attempt leaves (request counting). */
  onAttempt?: () => void;
}

/** One call: an action, how to sign it at send time, and how to read its answer. */
export interface Call<T> {
  /** The action, e.g. `PushUrlsCache`: the gate counts each action apart. */
  action: string;
  /** Builds and signs the request for a Unix timestamp (seconds), right before it is sent. */
  sign: (timestamp: number) => SignedRequest | Promise<SignedRequest>;
  /** Reads the answer. @throws {TencentCloudError} for an error answer. */
  parse: (answer: RawAnswer) => T;
  /** An idempotent read: never spends quota, so ambiguous failures are retried too. */
  read?: boolean;
  /** Retry attempts that may have spent quota (pushes only). */
  retryAmbiguous?: boolean;
  /** Asked before each retry: false stops retrying (the run has stopped). */
  mayRetry?: () => boolean;
  /** The first attempt's start, already booked in the gate with the budget (a
   * `performance.now()` time): it is not scheduled again. */
  booked?: number;
}

/**
 * The error for a coordinator (a budget or rate store) that failed: nothing was sent, and
 * nothing more can be sent safely until it answers again.
 */
export function coordinatorError(error: unknown): TencentCloudError {
  if (error instanceof TencentCloudError) return error;
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return localError(
    "CoordinatorError",
    "endpoint",
    `The coordinator (the shared budget and rate store) failed (${
      what.slice(0, 200)
    }); nothing more is sent until it works`,
    { maybeSubmitted: false },
  );
}

/** Sends one attempt through the gate and reads the whole answer. */
async function attempt<T>(
  context: CallContext,
  call: Call<T>,
  booked: number | undefined,
): Promise<T> {
  const { signal, coordinator, account } = context;
  let wait: number;
  try {
    wait = booked !== undefined ? booked - performance.now() : await coordinator.schedule(
      account,
      call.action,
      context.maxRequestsPerSecond,
    );
  } catch (error) {
    throw coordinatorError(error);
  }
  if (wait > 0) await abortableDelay(wait, signal);
  // Signed after the gate let it through, so the timestamp is fresh however long it waited.
  const request = await call.sign(Math.floor(context.now() / 1000));
  // Checked after signing, which awaits WebCrypto: a run stopped meanwhile sends nothing.
  signal?.throwIfAborted();
  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
  };
  if (request.body !== undefined) init.body = request.body;
  try {
    // What fetch would refuse before sending: the endpoint is checked already, so the headers.
    new Headers(request.headers);
  } catch {
    // fetch would refuse it before sending (a header value it cannot carry): nothing left.
    throw localError(
      "ClientError.InvalidRequest",
      "endpoint",
      "The request could not be built (a credential or header holds characters HTTP cannot carry)",
      { read: call.read },
    );
  }
  context.onAttempt?.();
  let answer: RawAnswer;
  try {
    answer = await exchange(context, request.url, init, call.read === true);
  } catch (error) {
    throw scrub(context, request, error);
  }
  let parsed: T;
  try {
    parsed = call.parse(answer);
  } catch (error) {
    const limited = error instanceof TencentCloudError &&
      error.category === "rate-limit";
    await observe(context, call.action, limited ? "rate-limited" : "ok");
    throw scrub(context, request, error);
  }
  await observe(context, call.action, "ok");
  return parsed;
}

// The gate's feedback is advice: a coordinator failing here must not lose an answer.
async function observe(
  context: CallContext,
  action: string,
  outcome: GateOutcome,
) {
  try {
    await context.coordinator.observe(context.account, action, outcome);
  } catch { /* The next schedule() reports a broken coordinator. */ }
}

function scrub(
  context: CallContext,
  request: SignedRequest,
  error: unknown,
): unknown {
  if (!(error instanceof TencentCloudError)) return error;
  const { secretKey, token } = context.credentials;
  return scrubSecrets(error, [secretKey, token, request.signature]);
}

async function exchange(
  context: CallContext,
  url: string,
  init: RequestInit,
  read: boolean,
): Promise<RawAnswer> {
  const { signal, timeoutMs } = context;
  const controller = new AbortController();
  let timedOut = false;
  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(() => {
      timedOut = true;
      controller.abort(
        new DOMException(`No answer within ${timeoutMs} ms`, "TimeoutError"),
      );
    }, timeoutMs)
    : undefined;
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  let answered = false;
  try {
    const response = await context.fetch(url, {
      ...init,
      signal: controller.signal,
    });
    answered = true;
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get("content-type") ?? "",
      text,
    };
  } catch (error) {
    if (timedOut) {
      throw localError(
        "NetworkError.Timeout",
        "timeout",
        `No complete answer within ${timeoutMs} ms`,
        {
          read,
        },
      );
    }
    if (signal?.aborted) {
      throw localError(
        "NetworkError.Aborted",
        "network",
        "The run was aborted while the request was in flight",
        { read },
      );
    }
    if (answered) {
      throw localError(
        "NetworkError.ConnectionDropped",
        "network",
        "The connection dropped while the answer was being read",
        { read },
      );
    }
    const { category, code, summary } = classifyConnectionFailure(error);
    throw localError(code, category, summary, { read });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Sends a call, retrying as the outcome policy says: rate limits again once the gate has
 * slowed (within `rateLimitWaitMs`, not counted against `retries`); refusals and temporary
 * failures with backoff up to `retries`; ambiguous failures only for reads or with
 * `retryAmbiguous`. When an earlier attempt may have been processed, that is what a final
 * failure reports, so nothing that may have spent quota is ever reported as unsent.
 *
 * @throws {TencentCloudError} the failure that ended it; the signal's reason on abort.
 */
export async function sendWithRetries<T>(
  context: CallContext,
  call: Call<T>,
): Promise<T> {
  const { signal, backoff } = context;
  let retries = 0;
  let rateLimitedSince: number | undefined;
  let ambiguous: TencentCloudError | undefined;
  let booked = call.booked;
  for (;;) {
    signal?.throwIfAborted();
    let error: TencentCloudError;
    try {
      return await attempt(context, call, booked);
    } catch (thrown) {
      booked = undefined;
      if (!(thrown instanceof TencentCloudError)) throw thrown;
      error = thrown;
    }
    if (error.maybeSubmitted) ambiguous = error;
    const fail = () => {
      throw ambiguous && !error.maybeSubmitted ? ambiguous : error;
    };
    if (signal?.aborted || call.mayRetry?.() === false) fail();
    const { retry } = OUTCOME_POLICY[error.category];
    if (retry === "rate") {
      const now = performance.now();
      rateLimitedSince ??= now;
      if (now - rateLimitedSince >= context.rateLimitWaitMs) fail();
      // The gate has already slowed for everyone; a little jitter spreads the retries.
      await abortableDelay(
        backoffDelay(0, { ...backoff, maxDelayMs: 250 }),
        signal,
      );
      continue;
    }
    const again = retry === "backoff" ||
      (retry === "ambiguous" &&
        (call.read === true || call.retryAmbiguous === true));
    if (!again || retries >= backoff.retries) fail();
    await abortableDelay(backoffDelay(retries++, backoff), signal);
  }
}
