/**
 * `cdnV2()`: CDN API 2.0 overseas prefetch (`CdnOverseaPushser`), the documented system of the
 * seed page. Retired for CDN on 2022-11-30 (Beijing time), it serves stand-ins and old
 * gateways: it signs with HmacSHA256 or HmacSHA1 (which only this API needs, so only its users
 * pay for SHA-1), sends up to 20 URLs per request, and has no quota or task reads of its own
 * (API 3.0's `DescribePushTasks` reads the same account's tasks: wait with `cdn()`).
 * @module
 */
import type { TencentApi } from "../api.ts";
import { fail, oneOf } from "../rules/option_checks.ts";
import { budgetKeys } from "../rules/budget_day.ts";
import { pushV2Call, V2_ENDPOINT, V2_ERRORS, V2_PUSH_ACTION } from "../transport/v2.ts";
import type { CallContext, RawAnswer } from "../transport/send.ts";
import type { V2HttpMethod, V2SignatureMethod } from "../transport/v2_signature.ts";

/** Options of {@linkcode cdnV2}. */
export interface CdnV2Options {
  /** The signature algorithm. @default {"HmacSHA256"} */
  signatureMethod?: V2SignatureMethod;
  /** `POST` sends a form body, `GET` a query string. @default {"POST"} */
  method?: V2HttpMethod;
}

/** URLs per `CdnOverseaPushser` request. */
export const CDN_V2_BATCH_SIZE = 20;

/**
 * CDN API 2.0 overseas prefetch (`CdnOverseaPushser`), for
 * `prewarm(urls, { api: cdnV2({ method: "GET" }) })`. It spends the same overseas budget as
 * `cdn()` (`push:overseas:<day>`, 1000 a day) in batches of at most 20 URLs; each request is
 * signed with a fresh nonce at send time.
 *
 * @param options The HTTP method and the signature algorithm.
 * @throws {TypeError} for an unknown method or algorithm.
 *
 * @example
 * ```ts
 * import { prewarm } from "@qcdn/prewarm";
 * import { cdnV2 } from "@qcdn/prewarm/v2";
 *
 * const report = await prewarm(["https://www.example.com/app.js"], {
 *   api: cdnV2({ method: "POST", signatureMethod: "HmacSHA1" }),
 *   endpoint: "https://cdn.api.qcloud.com/v2/index.php",
 * });
 * console.log(report.api, report.tasks.map((t) => [t.taskId, t.date]));
 * ```
 */
export function cdnV2(options: CdnV2Options = {}): TencentApi {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Invalid options: expected an object, got ${String(options)}`);
  }
  const signatureMethod = oneOf(
    "signatureMethod",
    options.signatureMethod,
    ["HmacSHA256", "HmacSHA1"] as const,
    "HmacSHA256",
  );
  const method = oneOf("method", options.method, ["POST", "GET"] as const, "POST");
  const api: TencentApi = Object.freeze({
    name: "v2",
    title: `CDN API 2.0 ${V2_PUSH_ACTION}`,
    quotaName: "the overseas area",
    report: Object.freeze({ area: "overseas" as const }),
    endpoint: V2_ENDPOINT,
    action: V2_PUSH_ACTION,
    errors: V2_ERRORS,
    batchSize: { default: CDN_V2_BATCH_SIZE, max: CDN_V2_BATCH_SIZE },
    dailyLimit: 1000,
    reads: [],
    budgetKeys: (now: number) => budgetKeys("overseas", now),
    submit: (urls: readonly string[], context: CallContext) => {
      const { credentials, endpoint } = context;
      const call = pushV2Call({ credentials, endpoint, urls, method, signatureMethod });
      // The CDN makes one task per domain, and a batch holds one domain.
      return { ...call, parse: (answer: RawAnswer) => call.parse(answer)[0]! };
    },
    settings: ["area"],
    // A caller may name the one area it prefetches, and no other.
    configure: (settings: Readonly<Record<string, unknown>>) => {
      if (settings.area !== undefined && settings.area !== "overseas") {
        fail("area", '"overseas" (CDN API 2.0 prefetches overseas only)', settings.area);
      }
      return api;
    },
  });
  return api;
}
