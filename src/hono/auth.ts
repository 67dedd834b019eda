/**
 * The gate in front of every route that spends quota or reads the account: closed when the
 * deployment has no tokens, open only to a configured bearer token (or to `authorize`).
 * @module
 */
import type { Env, MiddlewareHandler } from "hono";
import type { ResolvedRouterOptions } from "./options.ts";
import { RouterError } from "./problem.ts";
import { bearerToken } from "./tokens.ts";

const REALM = 'Bearer realm="prewarm"';

function unauthorized(message: string, challenge: string): RouterError {
  return new RouterError(401, "unauthorized", message, {
    headers: { "WWW-Authenticate": challenge },
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
  return async (c, next) => {
    if (options.authorize) {
      if (await options.authorize(c) !== true) {
        throw unauthorized("This request is not authorized", REALM);
      }
      return await next();
    }
    const accepted = await options.tokens(c);
    const presented = bearerToken(c.req.header("authorization"));
    if (presented === undefined) {
      throw unauthorized("Send a token: Authorization: Bearer <token>", REALM);
    }
    if (!accepted.matches(presented)) {
      throw unauthorized("The bearer token is not accepted", `${REALM}, error="invalid_token"`);
    }
    await next();
  };
}
