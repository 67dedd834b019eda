/**
 * API 3.0 request signing (TC3-HMAC-SHA256), one inspectable step per function, in the order
 * the algorithm runs: canonical request → string to sign → signature → `Authorization`.
 * @module
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** The algorithm name that starts every TC3 string to sign and `Authorization` header. */
export const TC3_ALGORITHM = "TC3-HMAC-SHA256";

/** What the canonical request covers: the two signed headers and the exact body. */
export interface Tc3CanonicalInput {
  /** Host as sent (with the port when it is not the scheme's default). */
  host: string;
  /** The exact `Content-Type` header value that is sent. */
  contentType: string;
  /** The exact body that is sent. */
  body: string;
}

/** Lower-case hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** The UTC date (`YYYY-MM-DD`) of a Unix timestamp in seconds, as the credential scope uses. */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/**
 * The TC3 canonical request for `POST /` with signed headers `content-type;host`.
 * Header values are lower-cased and trimmed, as the algorithm requires.
 */
export function tc3CanonicalRequest(input: Tc3CanonicalInput): string {
  const canonicalHeaders = `content-type:${input.contentType.trim().toLowerCase()}\n` +
    `host:${input.host.trim().toLowerCase()}\n`;
  return `POST\n/\n\n${canonicalHeaders}\ncontent-type;host\n${sha256Hex(input.body)}`;
}

/** The TC3 string to sign for a canonical request, timestamp (seconds) and service. */
export function tc3StringToSign(
  canonicalRequest: string,
  timestamp: number,
  service: string,
): string {
  const scope = `${tc3Date(timestamp)}/${service}/tc3_request`;
  return `${TC3_ALGORITHM}\n${timestamp}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

/**
 * The hex TC3 signature: the key is derived from the secret through the date, the service and
 * `tc3_request`, then signs the string to sign.
 */
export function tc3Signature(
  secretKey: string,
  stringToSign: string,
  timestamp: number,
  service: string,
): string {
  const kSigning = tc3SigningKey(secretKey, tc3Date(timestamp), service);
  return bytesToHex(hmac(sha256, kSigning, utf8ToBytes(stringToSign)));
}

// The signing key depends only on the secret, the UTC date and the service: three of the four
// HMACs of a signature are the same all day. A few entries cover every key in use.
const signingKeys = new Map<string, Uint8Array>();

/** The TC3 signing key: `HMAC(HMAC(HMAC("TC3" + secretKey, date), service), "tc3_request")`. */
export function tc3SigningKey(
  secretKey: string,
  date: string,
  service: string,
): Uint8Array {
  const cacheKey = `${date}\n${service}\n${secretKey}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    const kDate = hmac(
      sha256,
      utf8ToBytes("TC3" + secretKey),
      utf8ToBytes(date),
    );
    const kService = hmac(sha256, kDate, utf8ToBytes(service));
    key = hmac(sha256, kService, utf8ToBytes("tc3_request"));
    if (signingKeys.size >= 16) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** The `Authorization` header value carrying a TC3 signature. */
export function tc3Authorization(
  secretId: string,
  signature: string,
  timestamp: number,
  service: string,
): string {
  return `${TC3_ALGORITHM} Credential=${secretId}/${tc3Date(timestamp)}/${service}/tc3_request, ` +
    `SignedHeaders=content-type;host, Signature=${signature}`;
}
