import { MemoryCoordinator } from "../../mod.ts";
/**
 * A router in front of an in-process simulator, on a fixed clock, for the router's tests.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import {
  prewarmRouter,
  type PrewarmRouterOptions,
  type RouterPrewarmDefaults,
} from "../../src/hono/mod.ts";
import {
  SimulatedEdge,
  type SimulatedEdgeOptions,
  SIMULATOR_CREDENTIALS,
  type SimulatorOptions,
  TencentCdnSimulator,
} from "../../src/testing/mod.ts";

/** 12:00 Beijing time: 12 hours (43200 s) before the quota resets. */
export const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);
/** A token the test routers accept. */
export const TOKEN = "test-token-0123456789abcdef";
/** The Authorization header carrying {@linkcode TOKEN}. */
export const AUTH = { authorization: `Bearer ${TOKEN}` } as const;

/** What {@linkcode setup} returns. */
export interface RouterSetup {
  sim: TencentCdnSimulator;
  /** The simulator's edge: where the router's `POST /verify` probes go (unless the test's
   * `verify` option sets its own `fetch`). */
  edge: SimulatedEdge;
  app: Hono;
  /** POSTs a JSON body (anything JSON.stringify takes) to /prewarm with the token. */
  postJson(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** POSTs text/plain lines to /prewarm with the token. */
  postText(lines: string[], query?: string): Promise<Response>;
  /** GETs a path with the token. */
  get(path: string): Promise<Response>;
  /** Moves the clock of the router and the simulator forward. */
  advance(ms: number): void;
}

/**
 * Makes a router with the token and the simulator's credentials, fast retries, and one clock
 * for both, standing at {@linkcode NOW} until the test advances it; its `POST /verify` probes
 * the simulator's edge (made with `edge`).
 */
export function setup(
  router: PrewarmRouterOptions = {},
  prewarm: RouterPrewarmDefaults = {},
  sim: SimulatorOptions = {},
  edge: SimulatedEdgeOptions = {},
): RouterSetup {
  let now = NOW;
  const simulator = new TencentCdnSimulator({ now: () => now, ...sim });
  const simulatedEdge = new SimulatedEdge(simulator, edge);
  const app = prewarmRouter({
    credentials: { ...SIMULATOR_CREDENTIALS },
    tokens: [TOKEN],
    prewarm: {
      fetch: simulator.fetch,
      now: () => now,
      retryDelayMs: 1,
      maxRetryDelayMs: 2,
      maxRequestsPerSecond: Infinity,
      coordinator: new MemoryCoordinator(),
      ...prewarm,
    },
    ...router,
    verify: { fetch: simulatedEdge.fetch, ...router.verify },
  });
  return {
    sim: simulator,
    edge: simulatedEdge,
    app,
    postJson: (body, headers = {}) =>
      Promise.resolve(app.request("/prewarm", {
        method: "POST",
        headers: { ...AUTH, "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      })),
    postText: (lines, query = "") =>
      Promise.resolve(app.request(`/prewarm${query}`, {
        method: "POST",
        headers: { ...AUTH, "content-type": "text/plain" },
        body: lines.join("\n"),
      })),
    get: (path) => Promise.resolve(app.request(path, { headers: AUTH })),
    advance: (ms) => void (now += ms),
  };
}

/** The error code of an error answer. */
export async function errorCode(response: Response): Promise<string> {
  const body = await response.json();
  return body.error.code;
}

/** Runs `fn` with `console.error` captured; returns what was logged, one string a call. */
export async function capturingLog(fn: () => Promise<void>): Promise<string[]> {
  const logged: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) =>
    void logged.push(args.map((a) => typeof a === "string" ? a : Deno.inspect(a)).join(" "));
  try {
    await fn();
  } finally {
    console.error = original;
  }
  return logged;
}

/**
 * Asserts a 503 `not-configured` answer that says nothing about the configuration: the detail
 * is for the operator's log only.
 */
export async function assertNotConfigured(response: Response, why = ""): Promise<void> {
  assert.equal(response.status, 503, why);
  assert.deepEqual(await response.json(), {
    error: {
      code: "not-configured",
      message: "This prewarm router is not configured yet; its operator finds what is missing " +
        "in the server log",
    },
  }, why);
}
