/**
 * The plain-data form of a signed request, and the endpoint checks both APIs share.
 * @module
 */

/** A signed request as plain data: inspectable, comparable, and ready for `fetch(url, init)`. */
export interface SignedRequest {
  /** The full URL (for API 2.0 GET it carries every parameter, the signature included). */
  url: string;
  /** The HTTP method. */
  method: "GET" | "POST";
  /** The headers to send (`Host` is left to `fetch`; it is derived from `url`). */
  headers: Record<string, string>;
  /** The exact body that was signed, for POST requests. */
  body?: string;
  /** The signature it carries (base64 for API 2.0, hex for API 3.0). */
  signature: string;
}

/**
 * Parses and checks an endpoint URL.
 *
 * @throws {TypeError} when it is not an absolute `http:`/`https:` URL, or carries credentials,
 * a query or a fragment (the signature covers the path, so they would make it unverifiable).
 */
export function parseEndpoint(endpoint: string | URL, option = "endpoint"): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`Cannot use ${option}: "${String(endpoint)}" is not an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`Cannot use ${option}: expected http: or https:, got "${url.protocol}"`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError(
      `Cannot use ${option}: it must not carry credentials, a query or a fragment`,
    );
  }
  return url;
}
