/**
 * The router of the `POST /verify` end-to-end test, as a module every runtime serves: its own
 * Worker (`export default { fetch }`, settings from the bindings) and, through
 * `verify_serve.ts`, a server on Deno, Bun and Node (settings from the environment). Unlike the
 * examples it probes one more port besides 80 and 443: the simulated edge's, from `EDGE_PORT`.
 */
import { endpointFromEnv } from "../../mod.ts";
import { prewarmRouter } from "../../src/hono/mod.ts";

type Settings = Readonly<Record<string, unknown>> | undefined;

/** A setting from the Worker's bindings, else from the runtime's environment. */
function setting(env: Settings, name: string): string | undefined {
  const bound = env?.[name];
  if (typeof bound === "string") return bound;
  const g = globalThis as {
    Deno?: { env: { get(name: string): string | undefined } };
    process?: { env: Record<string, string | undefined> };
  };
  return g.Deno?.env.get(name) ?? g.process?.env[name];
}

let app: ReturnType<typeof prewarmRouter> | undefined;

/** Makes the router on the first request, when the Worker's bindings are known. */
function router(env: Settings): ReturnType<typeof prewarmRouter> {
  app ??= prewarmRouter({
    console: true,
    verify: { ports: [Number(setting(env, "EDGE_PORT"))] },
    prewarm: (c) => ({ endpoint: endpointFromEnv(c.env as Settings) }),
  });
  return app;
}

export default {
  fetch(request: Request, env?: Settings, context?: unknown): Response | Promise<Response> {
    return router(env).fetch(request, env, context as never);
  },
};
