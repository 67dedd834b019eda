/**
 * The gate in front of every route that spends quota or reads the account: closed when the
 * deployment has no tokens, open only to a configured bearer token (or to `authorize`).
 * Hono's `bearerAuth` reads the header and answers its refusals; the token is compared here,
 * by its SHA-256 against those of the configured tokens, in constant time. (`bearerAuth`'s own
 * comparison hashes both tokens again on every request, through `crypto.subtle`: two
 * asynchronous digests a request, the larger part of its cost.) This file adds what it lacks
 * too: the checks on configured tokens, failing closed until some are configured, and the
 * router's JSON answers.
 * @module
 */
import type { Env, MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { RouterError } from "./errors.ts";
import type { ResolvedRouterOptions } from "./options.ts";

const REALM = 'Bearer realm="prewarm"';

function refuse(message: string, challenge: string): () => never {
  return () => {
    throw new RouterError(401, "unauthorized", message, {
      headers: { "WWW-Authenticate": challenge },
    });
  };
}

/**
 * Whether `token` is one of those whose SHA-256 digests are `accepted`: one hash a request, and
 * a comparison whose time depends neither on where the digests differ nor on which one matches.
 */
function acceptedToken(token: string, accepted: readonly Uint8Array[]): boolean {
  const digest = sha256(utf8ToBytes(token));
  let matches = 0;
  for (const want of accepted) {
    let difference = 0;
    for (let i = 0; i < digest.length; i++) difference |= digest[i]! ^ want[i]!;
    matches |= difference === 0 ? 1 : 0;
  }
  return matches === 1;
}

/** `bearerAuth` for one set of tokens, answering each refusal with the router's 401. */
function bearerFor<E extends Env>(tokens: readonly string[]): MiddlewareHandler<E> {
  const noToken = refuse("Send a token: Authorization: Bearer <token>", REALM);
  const accepted = tokens.map((token) => sha256(utf8ToBytes(token)));
  return bearerAuth<E>({
    // Called with a token of the header's syntax (RFC 6750), as `token` would be compared.
    verifyToken: (token) => acceptedToken(token, accepted),
    noAuthenticationHeader: { message: noToken },
    // Another scheme, or more than one token: the request carries no token to judge.
    invalidAuthenticationHeader: { message: noToken },
    invalidToken: {
      message: refuse("The bearer token is not accepted", `${REALM}, error="invalid_token"`),
    },
  });
}

/**
 * Lets a request through when `authorize` says so, or when it carries one of the accepted
 * tokens. The 503 for a deployment without tokens comes before the header is even read, and
 * no message ever repeats what the request sent.
 */
export function authenticate<E extends Env>(
  options: ResolvedRouterOptions<E>,
): MiddlewareHandler<E> {
  // A deployment's tokens rarely change: keep the middleware of the last set seen.
  let last: { key: string; check: MiddlewareHandler<E> } | undefined;
  return async (c, next) => {
    if (options.authorize) {
      if (!await options.authorize(c)) refuse("This request is not authorized", REALM)();
      return await next();
    }
    const tokens = await options.tokens(c);
    const key = tokens.join("\n");
    if (last?.key !== key) last = { key, check: bearerFor<E>(tokens) };
    return await last.check(c, next);
  };
}
