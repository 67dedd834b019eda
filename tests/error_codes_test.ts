// Tencent's own error lists (docs/tencent-error-codes.md: every code each called action may
// return, and the common codes) against the one outcome table: every listed code has a
// deliberate row, the row the doc names, and advice that is not the generic default; then the
// decisions issue 18 asked for, end to end through prewarm().

import assert from "node:assert/strict";
import {
  classifyV3Error,
  type ErrorCategory,
  type Outcome,
  OUTCOME_POLICY,
  V3_CATEGORIES,
} from "../src/rules/outcome.ts";
import { adviceFor, errorAdvice } from "../src/rules/advice.ts";
import type { ErrorRows } from "../src/rules/outcome.ts";
import { KNOWN_ERROR_ROWS } from "../src/apis/spec.ts";
import { PURGE_ERRORS } from "../src/apis/cdn_purge.ts";
import { EDGEONE_ERRORS } from "../src/apis/edgeone_zone.ts";
import { upstreamError } from "../src/rules/errors.ts";
import { MemoryCoordinator, prewarm, type PrewarmOptions } from "../mod.ts";
import { edgeOne } from "../src/edgeone.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";
import { assertAccounted, urlsOn } from "./_helpers.ts";

const ACTIONS = [
  "PushUrlsCache",
  "DescribePushTasks",
  "DescribePushQuota",
  "PurgeUrlsCache",
  "DescribePurgeTasks",
  "DescribePurgeQuota",
  "CreatePrefetchTask",
  "DescribePrefetchTasks",
  "DescribeContentQuota",
];

const text = await Deno.readTextFile(new URL("../docs/tencent-error-codes.md", import.meta.url));

function between(start: string, end: string): string {
  const after = text.split(start)[1] ?? "";
  assert.ok(after.includes(end), `docs/tencent-error-codes.md has ${start} … ${end}`);
  return after.split(end)[0]!;
}

