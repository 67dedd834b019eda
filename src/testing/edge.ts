/**
 * The edge of the simulated account: what a CDN node answers when someone asks it for one of the
 * account's URLs, with Tencent CDN's `X-Cache-Lookup` (or EdgeOne's `EO-Cache-Status`) headers,
 * so that prewarm → wait → verify runs without keys. A URL is a miss until its newest prefetch
 * task is `done` (and after a purge accepted since), a hit from then on, with `Age` counted on
 * the simulator's clock. Per-URL rules make one uncacheable, answer with several cache headers,
 * a redirect, or the whole file to a ranged request. The edge keys its cache by the whole URL:
 * the same path with another query string is another URL, and misses.
 *
 * @module
 */
import { inProcessFetch } from "./in_process_fetch.ts";
import { integerOption } from "./options_check.ts";
import type { EdgeState, TencentCdnSimulator } from "./simulator.ts";
import { sleep } from "./sleep.ts";

/** How the edge answers the URLs a rule matches. */
export interface EdgeRule {
  /** The exact URL (as a URL parser reads it), or a pattern tested against the request's URL. */
  match: string | RegExp;
  /**
   * `"uncacheable"`: the origin's answer forbids caching (`Cache-Control: no-store`), so every
   * request is a miss, prefetched or not. @default {"cacheable"}
   */
  cache?: "cacheable" | "uncacheable";
  /**
   * The cache header values of a hit, one header each (several are normal at Tencent's edge).
   * @default {["Cache Hit"] (X-Cache-Lookup), ["HIT"] (EO-Cache-Status)}
   */
  hit?: readonly string[];
  /** The cache header values of a miss. @default {["Cache Miss"], ["MISS"]} */
  miss?: readonly string[];
  /** Answer `301 Moved Permanently` with this `Location` (and the cache headers). */
  redirect?: string;
  /** Answer a ranged `GET` with the whole file (`200`), as an edge that ignores `Range` does. */
  ignoreRange?: boolean;
}

/** Options of {@linkcode SimulatedEdge}. */
export interface SimulatedEdgeOptions {
  /** Rules tried in order; the first whose `match` fits the URL decides. @default {[]} */
  rules?: readonly EdgeRule[];
  /** Added to every answer (real time, ms), so requests overlap as they would. @default {0} */
  latencyMs?: number;
  /** The size of every file, in bytes. @default {65536} */
  fileBytes?: number;
}

/** One request as the edge received and answered it. */
export interface EdgeRequest {
  /** `GET`, `HEAD`, … */
  method: string;
  /** The URL asked for. */
  url: string;
  /** The `Range` header, when the request carried one. */
  range?: string;
  /** The request's redirect mode (`manual` for a probe that does not follow redirects). */
  redirect: RequestRedirect;
  /** The status answered; 0 until it is. */
  status: number;
}

/** The cache header each service writes. */
const HEADER: Readonly<Record<"cdn" | "teo", string>> = {
  cdn: "X-Cache-Lookup",
  teo: "EO-Cache-Status",
};
const DEFAULT_VALUES: Readonly<Record<"cdn" | "teo", { hit: string[]; miss: string[] }>> = {
  cdn: { hit: ["Cache Hit"], miss: ["Cache Miss"] },
  teo: { hit: ["HIT"], miss: ["MISS"] },
};

function checkRules(value: unknown): readonly EdgeRule[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new TypeError(`Option "rules" must be an array; got ${typeof value}`);
  }
  return value.map((rule: unknown, i) => {
    const r = rule as EdgeRule;
    if (typeof r !== "object" || r === null) {
      throw new TypeError(`Option "rules[${i}]" must be an object; got ${typeof rule}`);
    }
    if (typeof r.match !== "string" && !(r.match instanceof RegExp)) {
      throw new TypeError(`Option "rules[${i}].match" must be a URL string or a RegExp`);
    }
    if (r.cache !== undefined && r.cache !== "cacheable" && r.cache !== "uncacheable") {
      throw new RangeError(
        `Option "rules[${i}].cache" must be "cacheable" or "uncacheable"; got ${String(r.cache)}`,
      );
    }
    for (const name of ["hit", "miss"] as const) {
      const values = r[name];
      if (
        values !== undefined &&
        (!Array.isArray(values) || values.some((v) => typeof v !== "string" || /[\r\n]/.test(v)))
      ) {
        throw new TypeError(`Option "rules[${i}].${name}" must be an array of header values`);
      }
    }
    // A URL string is read once, here, as a request's URL is read: each request then compares
    // strings instead of parsing every rule again.
    return Object.freeze({ ...r, match: typeof r.match === "string" ? asHref(r.match) : r.match });
  });
}

/** The URL as a URL parser writes it; a string that is not a URL, as it is. */
function asHref(match: string): string {
  try {
    return new URL(match).href;
  } catch {
    return match;
  }
}

/** Whether the rule matches a request's URL (`request.url`: already as a URL parser writes it). */
function sameAs(rule: EdgeRule, url: string): boolean {
  if (rule.match instanceof RegExp) {
    rule.match.lastIndex = 0;
    return rule.match.test(url);
  }
  return rule.match === url;
}

