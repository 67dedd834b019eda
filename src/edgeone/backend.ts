/**
 * `edgeOne({ zoneId })`: the EdgeOne backend of `prewarm()` and `waitForTasks()`.
 * `CreatePrefetchTask` submits a batch (one `JobId`; its `FailedList` names the targets it
 * refused), `DescribeContentQuota` gives the zone's limits, `DescribePrefetchTasks` the status
 * of each target.
 * @module
 */
import type { PrewarmBackend, Submission } from "../backend.ts";
import { localError, type TencentCloudError } from "../errors.ts";
import type { PrewarmOptions } from "../options.ts";
import { PUSH_PARAMETERS } from "../push_parameters.ts";
import { budgetKeys } from "../quota.ts";
import { buildV3Request, parseV3Answer } from "../request_v3.ts";
import type { Call, CallContext } from "../send.ts";
import { readContentQuota, readPrefetchJob } from "./describe.ts";
import { checkZoneId, TEO_ENDPOINT, TEO_SERVICE } from "./service.ts";

/** Options of {@linkcode edgeOne}. */
export interface EdgeOneOptions {
  /** The zone (site) the URLs belong to, e.g. `"zone-2o0i2m9sk3li"` (EdgeOne console, site list). */
  zoneId: string;
}

/** The EdgeOne backend: pass it as `backend` to `prewarm()` and `waitForTasks()`. */
export interface EdgeOneBackend extends PrewarmBackend {
  /** The zone every call names. */
  readonly zoneId: string;
}

/** The budget kind of EdgeOne prefetches: apart from CDN's, per zone and Beijing day. */
const BUDGET_KIND = "teo";
const CREATE = "CreatePrefetchTask";

/** The URL a `FailedList` target stands for among those sent: as sent, or percent-decoded. */
function sentUrl(target: string, sent: readonly string[]): string | undefined {
  if (sent.includes(target)) return target;
  const decode = (url: string) => {
    try {
      return decodeURI(url);
    } catch {
      return url;
    }
  };
  const wanted = decode(target);
  return sent.find((url) => decode(url) === wanted);
}

/**
 * Reads a `CreatePrefetchTask` answer: the `JobId`, and the `FailedList` groups as failed URLs
 * (each URL of the batch once: in the job, or failed with EdgeOne's reason). A target the
 * list names that was not sent cannot be told apart, so it changes nothing.
 */
export function parseCreated(
  response: Record<string, unknown>,
  sent: readonly string[],
): Submission {
  const { JobId, RequestId, FailedList } = response;
  if (typeof JobId !== "string" || JobId === "") {
    throw localError("InvalidResponse", "server", `${CREATE} answered without a JobId`);
  }
  const submission: Submission = { taskId: JobId };
  if (typeof RequestId === "string") submission.requestId = RequestId;
  const failed: { urls: string[]; error: TencentCloudError }[] = [];
  const seen = new Set<string>();
  for (const entry of Array.isArray(FailedList) ? FailedList : []) {
    const { Reason, Targets } = (entry ?? {}) as Record<string, unknown>;
    const urls: string[] = [];
    for (const target of Array.isArray(Targets) ? Targets : []) {
      const url = typeof target === "string" ? sentUrl(target, sent) : undefined;
      if (url !== undefined && !seen.has(url)) {
        seen.add(url);
        urls.push(url);
      }
    }
    if (urls.length === 0) continue;
    const reason = typeof Reason === "string" && Reason.trim() !== ""
      ? Reason.trim().slice(0, 300)
      : "no reason given";
    const error = localError(
      "FailedList",
      "invalid-request",
      `EdgeOne created job ${JobId} without these targets (FailedList: ${reason})`,
      { maybeSubmitted: false, ...(submission.requestId && { requestId: submission.requestId }) },
    );
    failed.push({ urls, error });
  }
  if (failed.length > 0) submission.failed = failed;
  return submission;
}