// The cells of each table row whose first cell is a code in backticks.
function rows(markdown: string): string[][] {
  return markdown.split("\n")
    .filter((line) => /^\| `[^`]+` \|/.test(line))
    .map((line) => line.split("|").slice(1, -1).map((cell) => cell.trim()));
}

const unquote = (cell: string) => cell.replaceAll("`", "");

interface Decision {
  category: ErrorCategory;
  row: string;
  why: string;
}

const decisions = new Map<string, Decision>();
for (
  const [code, category, row, why] of rows(
    between("<!-- error-codes:start -->", "<!-- error-codes:end -->"),
  )
) {
  assert.ok(!decisions.has(unquote(code!)), `${code} is decided once`);
  decisions.set(unquote(code!), {
    category: category as ErrorCategory,
    row: unquote(row!),
    why: why!,
  });
}

// Each list: its heading's first word (an action, "Common" or "Other") → its codes.
const lists = new Map<string, string[]>();
// The API whose own error rows (on top of the shared table) decide a code of each list; the
// "Other" list names each code's product.
const API_ROWS: Record<string, ErrorRows> = {
  PurgeUrlsCache: PURGE_ERRORS,
  DescribePurgeTasks: PURGE_ERRORS,
  DescribePurgeQuota: PURGE_ERRORS,
  CreatePrefetchTask: EDGEONE_ERRORS,
  DescribePrefetchTasks: EDGEONE_ERRORS,
  DescribeContentQuota: EDGEONE_ERRORS,
};
const otherRows = new Map<string, ErrorRows | undefined>();
for (
  const section of between("<!-- error-lists:start -->", "<!-- error-lists:end -->").split(/^### /m)
    .slice(1)
) {
  const name = section.split(/\s/, 1)[0]!;
  lists.set(name, rows(section).map(([code]) => unquote(code!)));
  if (name !== "Other") continue;
  for (const [code, product] of rows(section)) {
    otherRows.set(unquote(code!), product === "EdgeOne" ? EDGEONE_ERRORS : undefined);
  }
}
const listed = new Set([...lists.values()].flat());
/** The lists of a code, each with the rows its API decides it by. */
function listsOf(code: string): [string, ErrorRows | undefined][] {
  return [...lists].filter(([, codes]) => codes.includes(code)).map(([name]) => [
    name,
    name === "Other" ? otherRows.get(code) : API_ROWS[name],
  ]);
}
// Outside one list's context: every API's rows, as the command line and the router read them.
const classify = (code: string) => classifyV3Error(code, KNOWN_ERROR_ROWS);
const advise = (category: ErrorCategory, code: string) =>
  adviceFor(category, code, false, undefined, KNOWN_ERROR_ROWS);

const GENERIC = adviceFor("unknown", "");
const KEYS = adviceFor("credentials", "");

Deno.test("the checked-in lists hold every called action's codes and the common codes", () => {
  assert.deepEqual([...lists.keys()].sort(), [...ACTIONS, "Common", "Other"].sort());
  for (const [name, codes] of lists) {
    assert.ok(codes.length > 0, `${name} lists codes`);
    assert.equal(new Set(codes).size, codes.length, `${name} lists each code once`);
    for (const code of codes) assert.match(code, /^[A-Z][A-Za-z]+(\.[A-Za-z0-9]+)?$/, code);
  }
  assert.equal(lists.get("Common")!.length, 38);
  assert.ok(lists.get("PushUrlsCache")!.includes("ResourceUnavailable.CdnHostIsLocked"));
  assert.ok(lists.get("CreatePrefetchTask")!.includes("UnauthorizedOperation.Unknown"));
});

Deno.test("every listed code has one decision, and every decision a listed code", () => {
  assert.deepEqual(
    [...decisions.keys()].filter((code) => !listed.has(code)),
    [],
    "decided, not listed",
  );
  assert.deepEqual(
    [...listed].filter((code) => !decisions.has(code)).sort(),
    [],
    "listed, not decided",
  );
});

Deno.test("every listed code: the category, row, policy and advice its decision names", () => {
  for (const [code, { category, row, why }] of decisions) {
    assert.ok(category in OUTCOME_POLICY && category !== "unknown", `${code}: ${category}`);
    assert.ok(why.length > 0, `${code} says why`);
    for (const [list, apiRows] of listsOf(code)) {
      const where = `${code} (${list})`;
      assert.equal(classifyV3Error(code, apiRows), category, where);
      // Its own row (shared, or its API's), or the family row the decision names: never one it
      // falls into unawares.
      const own = Object.hasOwn(V3_CATEGORIES, code) ||
        Object.hasOwn(apiRows?.categories ?? {}, code);
      if (row === "own") {
        assert.ok(own, `${where} has its own row`);
      } else {
        const family = code.split(".")[0]!;
        assert.equal(row, `${family}.*`, `${where}: its row is its own or its family's`);
        assert.ok(!own, `${where} is decided by ${row}, not its own row`);
        assert.equal(V3_CATEGORIES[family], category, `${where} by ${row}`);
      }
      const error = upstreamError(code, "Tencent's message", classifyV3Error(code, apiRows), 200, {
        requestId: "request-1",
      });
      const policy: Outcome = OUTCOME_POLICY[category];
      assert.equal(error.category, category, where);
      assert.equal(error.maybeSubmitted, policy.spent === "maybe", `${where} maybeSubmitted`);
      assert.equal(error.retryable, policy.retry === "rate" || policy.retry === "backoff", where);
      const advice = adviceFor(category, code, false, undefined, apiRows);
      assert.notEqual(advice, GENERIC, `${where} gets more than the generic advice`);
      // The message says what went wrong; errorAdvice() what to do, with the API's rows.
      assert.equal(error.message, `Tencent's message (${code})`, where);
      assert.equal(
        errorAdvice(error, { errors: apiRows }),
        adviceFor(category, code, !error.maybeSubmitted, undefined, apiRows),
        where,
      );
    }
  }
});

Deno.test("an API's own rows decide only its codes: the shared table knows none of them", () => {
  for (const apiRows of [PURGE_ERRORS, EDGEONE_ERRORS]) {
    for (const code of Object.keys(apiRows.categories ?? {})) {
      assert.ok(!Object.hasOwn(V3_CATEGORIES, code), `${code} is decided in one place`);
      for (const [list, rowsOfList] of listsOf(code)) {
        assert.equal(rowsOfList, apiRows, `${code} is listed for ${list}, an action of its API`);
      }
    }
  }
});

// Issue 18's list, spelled out: each line fails on the table as it was before.
Deno.test("refusals of every request stop the run, with advice that fits", () => {
  for (
    const code of [
      "IpInBlacklist",
      "IpNotInWhitelist",
      "ResourceUnavailable.CheckUserHighRisk",
      "InvalidAction",
      "ActionOffline",
      "NoSuchVersion",
      "NoSuchProduct",
      "UnsupportedProtocol",
      "UnsupportedRegion",
      "ResourceNotFound.ZoneNotFound",
      "ResourceUnavailable.ZoneNotFound",
      "InvalidParameterValue.ZoneNotFound",
      "OperationDenied",
    ]
  ) {
    const category = classify(code);
    assert.deepEqual(OUTCOME_POLICY[category], { retry: "no", spent: "no", stop: "run" }, code);
    assert.notEqual(advise(category, code), KEYS, `${code} is not about the keys`);
  }
  assert.match(adviceFor("account", "IpNotInWhitelist"), /IP/);
  assert.match(advise("account", "ResourceNotFound.ZoneNotFound"), /zoneId/);
});

/** Issue 18's refusals about one domain. */
const DOMAIN_CODES = [
  "ResourceUnavailable.CdnHostIsLocked",
  "InvalidParameter.CdnHostInvalidStatus",
  "InvalidParameter.CdnHostInvalidMiddleConfig",
  "InvalidParameter.CdnHostInvalidParam",
];

Deno.test("refusals about one domain stop that host only", () => {
  for (const code of DOMAIN_CODES) {
    assert.equal(classify(code), "domain", code);
  }
  assert.equal(OUTCOME_POLICY.domain.stop, "host");
});

Deno.test("RequestSizeLimitExceeded splits the batch, as API 2.0's HTTP 501 does", () => {
  assert.equal(classifyV3Error("RequestSizeLimitExceeded"), "batch-limit");
  assert.equal(OUTCOME_POLICY["batch-limit"].retry, "split");
});

Deno.test("server-side failures may have been processed, whatever their family", () => {
  const server = [...listed].filter((code) => code.startsWith("InternalError"));
  server.push(
    "InvalidParameter.CdnInterfaceError",
    "UnauthorizedOperation.Unknown",
    "FailedOperation",
    "ResponseSizeLimitExceeded",
  );
  assert.ok(server.length > 15);
  for (const code of server) {
    const error = upstreamError(code, "m", classify(code), 200);
    assert.equal(error.maybeSubmitted, true, code);
    assert.equal(error.retryable, false, code);
  }
});

Deno.test("account states get advice about the account, not the keys", () => {
  for (
    const code of [
      "UnauthorizedOperation.CdnUserAuthFail",
      "UnauthorizedOperation.CdnUserAuthWait",
      "UnauthorizedOperation.CdnUserIsSuspended",
      "UnauthorizedOperation.CdnInvalidUserStatus",
      "UnauthorizedOperation.EcdnMigratedCdn",
      "UnauthorizedOperation.CdnUserIsIsolated",
      "ResourceNotFound.CdnUserNotExists",
    ]
  ) {
    const category = classify(code);
    assert.equal(category, "account", code);
    const advice = advise(category, code);
    assert.doesNotMatch(advice, /SECRET|token|key/i, code);
    assert.match(advice, /account/, code);
  }
  assert.match(adviceFor("account", "UnauthorizedOperation.CdnUserAuthWait"), /verification/);
});

Deno.test("rate limits and quotas keep their rows", () => {
  const expected: [string, ErrorCategory][] = [
    ["RequestLimitExceeded.GlobalRegionUinLimitExceeded", "rate-limit"],
    ["RequestLimitExceeded.IPLimitExceeded", "rate-limit"],
    ["RequestLimitExceeded.UinLimitExceeded", "rate-limit"],
    ["LimitExceeded.CdnHostOpTooOften", "rate-limit"],
    ["UnauthorizedOperation.OperationTooOften", "rate-limit"],
    ["LimitExceeded.CdnPushExceedDayLimit", "daily-limit"],
    ["LimitExceeded.CdnPurgeExceedDayLimit", "daily-limit"],
    ["LimitExceeded.CdnPurgeUrlExceedDayLimit", "daily-limit"],
    ["LimitExceeded.DailyQuota", "daily-limit"],
    ["LimitExceeded.CdnPushExceedBatchLimit", "batch-limit"],
    ["LimitExceeded.CdnPurgeExceedBatchLimit", "batch-limit"],
    ["LimitExceeded.CdnPurgeUrlExceedBatchLimit", "batch-limit"],
    ["LimitExceeded.BatchQuota", "batch-limit"],
  ];
  for (const [code, category] of expected) assert.equal(classify(code), category, code);
});

Deno.test("a code named like an Object member is just unknown", () => {
  for (const code of ["constructor", "toString", "__proto__", "hasOwnProperty.x", "valueOf"]) {
    assert.equal(classify(code), "unknown", code);
    assert.equal(adviceFor("unknown", code), GENERIC, code);
    assert.equal(typeof upstreamError(code, "m", classify(code), 200).message, "string");
  }
});

// ---------------------------------------------------------------------------------------------
// End to end through prewarm(): the simulator behind a fetch that answers chosen pushes with a
// Tencent error, as Tencent would (HTTP 200, application/json), and passes the rest through.

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);

interface Push {
  action: string;
  urls: string[];
  refused?: string;
}

/** `refuse` names the error code for a push (its URLs), or undefined to let it through. */
function refusingFetch(sim: TencentCdnSimulator, refuse: (urls: string[]) => string | undefined) {
  const pushes: Push[] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const action = (init.headers as Record<string, string>)["X-TC-Action"] ?? "";
    if (action !== "PushUrlsCache" && action !== "CreatePrefetchTask") return sim.fetch(url, init);
    const body = JSON.parse(String(init.body));
    const push: Push = { action, urls: body.Urls ?? body.Targets };
    pushes.push(push);
    const code = refuse(push.urls);
    if (code === undefined) return await sim.fetch(url, init);
    push.refused = code;
    const error = { Error: { Code: code, Message: `Tencent says ${code}` }, RequestId: "r-1" };
    return new Response(JSON.stringify({ Response: error }), {
      headers: { "content-type": "application/json" },
    });
  };
  return { fetch, pushes };
}

