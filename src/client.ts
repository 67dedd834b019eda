/**
 * One attempt at one API call: sign with a fresh timestamp and nonce, send, read the answer.
 * Retrying is the caller's decision.
 * @module
 */
import type { Credentials } from "./credentials.ts";
import { scrubSecrets, TencentCloudError } from "./errors.ts";
import { buildV2PushRequest, parseV2PushAnswer, type V2PushTask } from "./request_v2.ts";
import { buildV3Request, parseV3Answer } from "./request_v3.ts";
import type { SignedRequest } from "./signed_request.ts";
import type { V2HttpMethod, V2SignatureMethod } from "./sign_v2.ts";
import { type FetchLike, sendSigned } from "./transport.ts";
import type { RawAnswer } from "./answer.ts";

/** What every call needs: who signs, where it goes, how it is sent. */
export interface CallContext {
  /** The key pair that signs. */
  credentials: Credentials;
  /** The endpoint (already checked). */
  endpoint: URL;
  /** The fetch to send with. */
  fetch: FetchLike;
  /** Per-attempt timeout in ms. */
  timeoutMs: number;
  /** The clock, in ms; its seconds become the signed timestamp. */
  now: () => number;
  /** The caller's signal. */
  signal?: AbortSignal;
  /** Awaited right before each request leaves (pacing). */
  beforeSend?: (signal?: AbortSignal) => Promise<void>;
}

/** A random positive 31-bit integer from the platform's CSPRNG. */
export function randomNonce(): number {
  return 1 + (crypto.getRandomValues(new Uint32Array(1))[0]! % 0x7fffffff);
}

async function exchange<T>(
  context: CallContext,
  request: SignedRequest,
  parse: (answer: RawAnswer) => T,
): Promise<T> {
  try {
    return parse(await sendSigned(request, context));
  } catch (error) {
    if (!(error instanceof TencentCloudError)) throw error;
    const { secretKey, token } = context.credentials;
    throw scrubSecrets(error, [secretKey, token, request.signature]);
  }
}

/** Calls an API 3.0 action once and returns its `Response` object. */
export function callV3Once(
  context: CallContext,
  action: string,
  payload: Readonly<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const request = buildV3Request({
    credentials: context.credentials,
    endpoint: context.endpoint,
    action,
    payload,
    timestamp: Math.floor(context.now() / 1000),
  });
  return exchange(context, request, parseV3Answer);
}

/** Sends one `CdnOverseaPushser` request and returns the tasks it created. */
export function pushV2Once(
  context: CallContext,
  urls: readonly string[],
  method: V2HttpMethod,
  signatureMethod: V2SignatureMethod,
): Promise<V2PushTask[]> {
  const request = buildV2PushRequest({
    credentials: context.credentials,
    endpoint: context.endpoint,
    urls,
    method,
    signatureMethod,
    timestamp: Math.floor(context.now() / 1000),
    nonce: randomNonce(),
  });
  return exchange(context, request, parseV2PushAnswer);
}
