/**
 * Hashing, HMAC and text encodings for the simulator's signature checks.
 *
 * Built on WebCrypto alone and never imported from the client: the verifier must be an
 * independent implementation, so that a mistake in the client's signer cannot be mirrored here
 * and pass unnoticed.
 *
 * @module
 */

const encoder = new TextEncoder();

/** The WebCrypto names of the two hashes the Tencent signatures use. */
export type HashName = "SHA-1" | "SHA-256";

/** Encodes text as UTF-8 bytes. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** Computes `HMAC(key, data)` with the given hash; text is taken as UTF-8. */
export async function hmac(
  hash: HashName,
  key: Uint8Array<ArrayBuffer> | string,
  data: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const keyBytes = typeof key === "string" ? utf8(key) : key;
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    keyBytes,
    { name: "HMAC", hash },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, utf8(data)));
}

/** Lower-case hex SHA-256 of bytes, or of text taken as UTF-8. */
export async function sha256Hex(data: Uint8Array<ArrayBuffer> | string): Promise<string> {
  const bytes = typeof data === "string" ? utf8(data) : data;
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** Standard (padded) base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Compares two signatures without stopping at the first difference, so the simulator does not
 * teach a timing side channel by example.
 */
export function sameSignature(expected: string, received: string): boolean {
  let difference = expected.length ^ received.length;
  for (let i = 0; i < expected.length; i++) {
    difference |= expected.charCodeAt(i) ^ (received.charCodeAt(i) || 0);
  }
  return difference === 0;
}

/** Orders strings by their UTF-8 bytes (uppercase before lowercase, `urls.10` before `urls.2`). */
export function compareBytes(a: string, b: string): number {
  const left = utf8(a);
  const right = utf8(b);
  const shared = Math.min(left.length, right.length);
  for (let i = 0; i < shared; i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}