function run(
  refuse: (urls: string[]) => string | undefined,
  options: Partial<PrewarmOptions> = {},
) {
  const sim = new TencentCdnSimulator({
    now: () => NOW,
    teoZones: [{ zoneId: "zone-a", domains: ["www.example.com", "img.example.com"] }],
  });
  const coordinator = new MemoryCoordinator();
  const { fetch, pushes } = refusingFetch(sim, refuse);
  const base: PrewarmOptions = {
    credentials: { ...SIMULATOR_CREDENTIALS },
    fetch,
    now: () => NOW,
    coordinator,
    retryDelayMs: 1,
    maxRetryDelayMs: 5,
    maxRequestsPerSecond: Infinity,
    concurrency: 1,
    ...options,
  };
  return { sim, pushes, coordinator, options: base };
}

const input = [...urlsOn("www.example.com", 6), ...urlsOn("img.example.com", 6)];

for (
  const code of [
    "IpNotInWhitelist",
    "IpInBlacklist",
    "ResourceUnavailable.CheckUserHighRisk",
    "InvalidAction",
    "NoSuchVersion",
    "UnauthorizedOperation.CdnUserAuthWait",
  ]
) {
  Deno.test(`prewarm: ${code} stops the run after the first batch; the rest fail unsent`, async () => {
    const { sim, pushes, options } = run(() => code);
    const report = await prewarm(input, { ...options, batchSize: 3 });
    assertAccounted(input, report);
    assert.equal(pushes.length, 1, "not sent into again, batch after batch");
    assert.equal(report.counts.submitted, 0);
    assert.equal(report.failed.length, 4, "four batches of three");
    for (const failed of report.failed) {
      assert.equal(failed.error.code, code);
      assert.equal(failed.maybeSubmitted, false);
      assert.doesNotMatch(failed.error.message, /TENCENTCLOUD_SECRET/);
    }
    assert.equal(sim.accepted.length, 0);
  });
}

