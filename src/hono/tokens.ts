/**
 * Bearer tokens: how they are read, checked and compared. A presented token is hashed and its
 * digest compared with the digest of every configured token, so the time taken depends on
 * neither where the first differing byte is nor how long the tokens are, and every configured
 * token is visited whether or not an earlier one matched.
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";

/** The shortest token accepted: shorter ones are too easy to guess for a credentials proxy. */
export const MIN_TOKEN_LENGTH = 16;

// RFC 6750 `b64token`: what can follow "Bearer " in an Authorization header.
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Says what is wrong with a configured token, without quoting it: the message may be shown.
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

/** The token of an `Authorization: Bearer …` header, or `undefined` when there is none. */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  return BEARER.exec(header.trim())?.[1];
}

/** The SHA-256 digest of a token: 32 bytes whatever the token's length. */
export function tokenDigest(token: string): Uint8Array {
  return sha256(utf8ToBytes(token));
}

/**
 * Compares two byte arrays in time that depends only on their lengths: every byte is visited
 * and differences are accumulated with XOR/OR, with no early exit. Digests always have the
 * same length, so in use the time is constant.
 */
export function equalDigests(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/** Compares two digests; {@linkcode equalDigests} unless a test substitutes a spy. */
export type DigestComparison = (presented: Uint8Array, configured: Uint8Array) => boolean;

/** The digests of the accepted tokens. Holds no token, only digests. */
export class TokenDigests {
  readonly #digests: readonly Uint8Array[];

  /** Hashes each token; the tokens must already have passed {@linkcode tokenProblem}. */
  constructor(tokens: readonly string[]) {
    this.#digests = tokens.map(tokenDigest);
  }

  /** How many tokens are accepted. */
  get size(): number {
    return this.#digests.length;
  }

  /**
   * True when the presented token is one of the accepted ones. Compares its digest with every
   * accepted digest, always all of them: a match does not end the loop early.
   */
  matches(presented: string, compare: DigestComparison = equalDigests): boolean {
    const digest = tokenDigest(presented);
    let matched = 0;
    for (const accepted of this.#digests) matched |= compare(digest, accepted) ? 1 : 0;
    return matched === 1;
  }
}
