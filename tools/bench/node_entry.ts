/**
 * What the Node side of `deno task bench` runs of this module, bundled with esbuild as the
 * core ships for Node: `prewarm()` itself, plus the steps it is made of, so each can be timed
 * apart (the request as `prewarm()` signs it, with WebCrypto; TC3 signing step by step as
 * `@qcdn/prewarm/sign` does it, with noble; the URL checks with and without their fast path).
 */
export { MemoryCoordinator, prewarm } from "../../mod.ts";
export {
  buildV3Request,
  signV3Request,
  V3_CONTENT_TYPE,
  V3_SERVICE,
} from "../../src/transport/v3.ts";
export {
  sha256Hex,
  tc3CanonicalRequest,
  tc3Date,
  tc3Signature,
  tc3SigningKey,
  tc3StringToSign,
} from "../../src/transport/tc3.ts";
export { checkUrl, checkUrlFully } from "../../src/rules/urls.ts";