Deno.test("prewarm (EdgeOne): ResourceNotFound.ZoneNotFound stops the run, advice names zoneId", async () => {
  const { pushes, options } = run(() => "ResourceNotFound.ZoneNotFound");
  const report = await prewarm(input, {
    ...options,
    api: edgeOne({ zoneId: "zone-a" }),
    batchSize: 3,
  });
  assertAccounted(input, report);
  assert.deepEqual(pushes.map((p) => [p.action, p.refused]), [
    ["CreatePrefetchTask", "ResourceNotFound.ZoneNotFound"],
  ]);
  assert.equal(report.failed.length, 4);
  const teo = edgeOne({ zoneId: "zone-a" });
  assert.ok(
    report.failed.every((f) => !f.maybeSubmitted && /zoneId/.test(errorAdvice(f.error, teo))),
  );
});

for (const code of DOMAIN_CODES) {
  Deno.test(`prewarm: ${code} stops that host only; the other host goes on`, async () => {
    const { sim, pushes, options } = run((urls) =>
      urls[0]!.startsWith("https://www.example.com/") ? code : undefined
    );
    const report = await prewarm(input, { ...options, batchSize: 3 });
    assertAccounted(input, report);
    const sentFor = (host: string) => pushes.filter((p) => p.urls[0]!.includes(`//${host}/`));
    assert.equal(sentFor("www.example.com").length, 1, "the refused host is not sent into again");
    assert.equal(sentFor("img.example.com").length, 2);
    assert.equal(report.counts.submitted, 6);
    assert.ok(report.tasks.every((t) => t.host === "img.example.com"));
    assert.equal(report.failed.length, 2);
    for (const failed of report.failed) {
      assert.equal(failed.host, "www.example.com");
      assert.equal(failed.error.code, code);
      assert.equal(failed.maybeSubmitted, false);
    }
    assert.equal(sim.quotaUsed("overseas"), 6);
  });
}

