/**
 * One end-to-end scenario for the prewarm router, spoken over real HTTP with `fetch` only, so
 * the same client checks every runtime that serves the router. The router must sit in front
 * of a fresh simulator (default domains, daily limit {@linkcode SCENARIO_DAILY_LIMIT}) and
 * allow the hosts in {@linkcode SCENARIO_ALLOWED_HOSTS}, with its default limits and its
 * console at `/`.
 */
import assert from "node:assert/strict";
import { assertConsolePage } from "./console_page.ts";

/** The `PREWARM_ALLOWED_HOSTS` the router under test must have. */
export const SCENARIO_ALLOWED_HOSTS = "*.example.com,missing.example.net";
/** The simulator's daily limit the scenario is written for. */
export const SCENARIO_DAILY_LIMIT = 10;
/** How many URLs the scenario gets accepted by the simulator, no more. */
export const SCENARIO_ACCEPTED_URLS = 5;

/** Where the router is and what it must never reveal. */
export interface ScenarioTarget {
  /** The router's base URL, ending in `/`. */
  baseUrl: string;
  /** A token the router accepts. */
  token: string;
  /** Strings that must appear in no response body or header (keys, tokens, ids). */
  secrets: readonly string[];
}

/** What the scenario saw, for the test to report. */
export interface ScenarioResult {
  /** Every status code answered, in order. */
  statuses: number[];
}

