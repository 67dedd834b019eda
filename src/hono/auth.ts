/**
 * The gate in front of every route that spends quota or reads the account: closed when the
 * deployment has no tokens, open only to a configured bearer token (or to `authorize`).
 * Hono's `bearerAuth` reads the header and compares tokens (hashed, in constant time); this
 * file adds what it lacks: the checks on configured tokens, failing closed until some are
 * configured, and the router's JSON answers.
 * @module
 */
import type { Env, MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
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

/** `bearerAuth` for one set of tokens, answering each refusal with the router's 401. */
function bearerFor<E extends Env>(tokens: readonly string[]): MiddlewareHandler<E> {
  const noToken = refuse("Send a token: Authorization: Bearer <token>", REALM);
  return bearerAuth<E>({
    token: [...tokens],
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
