import assert from "node:assert/strict";
import { cdnV2 } from "../src/apis/cdn_v2.ts";
import { cdn } from "../src/apis/cdn.ts";
import {
  describePushQuota,
  describePushTasks,
  MemoryCoordinator,
  prewarm,
  type PrewarmReport,
} from "../mod.ts";
import { type SimulatorFault, TencentCdnSimulator } from "../src/testing/mod.ts";
import { urlsOn } from "./_helpers.ts";
import { FakeTime } from "./_fake_time.ts";

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);
const credentials = {
  secretId: "AKIDsecretsTest000000000000000000000",
  secretKey: "Sup3rS3cretKeyThatMustNeverLeak+/=",
  token: "SessionTokenThatMustNeverLeak0123456789",
};

/** A fetch around the simulator that remembers every signature it sent. */
function recordingSim() {
  const sim = new TencentCdnSimulator({ now: () => NOW, credentials: [credentials] });
  const signatures: string[] = [];
  const fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers);
    const auth = headers.get("authorization");
    if (auth) signatures.push(/Signature=([0-9a-f]+)/.exec(auth)![1]!);
    const form = typeof init.body === "string" ? init.body : new URL(input).search.slice(1);
    const v2 = new URLSearchParams(form).get("Signature");
    if (v2) signatures.push(v2);
    return await sim.fetch(input, init);
  };
  return { sim, fetch, signatures };
}

function leaks(text: string, signatures: string[]): string[] {
  const secrets = [credentials.secretKey, credentials.token, ...signatures];
  return secrets.filter((s) => text.includes(s) || text.includes(encodeURIComponent(s)));
}

function renderings(report: PrewarmReport): string {
  const errors = report.failed.map((f) => f.error);
  return [
    JSON.stringify(report),
    Deno.inspect(report, { depth: 10 }),
    ...errors.flatMap((e) => [String(e), e.stack ?? "", e.message, Deno.inspect(e)]),
  ].join("\n");
}

const faults: SimulatorFault[] = [
  { type: "rate-limit" },
  { type: "error", code: "InternalError" },
  { type: "error", code: "AuthFailure.SignatureFailure" },
  { type: "html", status: 502 },
  { type: "status", status: 503, body: "busy" },
  { type: "reset" },
  { type: "refuse" },
  { type: "delay", ms: 40 },
];

Deno.test("no secret or signature in any report, error, string or stack", async () => {
  // The faults' waits (a rate limit's pause, timeouts) on a fake clock.
  using time = new FakeTime(NOW);
  for (const api of ["v2", "v3"] as const) {
    for (const method of ["GET", "POST"] as const) {
      const { sim, fetch, signatures } = recordingSim();
      sim.inject(...faults);
      const report = await time.run(prewarm(
        [...urlsOn("www.example.com", 3), ...urlsOn("static.example.com", 3), "bad url"],
        {
          credentials,
          api: api === "v2" ? cdnV2({ method }) : cdn(),
          fetch,
          now: () => NOW,
          timeoutMs: 20,
          retries: 1,
          retryDelayMs: 1,
          concurrency: 1,
          maxRequestsPerSecond: Infinity,
          coordinator: new MemoryCoordinator(),
        },
      ));
      assert.ok(signatures.length >= 2, "signatures were recorded");
      assert.ok(report.failed.length > 0, "errors were produced");
      assert.deepEqual(leaks(renderings(report), signatures), [], `${api} ${method}`);
      await time.run(new Promise((r) => setTimeout(r, 50)));
    }
  }
});

Deno.test("a fetch error quoting the signed URL does not reach the report", async () => {
  const signatures: string[] = [];
  const fetch = (input: string): Promise<Response> => {
    signatures.push(new URL(input).searchParams.get("Signature")!);
    // Deno's own fetch errors quote the URL, and an API 2.0 GET URL holds the signature.
    const cause = new Error(`error sending request for url (${input}): connection closed`);
    return Promise.reject(new TypeError(`fetch failed: ${input}`, { cause }));
  };
  const report = await prewarm(urlsOn("www.example.com", 2), {
    credentials,
    api: cdnV2({ method: "GET" }),
    fetch,
    now: () => NOW,
    coordinator: new MemoryCoordinator(),
  });
  assert.equal(report.failed[0]!.maybeSubmitted, true);
  assert.deepEqual(leaks(renderings(report), signatures), []);
});

Deno.test("an upstream message echoing the secret is redacted", async () => {
  const { sim, fetch, signatures } = recordingSim();
  sim.inject({
    type: "error",
    code: "InvalidParameter",
    message: `bad key ${credentials.secretKey} token ${credentials.token}`,
  });
  const report = await prewarm(urlsOn("www.example.com", 1), {
    credentials,
    fetch,
    now: () => NOW,
    coordinator: new MemoryCoordinator(),
  });
  assert.match(report.failed[0]!.error.message, /bad key \[redacted\] token \[redacted\]/);
  assert.deepEqual(leaks(renderings(report), signatures), []);
});

Deno.test("describe calls: thrown errors carry no secret", async () => {
  const { sim, fetch, signatures } = recordingSim();
  sim.inject({ type: "error", code: "AuthFailure.SignatureFailure" });
  sim.inject({ type: "html", status: 500 });
  const options = { credentials, fetch, now: () => NOW, retries: 0 };
  for (const call of [() => describePushQuota(options), () => describePushTasks("t", options)]) {
    const error = await call().then(() => assert.fail("should throw"), (e: Error) => e);
    const text = [String(error), error.stack, JSON.stringify(error), Deno.inspect(error)].join();
    assert.deepEqual(leaks(text, signatures), []);
  }
});