interface Seen {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

// deno-lint-ignore no-explicit-any
type Json = any;

function isConnectionReset(error: unknown): boolean {
  const text = [error, (error as { cause?: unknown })?.cause].map(String).join(" ");
  return error instanceof TypeError && /reset|broken pipe|EPIPE|closed/i.test(text);
}

/** Runs the scenario; throws an `AssertionError` at the first unexpected answer. */
export async function runScenario(target: ScenarioTarget): Promise<ScenarioResult> {
  const statuses: number[] = [];
  const texts: string[] = [];
  const auth = { authorization: `Bearer ${target.token}` };

  async function call(path: string, init: RequestInit = {}): Promise<Seen> {
    const response = await fetch(new URL(path, target.baseUrl), init);
    const text = await response.text();
    statuses.push(response.status);
    texts.push(text, [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n"));
    let json: Json = {};
    if (text !== "" && !response.headers.get("content-type")?.startsWith("text/html")) {
      json = JSON.parse(text);
    }
    return { status: response.status, headers: response.headers, text, json };
  }
  const postText = (lines: string[], headers: Record<string, string> = auth) =>
    call("prewarm", {
      method: "POST",
      headers: { ...headers, "content-type": "text/plain; charset=utf-8" },
      body: lines.join("\n"),
    });
  const postJson = (body: unknown, headers: Record<string, string> = auth) =>
    call("prewarm", {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  // Health: open, and says nothing about the configuration.
  let r = await call("health");
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: "ok" });

  // The console page: open to all, the same everywhere, behind a strict policy.
  r = await call("");
  assert.equal(r.status, 200);
  await assertConsolePage(r.text, r.headers);

  // Unauthenticated and wrongly authenticated: 401 with a Bearer challenge, nothing sent.
  r = await postJson({ urls: ["https://www.example.com/a.js"] }, {});
  assert.equal(r.status, 401);
  assert.match(r.headers.get("www-authenticate") ?? "", /^Bearer/);
  assert.equal((r.json as Json).error.code, "unauthorized");
  r = await postJson({ urls: ["https://www.example.com/a.js"] }, {
    authorization: `Bearer ${"x".repeat(target.token.length)}`,
  });
  assert.equal(r.status, 401);
  assert.match(r.headers.get("www-authenticate") ?? "", /invalid_token/);

  // The dry run: judged and counted against the budget, nothing sent.
  r = await call("prewarm/plan", {
    method: "POST",
    headers: { ...auth, "content-type": "text/plain" },
    body: "https://www.example.com/a.js\nhttps://elsewhere.example.org/z.js",
  });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((r.json as Json).counts, { input: 2, wouldSend: 1, rejected: 1, requests: 1 });
  assert.equal((r.json as Json).budget.used, 0);

  // Good requests, both formats: 200 with a report (2 + 2 URLs spent).
  r = await postJson({
    urls: ["https://www.example.com/a.js", "https://static.example.com/b.css"],
  });
  assert.equal(r.status, 200, r.text);
  const first = r.json as Json;
  assert.equal(first.counts.submitted, 2);
  assert.equal(first.tasks.length, 2);
  r = await postText([
    "# assets",
    "https://www.example.com/c.js",
    "",
    "https://img.example.com/d.png",
  ]);
  assert.equal(r.status, 200, r.text);
  assert.equal((r.json as Json).counts.submitted, 2);

  // Malformed bodies and wrong content types: 400 and 415 saying what is wrong.
  r = await postJson({ urls: ["https://www.example.com/e.js", 3] });
  assert.equal(r.status, 400);
  assert.equal((r.json as Json).error.code, "invalid-body");
  assert.match((r.json as Json).error.message, /item 1 is a number/);
  r = await call("prewarm", {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: '{"urls": [',
  });
  assert.equal(r.status, 400);
  r = await call("prewarm", {
    method: "POST",
    headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
    body: "urls=https://www.example.com/f.js",
  });
  assert.equal(r.status, 415);

  // Partly failing: one URL sent, one on a domain Tencent does not know, one off the
  // allow-list (never sent): 207 with every URL accounted for (1 more URL spent).
  r = await postJson({
    urls: [
      "https://www.example.com/g.js",
      "https://missing.example.net/h.js",
      "https://elsewhere.example.org/i.js",
    ],
  });
  assert.equal(r.status, 207, r.text);
  const partial = r.json as Json;
  assert.deepEqual(
    [partial.counts.submitted, partial.counts.failed, partial.counts.rejected],
    [1, 1, 1],
  );
  assert.equal(partial.rejected[0].reason, "host-not-allowed");
  assert.equal(partial.failed[0].error.code, "ResourceNotFound.CdnHostNotExists");

  // Every batch failing upstream: 502 with the report.
  r = await postJson({ urls: ["https://missing.example.net/j.js"] });
  assert.equal(r.status, 502, r.text);
  assert.equal((r.json as Json).error.code, "upstream-failed");
  assert.equal((r.json as Json).report.counts.failed, 1);

  // The budget: 5 of 10 spent; Tencent's count agrees.
  r = await call("quota", { headers: auth });
  assert.equal(r.status, 200, r.text);
  const quota = r.json as Json;
  assert.equal(quota.used, 5);
  const overseas = quota.upstream.quotas.find((q: Json) => q.area === "overseas");
  assert.equal(overseas.available, SCENARIO_DAILY_LIMIT - 5);

  // A task's status.
  r = await call(`tasks/${encodeURIComponent(first.tasks[0].taskId)}`, { headers: auth });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((r.json as Json).logs.map((l: Json) => l.url), first.tasks[0].urls);

  // Several tasks at once, one poll round: the simulator's tasks finish at once.
  const ids = first.tasks.map((t: Json) => encodeURIComponent(t.taskId)).join(",");
  r = await call(`tasks?ids=${ids}`, { headers: auth });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(
    (r.json as Json).urls.map((u: Json) => [u.url, u.status]),
    first.tasks.flatMap((t: Json) => t.urls.map((url: string) => [url, "done"])),
  );

  // More than is left today: Tencent refuses, the router answers 429 until Beijing midnight.
  r = await postText(Array.from({ length: 6 }, (_, i) => `https://www.example.com/k${i}.js`));
  assert.equal(r.status, 429, r.text);
  assert.match(r.headers.get("retry-after") ?? "", /^\d+$/);
  assert.equal((r.json as Json).report.rejected[0].reason, "daily-limit");

  // Unknown paths and wrong methods.
  r = await call("nope");
  assert.equal(r.status, 404);
  assert.equal((r.json as Json).error.code, "not-found");
  r = await call("prewarm", { method: "DELETE", headers: auth });
  assert.equal(r.status, 405);
  assert.match(r.headers.get("allow") ?? "", /POST/);

  // Oversized, last (a refused body may cost the connection): too many URLs, a body past
  // 256 KiB refused on its Content-Length, and one refused while streaming.
  const big = Array.from({ length: 8000 }, (_, i) => `https://www.example.com/big/${i}.js`);
  r = await postText(big.slice(0, 1001));
  assert.equal(r.status, 413);
  assert.equal((r.json as Json).error.code, "too-many-urls");
  r = await postText(big);
  assert.equal(r.status, 413);
  assert.equal((r.json as Json).error.code, "body-too-large");
  // The same without a Content-Length (chunked): the cap is enforced while reading. The router
  // stops reading mid-body, so the server may reset the connection instead of letting the 413
  // through (the client is still sending); either way nothing was accepted.
  const chunk = new TextEncoder().encode(big.slice(0, 1000).join("\n") + "\n");
  let sent = 0;
  try {
    r = await call("prewarm", {
      method: "POST",
      headers: { ...auth, "content-type": "text/plain" },
      body: new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 8) return controller.close();
          sent++;
          controller.enqueue(chunk);
        },
      }),
      duplex: "half",
    } as RequestInit);
    assert.equal(r.status, 413);
    assert.equal((r.json as Json).error.code, "body-too-large");
  } catch (error) {
    if (!isConnectionReset(error)) throw error;
  }

  // Nothing secret in anything the router answered.
  const everything = texts.join("\n");
  for (const secret of target.secrets) {
    assert.ok(!everything.includes(secret), "a secret appeared in a response");
  }
  return { statuses };
}
