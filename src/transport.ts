/**
 * Sends one signed request with a per-attempt timeout and names what went wrong when no
 * answer came back: refused (safe to send again), unreachable, timed out or dropped (ambiguous).
 * @module
 */
import { localError, type TencentCloudError } from "./errors.ts";
import type { RawAnswer } from "./answer.ts";
import type { SignedRequest } from "./signed_request.ts";

/** The `fetch` shape this module calls: the global one, or any stand-in (a simulator, a proxy). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** How one attempt is sent. */
export interface SendOptions {
  /** The fetch to call. */
  fetch: FetchLike;
  /** Milliseconds before the attempt is abandoned (headers and body together). */
  timeoutMs: number;
  /** The caller's signal; aborting abandons the attempt. */
  signal?: AbortSignal;
  /**
   * Awaited right before `fetch` is called (after signing), e.g. to pace request starts.
   * Its time does not count against `timeoutMs`.
   */
  beforeSend?: (signal?: AbortSignal) => Promise<void>;
}

const REFUSED = /ECONNREFUSED|ConnectionRefused|connection refused/i;
const UNREACHABLE =
  /ENOTFOUND|EAI_AGAIN|dns error|failed to lookup|getaddrinfo|name resolution|certificate|CERT_|UNABLE_TO_VERIFY/i;

function describeFailure(error: unknown): string {
  // Reads codes and messages down the cause chain, but never returns them: a fetch error can
  // quote the request URL, and an API 2.0 GET URL holds the signature.
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const { code, message, name } = current as Record<string, unknown>;
    parts.push(String(code ?? ""), String(name ?? ""), String(message ?? ""));
    current = (current as { cause?: unknown }).cause;
  }
  if (typeof error === "string") parts.push(error);
  return parts.join(" ");
}

/** Names a `fetch` rejection that happened before any answer arrived. */
export function connectionError(error: unknown): TencentCloudError {
  const text = describeFailure(error);
  if (REFUSED.test(text)) {
    return localError(
      "NetworkError.ConnectionRefused",
      "unavailable",
      "The connection was refused",
    );
  }
  if (UNREACHABLE.test(text)) {
    return localError(
      "NetworkError.Unreachable",
      "network",
      "The endpoint could not be reached (name resolution or TLS failed)",
    );
  }
  return localError(
    "NetworkError.ConnectionDropped",
    "network",
    "The connection failed after the request may have been sent",
    { maybeSubmitted: true },
  );
}

/**
 * Sends a signed request and reads the whole answer.
 * @throws {TencentCloudError} when no complete answer arrived.
 */
export async function sendSigned(
  request: SignedRequest,
  options: SendOptions,
): Promise<RawAnswer> {
  const { signal, timeoutMs } = options;
  await options.beforeSend?.(signal);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`No answer within ${timeoutMs} ms`, "TimeoutError"));
  }, timeoutMs);
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  let answered = false;
  try {
    const init: RequestInit = {
      method: request.method,
      headers: request.headers,
      signal: controller.signal,
    };
    if (request.body !== undefined) init.body = request.body;
    const response = await options.fetch(request.url, init);
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
      );
    }
    if (signal?.aborted) {
      throw localError(
        "NetworkError.Aborted",
        "network",
        "The run was aborted while the request was in flight",
        { maybeSubmitted: true },
      );
    }
    if (answered) {
      throw localError(
        "NetworkError.ConnectionDropped",
        "network",
        "The connection dropped while the answer was being read",
        { maybeSubmitted: true },
      );
    }
    throw connectionError(error);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}
