/**
 * API 2.0 authentication: the HmacSHA1/HmacSHA256 `Signature` over the source string, the
 * timestamp window, the session token and nonce replay.
 *
 * @module
 */

import { type ApiAnswer, v2Failure } from "./answers.ts";
import type { ApiContext } from "./context.ts";
import { compareBytes, hmac, sameSignature, toBase64 } from "./crypto.ts";
import type { SimulatorCredential } from "./options.ts";

/** The request as the signature sees it. */
export interface V2SignedRequest {
  /** `GET` or `POST`. */
  method: string;
  /** Host as sent, with the port when it is not the scheme's default. */
  host: string;
  /** `/v2/index.php`. */
  path: string;
  /** Decoded parameters, names already in signed form. */
  params: ReadonlyMap<string, string>;
}

/** Who sent the request, or the answer that rejects it. */
export type V2AuthResult =
  | { ok: true; credential: Readonly<SimulatorCredential> }
  | { ok: false; answer: ApiAnswer };

const REQUIRED = ["SecretId", "Timestamp", "Nonce", "Signature"] as const;

/**
 * The string API 2.0 signs: `METHOD + host + path + "?"` and every parameter but `Signature`,
 * sorted by name bytes, joined as `name=value` with raw (not URL-encoded) values.
 */
export function v2SourceString(request: V2SignedRequest): string {
  const signed = [...request.params]
    .filter(([name]) => name !== "Signature")
    .sort(([a], [b]) => compareBytes(a, b))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
  return `${request.method}${request.host}${request.path}?${signed}`;
}

/** Checks who signed the request, and that it is fresh and not a replay. */
export async function authenticateV2(
  context: ApiContext,
  request: V2SignedRequest,
  now: number,
): Promise<V2AuthResult> {
  const { params } = request;
  for (const name of REQUIRED) {
    if (!params.get(name)) return reject(4000, `Missing required parameter ${name}`);
  }
  const secretId = params.get("SecretId") ?? "";
  const timestamp = params.get("Timestamp") ?? "";
  const nonce = params.get("Nonce") ?? "";
  if (!/^\d{1,12}$/.test(timestamp)) {
    return reject(4000, `Timestamp must be Unix seconds; got ${JSON.stringify(timestamp)}`);
  }
  if (!/^[1-9]\d{0,17}$/.test(nonce)) {
    return reject(4000, `Nonce must be a positive integer; got ${JSON.stringify(nonce)}`);
  }
  const credential = context.options.credentials.get(secretId);
  if (credential === undefined) return reject(4104, `SecretId ${secretId} does not exist`);

  const hash = params.get("SignatureMethod") === "HmacSHA256" ? "SHA-256" : "SHA-1";
  const expected = toBase64(await hmac(hash, credential.secretKey, v2SourceString(request)));
  if (!sameSignature(expected, params.get("Signature") ?? "")) {
    return reject(4100, `Signature verification failed (Hmac${hash.replace("-", "")})`);
  }

  const windowSeconds = context.options.timestampWindowSeconds;
  const skew = Number(timestamp) - Math.floor(now / 1000);
  if (Math.abs(skew) > windowSeconds) {
    return reject(
      4200,
      `Request expired: Timestamp ${timestamp} is ${Math.abs(skew)} s ` +
        `${skew < 0 ? "behind" : "ahead of"} server time (window ${windowSeconds} s)`,
    );
  }
  // Absent and empty mean the same: no session token.
  if ((params.get("Token") ?? "") !== (credential.token ?? "")) {
    return reject(4105, "Token is invalid for this SecretId");
  }
  if (!context.nonces.claim(secretId, nonce, now, windowSeconds * 1000)) {
    return reject(4500, `Replay: Nonce ${nonce} was already used by this SecretId`);
  }
  return { ok: true, credential };
}

function reject(code: number, message: string): V2AuthResult {
  return { ok: false, answer: v2Failure(code, message) };
}
