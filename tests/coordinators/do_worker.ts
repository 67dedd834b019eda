/**
 * A Worker for tests/coordinator_durable_object_test.ts: it binds `COORDINATOR` to a
 * {@linkcode PrewarmCoordinator} whose window clock and failures the test controls, and
 * exposes `durableObjectCoordinator()` clients and `prewarm()` over HTTP, so the test drives
 * the real client and the real object in workerd from Deno.
 *
 * - `POST /call {client, method, args}`: calls a method of client `client` (one
 *   `durableObjectCoordinator()` each); answers `{result}` or 500 `{error}`.
 * - `POST /clock {ms}`: the objects' window clock (null: the real one).
 * - `POST /fail {after}`: the objects fail every request after `after` more.
 * - `POST /prewarm {urls, options}`: runs `prewarm()` here with the coordinator.
 */
import { type Coordinator, prewarm, type PrewarmOptions } from "../../mod.ts";
import {
  durableObjectCoordinator,
  type DurableObjectNamespace,
  PrewarmCoordinator,
} from "../../src/coordinator/durable_object.ts";

let clock: number | null = null;
let failAfter = Infinity;

/** The coordinator object, with the test's clock and failures. */
export class TestCoordinator extends PrewarmCoordinator {
  protected override now(): number {
    return clock ?? Date.now();
  }

  override fetch(request: Request): Promise<Response> {
    if (failAfter-- <= 0) throw new Error("the object's storage is unreachable (test)");
    return super.fetch(request);
  }
}

interface Env {
  COORDINATOR: DurableObjectNamespace;
}

const clients = new Map<string, Coordinator>();

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const path = new URL(request.url).pathname;
    const body = await request.json();
    try {
      if (path === "/clock") {
        clock = body.ms;
        return Response.json({});
      }
      if (path === "/fail") {
        failAfter = body.after ?? Infinity;
        return Response.json({});
      }
      if (path === "/prewarm") {
        const options: PrewarmOptions = {
          ...body.options,
          coordinator: durableObjectCoordinator(env.COORDINATOR),
        };
        return Response.json(await prewarm(body.urls, options));
      }
      let client = clients.get(body.client);
      if (!client) clients.set(body.client, client = durableObjectCoordinator(env.COORDINATOR));
      const method = client[body.method as keyof Coordinator] as (...args: unknown[]) => unknown;
      const result = await method.apply(client, body.args);
      return Response.json({ result: result ?? null });
    } catch (error) {
      return Response.json({ error: String(error) }, { status: 500 });
    }
  },
};
