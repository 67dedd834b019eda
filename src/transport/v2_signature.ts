/**
 * API 2.0 request signing (HmacSHA1 / HmacSHA256), one inspectable step per function.
 * @module
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { sha1 } from "@noble/hashes/legacy.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";

/** Base64 (standard alphabet, padded) of raw bytes, as API 2.0 signatures use. */
export function toBase64(bytes: Uint8Array): string {
  // btoa takes a "binary string"; building it in chunks keeps the argument list small.
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Signature algorithms API 2.0 accepts. The server reads anything but `HmacSHA256` as SHA-1. */
export type V2SignatureMethod = "HmacSHA1" | "HmacSHA256";

/** HTTP methods API 2.0 accepts. */
export type V2HttpMethod = "GET" | "POST";

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Builds the API 2.0 source string: every parameter except `Signature`, `_` replaced by `.` in
 * names, sorted by name in byte order (so `urls.10` sorts before `urls.2`), joined as raw
 * (not URL-encoded) `name=value` pairs and prefixed with `METHOD + host + path + "?"`.
 *
 * @example
 * ```ts
 * v2SourceString("GET", "cdn.api.qcloud.com", "/v2/index.php", { Action: "DescribeCdnHosts" });
 * // "GETcdn.api.qcloud.com/v2/index.php?Action=DescribeCdnHosts"
 * ```
 */
export function v2SourceString(
  method: V2HttpMethod,
  host: string,
  path: string,
  params: Readonly<Record<string, string>>,
): string {
  const joined = Object.entries(params)
    .filter(([name]) => name !== "Signature")
    .map((
      [name, value],
    ): [string, string] => [name.replaceAll("_", "."), value])
    .sort(([a], [b]) => byCodeUnit(a, b))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
  return `${method}${host}${path}?${joined}`;
}

/** Signs an API 2.0 source string: `base64(HMAC(secretKey, source))`. */
export function signV2(
  source: string,
  secretKey: string,
  signatureMethod: V2SignatureMethod = "HmacSHA256",
): string {
  const hash = signatureMethod === "HmacSHA256" ? sha256 : sha1;
  return toBase64(hmac(hash, utf8ToBytes(secretKey), utf8ToBytes(source)));
}
