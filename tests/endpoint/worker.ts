// The same probe in a Worker: what the runtime default picks (never a binding), what
// endpointFromEnv(env) reads, and whether process.env mirrors the bindings (nodejs_compat).
import { endpointFromEnv } from "../../mod.ts";
import { endpointUsed } from "./probe.ts";

export default {
  async fetch(_request: Request, env: Record<string, unknown>): Promise<Response> {
    const process = (globalThis as { process?: { env?: Record<string, unknown> } }).process;
    return Response.json({
      used: await endpointUsed(),
      fromEnv: endpointFromEnv(env) ?? null,
      processEnv: process?.env?.TENCENTCLOUD_ENDPOINT ?? null,
    });
  },
};
