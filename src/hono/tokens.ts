/**
 * What a configured bearer token must be (long enough, from the token alphabet), and how a
 * `PREWARM_TOKENS` value is split: read by the options when they are checked, and by nothing
 * that answers a request.
 * @module
 */

/** The shortest token accepted: shorter ones are too easy to guess for a credentials proxy. */
export const MIN_TOKEN_LENGTH = 16;

// RFC 6750 `b64token`: what can follow "Bearer " in an Authorization header.
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Says what is wrong with a configured token, without quoting it.
 * @returns a sentence, or `undefined` when the token is acceptable.
 */
export function tokenProblem(token: string, where: string): string | undefined {
  if (token.length < MIN_TOKEN_LENGTH) {
    return `${where} is ${token.length} characters long; at least ${MIN_TOKEN_LENGTH} are required`;
  }
  if (!TOKEN68.test(token)) {
    return `${where} has characters a bearer token cannot carry (allowed: A-Z a-z 0-9 - . _ ~ + / and trailing =)`;
  }
  return undefined;
}

/** Splits a `PREWARM_TOKENS` value on commas and whitespace, dropping empty entries. */
export function splitTokenList(value: string): string[] {
  return value.split(/[\s,]+/).filter((token) => token !== "");
}
