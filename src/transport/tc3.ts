/**
 * API 3.0 request signing (TC3-HMAC-SHA256), one inspectable step per function, in the order
 * the algorithm runs: canonical request → string to sign → signature → `Authorization`.
 *
 * Two ways to hash, one algorithm: the steps here (`tc3CanonicalRequest` … `tc3Signature`) are
 * synchronous, with @noble/hashes' SHA-256 and HMAC, for `@qcdn/prewarm/sign` and whoever checks
 * a signature by hand; {@linkcode tc3Sign}, what every request `prewarm()` sends is signed with,
 * calls the platform's WebCrypto (`crypto.subtle`, on every runtime this module supports): a
 * 22 KB body hashes 3 to 7 times faster than noble's JavaScript loop does in a bundle, and a
 * bundle of `prewarm()` carries no hash code at all. The two share every string they hash, and
 * a test holds their signatures equal.
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
  return canonicalRequest(input, sha256Hex(input.body));
}

function canonicalRequest(input: Omit<Tc3CanonicalInput, "body">, bodyHash: string): string {
  const canonicalHeaders = `content-type:${input.contentType.trim().toLowerCase()}\n` +
    `host:${input.host.trim().toLowerCase()}\n`;
  return `POST\n/\n\n${canonicalHeaders}\ncontent-type;host\n${bodyHash}`;
}

/** The TC3 string to sign for a canonical request, timestamp (seconds) and service. */
export function tc3StringToSign(
  canonicalRequest: string,
  timestamp: number,
  service: string,
): string {
  return stringToSign(sha256Hex(canonicalRequest), timestamp, service);
}

function stringToSign(canonicalHash: string, timestamp: number, service: string): string {
  const scope = `${tc3Date(timestamp)}/${service}/tc3_request`;
  return `${TC3_ALGORITHM}\n${timestamp}\n${scope}\n${canonicalHash}`;
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

/** What {@linkcode tc3Sign} signs: the canonical request's parts, when, and for which service. */
export interface Tc3SignInput extends Tc3CanonicalInput {
  /** The secret key. */
  secretKey: string;
  /** Unix time in seconds. */
  timestamp: number;
  /** The service in the credential scope (`cdn`, `teo`). */
  service: string;
}

// The platform's WebCrypto, called directly: every runtime this module supports has it, and a
// bundle of prewarm() then carries neither a hash loop nor a wrapper around the platform's.
const _utf8 = new TextEncoder();

function _hex(bytes: ArrayBuffer): string {
  let out = "";
  for (const byte of new Uint8Array(bytes)) out += (byte < 16 ? "0" : "") + byte.toString(16);
  return out;
}

/** Lower-case hex SHA-256 of a string's UTF-8 bytes, hashed by the platform. */
async function _webSha256Hex(text: string): Promise<string> {
  return _hex(await crypto.subtle.digest("SHA-256", _utf8.encode(text)));
}

function _hmacKey(raw: BufferSource): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

async function _webHmac(key: CryptoKey, text: string): Promise<ArrayBuffer> {
  return await crypto.subtle.sign("HMAC", key, _utf8.encode(text));
}

// The signing key as a platform HMAC key: a promise per secret, day and service, so that
// concurrent requests derive and import it once.
const webSigningKeys = new Map<string, Promise<CryptoKey>>();

function webSigningKey(secretKey: string, date: string, service: string): Promise<CryptoKey> {
  const cacheKey = `${date}\n${service}\n${secretKey}`;
  let key = webSigningKeys.get(cacheKey);
  if (!key) {
    key = (async () => {
      const kDate = await _webHmac(await _hmacKey(_utf8.encode("TC3" + secretKey)), date);
      const kService = await _webHmac(await _hmacKey(kDate), service);
      return await _hmacKey(await _webHmac(await _hmacKey(kService), "tc3_request"));
    })();
    // A failed derivation is not kept: the next request derives again.
    key.catch(() => webSigningKeys.delete(cacheKey));
    if (webSigningKeys.size >= 16) webSigningKeys.clear();
    webSigningKeys.set(cacheKey, key);
  }
  return key;
}

/**
 * The hex TC3 signature of a request, every step hashed by the platform's WebCrypto: the same canonical request, string to sign and key derivation
 * as the synchronous steps above, and the same signature.
 */
export async function tc3Sign(input: Tc3SignInput): Promise<string> {
  const canonical = canonicalRequest(input, await _webSha256Hex(input.body));
  const toSign = stringToSign(await _webSha256Hex(canonical), input.timestamp, input.service);
  const key = await webSigningKey(input.secretKey, tc3Date(input.timestamp), input.service);
  return _hex(await _webHmac(key, toSign));
}
