/**
 * Byte and text encodings shared by both signers and both wire formats.
 * @module
 */

/** Base64 (standard alphabet, padded) of raw bytes, as API 2.0 signatures use. */
export function toBase64(bytes: Uint8Array): string {
  // btoa takes a "binary string"; building it in chunks keeps the argument list small.
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Percent-encodes one value for a query string or an `application/x-www-form-urlencoded` body.
 *
 * Every byte outside `A–Z a–z 0–9 - _ . ~` is encoded from its UTF-8 form, so `+`, `/`, `=`,
 * `&`, `%`, spaces and non-ASCII all survive a round trip through any form decoder.
 *
 * @throws {URIError} when the string holds a lone surrogate (it has no UTF-8 form).
 */
export function formEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/** Encodes `name=value` pairs, in the given order, as a form body or query string. */
export function formEncodePairs(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([name, value]) => `${formEncode(name)}=${formEncode(value)}`).join("&");
}
