import assert from "node:assert/strict";
import {
  classifyConnectionFailure,
  classifyHttpStatus,
  classifyV3Error,
  OUTCOME_POLICY,
} from "../src/rules/outcome.ts";
import { classifyV2Error, parseV2PushAnswer } from "../src/transport/v2.ts";
import { TencentCloudError } from "../src/rules/errors.ts";

Deno.test("docs/reliability.md's policy table is the policy the code follows", async () => {
  const text = await Deno.readTextFile(new URL("../docs/reliability.md", import.meta.url));
  const table = text.split("<!-- outcome-policy:start -->")[1]!.split(
    "<!-- outcome-policy:end -->",
  )[0]!;
  const rows = table.trim().split("\n").slice(2).map((line) =>
    line.split("|").slice(1, 5).map((cell) => cell.trim().replaceAll("`", ""))
  );
  const documented = Object.fromEntries(
    rows.map(([category, retry, spent, stop]) => [category, { retry, spent, stop }]),
  );
  const { success: _, ...failures } = OUTCOME_POLICY;
  assert.deepEqual(documented, failures);
});

Deno.test("an error's retryable and maybeSubmitted follow its category's policy", () => {
  for (const [category, policy] of Object.entries(OUTCOME_POLICY)) {
    if (category === "success") continue;
    const error = new TencentCloudError({
      code: "X",
      category: category as TencentCloudError["category"],
      message: "m",
    });
    assert.equal(error.retryable, policy.retry === "rate" || policy.retry === "backoff");
    assert.equal(error.maybeSubmitted, policy.spent === "maybe");
  }
});

Deno.test("classification: codes, statuses and network failures land where the spec says", () => {
  const v3: [string, string][] = [
    ["RequestLimitExceeded", "rate-limit"],
    ["RequestLimitExceeded.UinLimitExceeded", "rate-limit"],
    ["LimitExceeded.CdnPushExceedDayLimit", "daily-limit"],
    ["LimitExceeded.CdnPushExceedBatchLimit", "batch-limit"],
    ["UnauthorizedOperation.CdnProjectUnauthorized", "domain"],
    ["UnauthorizedOperation.CdnTagUnauthorized", "domain"],
    ["UnauthorizedOperation.CdnHostIsOwnedByOther", "domain"],
    ["UnauthorizedOperation.CdnHostIsUsedByOther", "domain"],
    ["UnauthorizedOperation.CdnUserIsIsolated", "account"],
    ["ResourceNotFound.CdnUserNotExists", "account"],
    ["OperationDenied.ProductUpdating", "account"],
    ["OperationDenied.ProductUpgraded", "account"],
    ["AuthFailure.SignatureExpire", "credentials"],
    ["UnauthorizedOperation.CdnCamUnauthorized", "credentials"],
    ["InternalError.CdnSystemError", "server"],
    ["InvalidParameter.CdnUrlExceedLength", "invalid-request"],
    ["FailedOperation.Whatever", "server"],
    ["NoSuchFamily.Whatever", "unknown"],
  ];
  for (const [code, category] of v3) assert.equal(classifyV3Error(code), category, code);
  assert.equal(classifyV2Error("4000", "23101"), "daily-limit");
  assert.equal(classifyV2Error("4400"), "rate-limit");
  assert.throws(
    () => parseV2PushAnswer({ status: 501, contentType: "text/html", text: "Not Implemented" }),
    (e: TencentCloudError) => e.category === "batch-limit" && !e.maybeSubmitted,
  );
  assert.equal(classifyHttpStatus(501), "server");
  assert.equal(classifyHttpStatus(503), "unavailable");
  assert.equal(classifyHttpStatus(404), "endpoint");
  const failure = (message: string, code?: string) =>
    classifyConnectionFailure(new TypeError("fetch failed", { cause: { code, message } }));
  assert.equal(failure("connect ECONNREFUSED").category, "unavailable");
  assert.equal(failure("getaddrinfo EAI_AGAIN x", "EAI_AGAIN").category, "unavailable");
  assert.equal(failure("dns error: temporary failure in name resolution").category, "unavailable");
  assert.equal(failure("getaddrinfo ENOTFOUND x", "ENOTFOUND").category, "endpoint");
  assert.equal(
    failure("dns error: failed to lookup address information: Name or service not known")
      .category,
    "endpoint",
  );
  assert.equal(failure("other side closed", "UND_ERR_SOCKET").category, "network");
});
