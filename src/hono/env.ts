/**
 * Reading settings the way a deployment provides them: from the Hono context's `env` (a
 * Worker's bindings and secrets) first, then from the runtime's environment.
 * @module
 */

/** The variable that lists the accepted bearer tokens, comma-separated. */
export const TOKENS_ENV_VAR = "PREWARM_TOKENS";

/** The variable that lists the hostnames the router may prefetch for, comma-separated. */
export const ALLOWED_HOSTS_ENV_VAR = "PREWARM_ALLOWED_HOSTS";

/** `c.env` as a record to read names from, or `undefined` when it is not an object. */
export function bindingsOf(env: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof env === "object" && env !== null ? env as Record<string, unknown> : undefined;
}

/** Reads `name` from `Deno.env` or `process.env`; `undefined` when unset or not permitted. */
export function runtimeVariable(name: string): string | undefined {
  const g = globalThis as {
    Deno?: { env?: { get(name: string): string | undefined } };
    process?: { env?: Record<string, string | undefined> };
  };
  try {
    if (g.Deno?.env) return g.Deno.env.get(name);
    return g.process?.env?.[name];
  } catch {
    return undefined; // Deno without --allow-env: unset, not an error.
  }
}

/** Reads `name` from the bindings when they hold it as a string, else from the runtime. */
export function readVariable(env: unknown, name: string): string | undefined {
  const bound = bindingsOf(env)?.[name];
  return typeof bound === "string" ? bound : runtimeVariable(name);
}
