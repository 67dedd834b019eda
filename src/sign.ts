/**
 * The signing steps of both API generations, each an inspectable pure function, and the
 * builders of the exact requests `prewarm()` sends: for checking a signature by hand, for
 * tools that sign their own calls, and for tests against Tencent's published vectors.
 *
 * @example
 * ```ts
 * import { buildV3Request } from "@qcdn/prewarm/sign";
 *
 * const request = buildV3Request({
 *   credentials: { secretId: "AKID...", secretKey: "..." },
 *   action: "DescribePushQuota",
 *   payload: {},
 *   timestamp: Math.floor(Date.now() / 1000),
 * });
 * const answer = await fetch(request.url, request);
 * ```
 *
 * @module
 */
export {
  signV2,
  toBase64,
  type V2HttpMethod,
  type V2SignatureMethod,
  v2SourceString,
} from "./transport/v2_signature.ts";
export {
  sha256Hex,
  TC3_ALGORITHM,
  tc3Authorization,
  type Tc3CanonicalInput,
  tc3CanonicalRequest,
  tc3Date,
  tc3Signature,
  tc3SigningKey,
  tc3StringToSign,
} from "./transport/tc3.ts";
export {
  buildV2PushRequest,
  formEncode,
  V2_ENDPOINT,
  V2_PUSH_ACTION,
  type V2PushRequestInput,
} from "./transport/v2.ts";
export {
  buildV3Request,
  V3_CONTENT_TYPE,
  V3_ENDPOINT,
  V3_SERVICE,
  V3_VERSION,
  type V3RequestInput,
} from "./transport/v3.ts";
export type { SignedRequest } from "./transport/send.ts";
export type { Credentials } from "./transport/credentials.ts";
