/**
 * `POST /verify`: the same body and token as `POST /prewarm`, and `verifyWarm()` for its URLs,
 * from the server: only for hosts in the router's `allowedHosts` (without a list it probes
 * nothing: a server-side request to any host a caller names is what SSRF is), only on default
 * ports (or `verify.ports`), bounded per request in URLs, concurrency and time.
 * @module
 */
import type { Context, Env } from "hono";
import { type VerifyResult, verifyWarm } from "../verify/probe.ts";
import { readUrlBody } from "./body.ts";
import { RouterError } from "./errors.ts";
import type { ResolvedRouterOptions } from "./options.ts";

/** The body of `POST /verify`: what `verifyWarm()` found, and whether a simulator answered. */
export type RouterVerify = VerifyResult & {
  /** The router fronts a simulator (its `simulated` option): so does the edge it probed. */
  simulated?: true;
};

/** The `POST /verify` handler. */
export function verifyHandler<E extends Env>(
  options: ResolvedRouterOptions<E>,
): (c: Context<E>) => Promise<Response> {
  const limits = options.verify;
  return async (c) => {
    const config = await options.configure(c);
    const allowed = config.allowedHosts;
    if (!allowed) {
      throw new RouterError(
        403,
        "allowed-hosts-required",
        "This router probes only hosts in its allowedHosts, and none is set: its operator sets " +
          "PREWARM_ALLOWED_HOSTS (or the allowedHosts option) to enable POST /verify",
      );
    }
    const { urls } = await readUrlBody(c, options, {
      maxUrls: limits.maxUrls,
      name: "verify.maxUrls",
      verb: "probed",
    });
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), limits.maxTimeMs);
    let result: VerifyResult;
    try {
      result = await verifyWarm(urls, {
        method: limits.method,
        concurrency: limits.concurrency,
        timeoutMs: limits.timeoutMs,
        signal: deadline.signal,
        ...(limits.fetch && { fetch: limits.fetch }),
        refuse: (url) => {
          if (!allowed.allows(url.hostname)) {
            return `The host ${url.hostname} is not in this router's allowedHosts; not probed`;
          }
          if (url.port !== "" && !limits.ports.has(url.port)) {
            return `Port ${url.port} is not probed: only the default port of http: and https: ` +
              "(and the router's verify.ports)";
          }
          return undefined;
        },
      });
    } finally {
      clearTimeout(timer);
    }
    const answer: RouterVerify = config.simulated ? { ...result, simulated: true } : result;
    return c.json(answer, 200);
  };
}