/**
 * The EdgeOne backend for one zone. `prewarm(urls, { backend: edgeOne({ zoneId }) })` submits
 * with `CreatePrefetchTask` (TC3 signed for service `teo`, version `2022-09-01`, endpoint
 * `teo.tencentcloudapi.com`), with the same URL checks, batching, budget, retries and report
 * as a CDN run: the report's `api` is `"teo"`, its task ids are `JobId`s, its `zoneId` the
 * zone. `waitForTasks(report, { backend })` waits for the jobs (`DescribePrefetchTasks`).
 *
 * The budget is the zone's own (budget keys `teo:<zoneId>:<Beijing day>`, by `dailyLimit`);
 * `checkQuota` reads the zone's per-request and daily limits from `DescribeContentQuota`.
 * `area` does not apply (the zone decides where content is warmed), and giving it is an error.
 *
 * @throws {TypeError} for a missing or malformed zone id.
 *
 * @example
 * ```ts
 * import { prewarm, waitForTasks } from "@qcdn/prewarm";
 * import { edgeOne } from "@qcdn/prewarm/edgeone";
 *
 * const backend = edgeOne({ zoneId: "zone-2o0i2m9sk3li" });
 * const report = await prewarm(["https://www.example.com/app.js"], { backend });
 * console.log(report.api, report.zoneId, report.tasks.map((t) => t.taskId)); // "teo", the zone, JobIds
 * const done = await waitForTasks(report, { backend });
 * console.log(done.counts);
 * ```
 */
export function edgeOne(options: EdgeOneOptions): EdgeOneBackend {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `Invalid options: expected { zoneId }, got ${options === null ? "null" : typeof options}`,
    );
  }
  const zoneId = checkZoneId(options.zoneId);
  const check = (prewarmOptions: PrewarmOptions): void => {
    const { api, area } = prewarmOptions ?? {};
    if (api !== undefined && api !== "teo") {
      throw new TypeError(
        `Invalid option api: expected "teo" (or none) with the EdgeOne backend, got "${api}"`,
      );
    }
    if (area !== undefined) {
      throw new TypeError(
        `Invalid option area: EdgeOne prefetches where the zone accelerates, so expected none, got "${area}"`,
      );
    }
    // PushUrlsCache's parameters are CDN's: sent nowhere, they would be dropped silently.
    const cdnOnly = PUSH_PARAMETERS.find((name) =>
      (prewarmOptions as Record<string, unknown>)?.[name] !== undefined
    );
    if (cdnOnly !== undefined) {
      throw new TypeError(
        `Invalid option ${cdnOnly}: a PushUrlsCache (CDN) parameter, which the EdgeOne backend does not send; expected none`,
      );
    }
  };
  const submit = (urls: readonly string[], context: CallContext): Call<Submission> => {
    const { credentials, endpoint } = context;
    const payload = { ZoneId: zoneId, Targets: urls };
    return {
      action: CREATE,
      sign: (timestamp) =>
        buildV3Request({
          credentials,
          endpoint,
          action: CREATE,
          payload,
          timestamp,
          service: TEO_SERVICE,
        }),
      parse: (answer) => parseCreated(parseV3Answer(answer), urls),
    };
  };
  return Object.freeze({
    api: "teo" as const,
    zoneId,
    report: Object.freeze({ zoneId }),
    area: "global" as const,
    endpoint: TEO_ENDPOINT,
    quota: ["DescribeContentQuota", "PrefetchQuota"] as [string, string],
    check,
    budgetKeys: (now: number) => budgetKeys(zoneId, now, BUDGET_KIND),
    readQuota: async (context: CallContext) => {
      const { prefetch } = await readContentQuota(context, zoneId);
      // No prefetch_url entry: nothing to cap by (the local budget still holds).
      return prefetch ?? { batch: 0, available: Infinity };
    },
    submit,
    readTask: (context: CallContext, jobId: string) => readPrefetchJob(context, zoneId, jobId),
  });
}