/**
 * A CDN edge in front of a {@linkcode TencentCdnSimulator}'s account: give `fetch` to
 * `verifyWarm()` (in-process, for URLs on any host), or serve `handle` on 127.0.0.1 and prewarm
 * URLs on its own origin (`http://localhost:PORT/…`, `localhost` being a domain of the account).
 * Only Web APIs, so it runs wherever the simulator does.
 *
 * @example Prewarm, wait and verify in-process
 * ```ts
 * import { prewarm, waitForTasks } from "@qcdn/prewarm";
 * import { verifyWarm } from "@qcdn/prewarm/verify";
 * import { SimulatedEdge, SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "@qcdn/prewarm/testing";
 *
 * const simulator = new TencentCdnSimulator({ domains: ["www.example.com"] });
 * const edge = new SimulatedEdge(simulator, {
 *   rules: [{ match: /\/api\//, cache: "uncacheable" }],
 * });
 * const options = { credentials: SIMULATOR_CREDENTIALS, fetch: simulator.fetch };
 * const report = await prewarm(["https://www.example.com/app.js"], options);
 * const done = await waitForTasks(report, options);
 * const warm = await verifyWarm(done, { fetch: edge.fetch });
 * console.log(warm.urls[0]?.state, edge.bodyBytesRead); // "hit" 0
 * ```
 */
export class SimulatedEdge {
  /** Every request received, in order of arrival. */
  readonly requests: EdgeRequest[] = [];
  readonly #simulator: TencentCdnSimulator;
  readonly #rules: readonly EdgeRule[];
  readonly #latencyMs: number;
  readonly #fileBytes: number;
  #inFlight = 0;
  #maxInFlight = 0;
  #bodyBytesRead = 0;

  /**
   * Puts an edge in front of the simulator's account.
   * @param simulator The account whose tasks, purges, domains and EdgeOne zones decide.
   * @throws {TypeError} @throws {RangeError} naming a bad option.
   */
  constructor(simulator: TencentCdnSimulator, options: SimulatedEdgeOptions = {}) {
    this.#simulator = simulator;
    this.#rules = checkRules(options.rules);
    this.#latencyMs = integerOption("latencyMs", options.latencyMs, 0, 0);
    this.#fileBytes = integerOption("fileBytes", options.fileBytes, 65536, 1);
  }

  /** The most requests answered at once (latency included). */
  get maxInFlight(): number {
    return this.#maxInFlight;
  }

  /** Body bytes anyone has read from the edge's answers: 0 while every client leaves bodies. */
  get bodyBytesRead(): number {
    return this.#bodyBytesRead;
  }

  /** Serves one request: pass it to `Deno.serve`, `Bun.serve` or a Worker. Bound. */
  readonly handle: (request: Request) => Promise<Response> = (request) => this.#serve(request);

  /** A drop-in for `fetch` that answers in-process, for URLs on any host. Bound. */
  readonly fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> =
    inProcessFetch((request) => this.#serve(request));

  async #serve(request: Request): Promise<Response> {
    this.#maxInFlight = Math.max(this.#maxInFlight, ++this.#inFlight);
    const range = request.headers.get("range");
    const record: EdgeRequest = {
      method: request.method,
      url: request.url,
      ...(range !== null && { range }),
      redirect: request.redirect,
      status: 0,
    };
    this.requests.push(record);
    try {
      if (this.#latencyMs > 0) await sleep(this.#latencyMs);
      const response = this.#answer(request);
      record.status = response.status;
      return response;
    } finally {
      this.#inFlight--;
    }
  }

  #answer(request: Request): Response {
    const { method, url } = request;
    if (method !== "GET" && method !== "HEAD") {
      return new Response(null, { status: 405, headers: { Allow: "GET, HEAD" } });
    }
    const rule = this.#rules.find((r) => sameAs(r, url));
    const state = this.#simulator.edgeStateOf(url);
    const headers = new Headers({
      "Accept-Ranges": "bytes",
      "Content-Type": "application/octet-stream",
    });
    const warm = this.#warm(state, rule);
    if (state.service !== undefined) {
      const values = rule?.[warm ? "hit" : "miss"] ??
        DEFAULT_VALUES[state.service][warm ? "hit" : "miss"];
      for (const value of values) headers.append(HEADER[state.service], value);
      if (warm && state.prefetch) {
        headers.set(
          "Age",
          String(Math.max(0, Math.floor((state.readAt - state.prefetch.updatedAt) / 1000))),
        );
      }
      headers.set("Cache-Control", rule?.cache === "uncacheable" ? "no-store" : "max-age=86400");
    }
    if (rule?.redirect !== undefined) {
      headers.set("Location", rule.redirect);
      return new Response(null, { status: 301, headers });
    }
    // The origin answers a URL whose prefetch it failed as invalid with 404.
    if (state.prefetch?.status === "invalid") return this.#body(404, headers, 0, method);
    const size = this.#fileBytes;
    const range = /^bytes=0-(\d+)$/.exec(request.headers.get("range") ?? "");
    if (method === "GET" && range && !rule?.ignoreRange) {
      const last = Math.min(Number(range[1]), size - 1);
      headers.set("Content-Range", `bytes 0-${last}/${size}`);
      return this.#body(206, headers, last + 1, method);
    }
    return this.#body(200, headers, size, method);
  }

  /** Whether the edge holds the URL: its newest prefetch is done, with no purge since. */
  #warm(state: EdgeState, rule: EdgeRule | undefined): boolean {
    return state.service !== undefined && rule?.cache !== "uncacheable" &&
      state.prefetch?.status === "done" && state.purgedAt === undefined;
  }

  /** An answer whose body is made only as it is read, each byte read counted. */
  #body(status: number, headers: Headers, size: number, method: string): Response {
    headers.set("Content-Length", String(size));
    if (method === "HEAD" || size === 0) return new Response(null, { status, headers });
    let left = size;
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        const chunk = Math.min(left, 16384);
        left -= chunk;
        this.#bodyBytesRead += chunk;
        controller.enqueue(new Uint8Array(chunk).fill(0x61));
        if (left === 0) controller.close();
      },
    }, { highWaterMark: 0 });
    return new Response(stream, { status, headers });
  }
}