Deno.test("prewarm: RequestSizeLimitExceeded halves the batch until it fits", async () => {
  const { sim, pushes, options } = run((urls) =>
    urls.length > 2 ? "RequestSizeLimitExceeded" : undefined
  );
  const urls = urlsOn("www.example.com", 5);
  const report = await prewarm(urls, { ...options, batchSize: 5 });
  assertAccounted(urls, report);
  assert.equal(report.counts.submitted, 5);
  assert.equal(report.failed.length, 0);
  assert.deepEqual(pushes.map((p) => [p.urls.length, p.refused ?? "ok"]), [
    [5, "RequestSizeLimitExceeded"],
    [3, "RequestSizeLimitExceeded"],
    [2, "ok"],
    [1, "ok"],
    [2, "ok"],
  ]);
  assert.deepEqual(sim.accepted.flatMap((t) => t.urls).sort(), [...urls].sort());
});

for (
  const [code, backend] of [
    ["InternalError.CdnSystemError", undefined],
    ["InvalidParameter.CdnInterfaceError", undefined],
    ["FailedOperation", undefined],
    ["UnauthorizedOperation.Unknown", edgeOne({ zoneId: "zone-a" })],
  ] as const
) {
  Deno.test(`prewarm: ${code} on a batch: reported maybeSubmitted, its budget kept spent`, async () => {
    const { pushes, coordinator, options } = run((urls) =>
      urls[0]!.startsWith("https://www.example.com/") ? code : undefined
    );
    const report = await prewarm(input, {
      ...options,
      batchSize: 6,
      ...(backend && { api: backend }),
    });
    assertAccounted(input, report);
    assert.equal(pushes.length, 2, "sent once each: an ambiguous failure is not retried");
    assert.equal(report.failed.length, 1);
    const [failed] = report.failed;
    assert.equal(failed!.error.code, code);
    assert.equal(failed!.maybeSubmitted, true);
    assert.equal(failed!.error.maybeSubmitted, true);
    assert.match(errorAdvice(failed!.error, backend), /may have been processed/);
    assert.equal(report.counts.maybeSubmitted, 6);
    assert.equal(report.counts.submitted, 6, "the other host goes on");
    const account = backend
      ? `${SIMULATOR_CREDENTIALS.secretId}@teo.tencentcloudapi.com`
      : `${SIMULATOR_CREDENTIALS.secretId}@cdn.tencentcloudapi.com`;
    const key = backend ? "teo:zone-a:2026-11-28" : "push:overseas:2026-11-28";
    const usage = coordinator.usage(account, key, NOW);
    assert.equal(usage.spent, 12, "the maybe-submitted batch keeps its budget spent");
  });
}

Deno.test("prewarm: an upstream code named like an Object member fails its batch as unknown", async () => {
  const { options } = run(() => "constructor");
  const urls = urlsOn("www.example.com", 2);
  const report = await prewarm(urls, options);
  assertAccounted(urls, report);
  assert.equal(report.failed[0]!.error.category, "unknown");
  assert.match(report.failed[0]!.error.message, /\(constructor\)$/);
  assert.match(errorAdvice(report.failed[0]!.error), /^See Tencent Cloud's error code/);
});
