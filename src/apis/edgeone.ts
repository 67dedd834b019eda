/**
 * `edgeOne({ zoneId })`: EdgeOne prefetch as a value of the one seam (`TencentApi`), for
 * `prewarm()`, `waitForTasks()`, the planner, the router and the command line.
 * `CreatePrefetchTask` submits a batch (one `JobId`; its `FailedList` names the targets it
 * refused), `DescribeContentQuota` gives the zone's limits, `DescribePrefetchTasks` the status
 * of each target.
 * @module
 */
import type { Submission, TaskSearch, TencentApi } from "../api.ts";
import { localError, type TencentCloudError } from "../rules/errors.ts";
import { budgetKeys } from "../rules/budget_day.ts";
import { parseV3Answer, signV3Request } from "../transport/v3.ts";
import type { Call, CallContext } from "../transport/send.ts";
import {
  prefetchTaskLine,
  readAllPrefetchTasks,
  readContentQuota,
  readPrefetchTasks,
} from "./edgeone_reads.ts";
import { checkZoneId, TEO_ENDPOINT, TEO_SERVICE } from "./edgeone_zone.ts";
import { listedAs } from "../rules/urls.ts";
import { pageFields } from "./cdn_reads.ts";

/** Options of {@linkcode edgeOne}. */
export interface EdgeOneOptions {
  /** The zone (site) the URLs belong to, e.g. `"zone-2o0i2m9sk3li"` (EdgeOne console, site list). */
  zoneId: string;
}

/** The EdgeOne API: pass it as `api` to `prewarm()` and `waitForTasks()`. */
export interface EdgeOneApi extends TencentApi {
  /** The report's `api`. */
  readonly name: "teo";
  /** The zone every call names. */
  readonly zoneId: string;
}

/** The budget kind of EdgeOne prefetches: apart from CDN's, per zone and Beijing day. */
const BUDGET_KIND = "teo";
const CREATE = "CreatePrefetchTask";

/** The URL a `FailedList` target stands for among those sent: as sent, or percent-decoded. */
function sentUrl(target: string, sent: readonly string[]): string | undefined {
  if (sent.includes(target)) return target;
  const wanted = listedAs(target);
  return sent.find((url) => listedAs(url) === wanted);
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
 * EdgeOne prefetch for one zone. `prewarm(urls, { api: edgeOne({ zoneId }) })` submits with
 * `CreatePrefetchTask` (TC3 signed for service `teo`, version `2022-09-01`, endpoint
 * `teo.tencentcloudapi.com`), with the same URL checks, batching, budget, retries and report
 * as a CDN run: the report's `api` is `"teo"`, its task ids are `JobId`s, its `zoneId` the
 * zone. `waitForTasks(report, { api })` waits for the jobs (`DescribePrefetchTasks`).
 *
 * The budget is the zone's own (budget keys `teo:<zoneId>:<Beijing day>`, by `dailyLimit`);
 * `checkQuota` reads the zone's per-request and daily limits from `DescribeContentQuota`.
 * The zone decides where content is warmed: the report's `area` is `"global"`.
 *
 * @throws {TypeError} for a missing or malformed zone id.
 *
 * @example
 * ```ts
 * import { prewarm, waitForTasks } from "@qcdn/prewarm";
 * import { edgeOne } from "@qcdn/prewarm/edgeone";
 *
 * const api = edgeOne({ zoneId: "zone-2o0i2m9sk3li" });
 * const report = await prewarm(["https://www.example.com/app.js"], { api });
 * console.log(report.api, report.zoneId, report.tasks.map((t) => t.taskId)); // "teo", the zone, JobIds
 * const done = await waitForTasks(report, { api });
 * console.log(done.counts);
 * ```
 */
export function edgeOne(options: EdgeOneOptions): EdgeOneApi {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `Invalid options: expected { zoneId }, got ${options === null ? "null" : typeof options}`,
    );
  }
  const zoneId = checkZoneId(options.zoneId);
  const submit = (urls: readonly string[], context: CallContext): Call<Submission> => {
    const { credentials, endpoint } = context;
    const payload = { ZoneId: zoneId, Targets: urls };
    return {
      action: CREATE,
      sign: (timestamp) =>
        signV3Request({
          credentials,
          endpoint,
          action: CREATE,
          payload,
          timestamp,
          service: TEO_SERVICE,
        }),
      parse: (answer) => parseCreated(parseV3Answer(answer, false, TEO_SERVICE.errors), urls),
    };
  };
  return Object.freeze({
    name: "teo" as const,
    zoneId,
    title: `EdgeOne ${CREATE}, zone ${zoneId}`,
    quotaName: `EdgeOne zone ${zoneId}`,
    report: Object.freeze({ area: "global" as const, zoneId }),
    endpoint: TEO_ENDPOINT,
    action: CREATE,
    errors: TEO_SERVICE.errors,
    // EdgeOne's per-request limit depends on the plan: DescribeContentQuota says it.
    batchSize: { default: 500, max: 10_000 },
    dailyLimit: 1000,
    reads: ["teo"],
    budgetKeys: (now: number) => budgetKeys(zoneId, now, BUDGET_KIND),
    submit,
    quotaAction: "DescribeContentQuota",
    readQuota: async (context: CallContext) => {
      const answer = await readContentQuota(context, zoneId);
      const keys = budgetKeys(zoneId, context.now(), BUDGET_KIND);
      return {
        readings: answer.quotas.map((q) => ({
          name: q.type,
          batch: q.batch,
          total: q.daily,
          available: q.available,
          // Only the prefetch quota is what this API's runs spend.
          keys: q.type === "prefetch_url" ? keys : [],
        })),
        answer: { zoneId, ...answer },
      };
    },
    tasksAction: "DescribePrefetchTasks",
    readTask: async (context: CallContext, jobId: string) =>
      (await readAllPrefetchTasks(context, zoneId, jobId)).logs.map(prefetchTaskLine),
    describeTask: (
      context: CallContext,
      jobId: string,
      page: { offset?: number; limit?: number },
    ) =>
      readPrefetchTasks(context, zoneId, {
        Filters: [{ Name: "job-id", Values: [jobId] }],
        ...pageFields(page),
      }),
    findTasks: async (context: CallContext, search: TaskSearch) =>
      (await readAllPrefetchTasks(context, zoneId, {
        startTime: search.from,
        endTime: search.to,
        ...(search.host !== undefined && { domain: search.host }),
      })).logs.map(prefetchTaskLine),
  });
}
