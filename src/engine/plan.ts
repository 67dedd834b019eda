/**
 * A dry run's plan: the URL checks, duplicate removal, batches and budget of a `prewarm()` run,
 * worked out without sending anything. The command line's `--dry-run` and the router's
 * `POST /prewarm/plan` both print this plan.
 * @module
 */
import type { TencentApi } from "../api.ts";
import type { ApiName, Area, RejectedUrl } from "../rules/report.ts";
import { type Batch, BatchPlan } from "../rules/urls.ts";

/** One host of a plan. */
export interface PlannedHost {
  /** The hostname. */
  host: string;
  /** URLs that would be sent for it. */
  urls: number;
  /** Requests it would take. */
  batches: number;
}

/** What a run would do. */
export interface DryRunPlan {
  /** Always true: marks the JSON as a plan, not a report. */
  dryRun: true;
  /** The API that would be used (its `name`). */
  api: ApiName;
  /** The area that would be prefetched. */
  area: Area;
  /** Most URLs per request. */
  batchSize: number;
  /** The local daily budget the run would keep to (`null` when off). */
  dailyLimit: number | null;
  /** Hosts in order of first appearance. */
  hosts: PlannedHost[];
  /** The requests that would be sent, in order, each with its URLs. */
  batches: Batch[];
  /** URLs that would not be sent, and why. */
  rejected: RejectedUrl[];
  /** Totals. `input` equals `wouldSend + rejected`. */
  counts: { input: number; wouldSend: number; rejected: number; requests: number };
  /** The quota the run would spend from, for people: `wouldSend` URLs from it
   * (`"the overseas area"`, `"EdgeOne zone zone-1"`). */
  quota: string;
  /** EdgeOne (`api: "teo"`): the zone. */
  zoneId?: string;
}

/** What a plan keeps to. */
export interface PlanLimits {
  /** The API. */
  api: TencentApi;
  /** Most URLs per request. */
  batchSize: number;
  /** The daily limit (`Infinity`: off). */
  dailyLimit: number;
  /** URLs today's budget has left for this run: URLs past it are rejected as `daily-limit`. */
  budgetLeft: number;
  /** The `detail` of a URL past the budget (one sentence shared by all of them). */
  overBudget: string;
}

/** Checks, deduplicates and batches the URLs exactly as `prewarm()` would, sending nothing. */
export async function planDryRun(
  urls: Iterable<string> | AsyncIterable<string>,
  limits: PlanLimits,
): Promise<DryRunPlan> {
  const rejected: RejectedUrl[] = [];
  // Planned as they are checked: no list of checked URLs is kept besides the batches.
  const plan = new BatchPlan(limits.batchSize);
  let input = 0;
  const screen = (url: string) => {
    input++;
    const batch = plan.accept(url);
    if ("reason" in batch) rejected.push({ url, reason: batch.reason, detail: batch.detail });
  };
  if (typeof urls === "object" && urls !== null && Symbol.asyncIterator in urls) {
    for await (const url of urls) screen(url);
  } // A plain iterable (the router's array) is read without awaiting each item.
  else for (const url of urls) screen(url);
  plan.doneAccepting();
  const planned = plan.batches();
  // prewarm() takes budget batch by batch in this order; what does not fit is not sent.
  let budget = limits.budgetLeft;
  const batches: Batch[] = [];
  const hosts = new Map<string, PlannedHost>();
  for (const batch of planned) {
    const granted = Math.min(batch.urls.length, budget);
    budget -= granted;
    for (let i = granted; i < batch.urls.length; i++) {
      rejected.push({
        url: batch.urls[i]!,
        reason: "daily-limit",
        detail: limits.overBudget,
        by: "local",
        option: "dailyLimit",
      });
    }
    if (granted === 0) continue;
    const sent = granted === batch.urls.length
      ? batch
      : { host: batch.host, urls: batch.urls.slice(0, granted) };
    batches.push(sent);
    const host = hosts.get(sent.host) ?? { host: sent.host, urls: 0, batches: 0 };
    host.urls += sent.urls.length;
    host.batches++;
    hosts.set(sent.host, host);
  }
  const wouldSend = batches.reduce((n, b) => n + b.urls.length, 0);
  return {
    dryRun: true,
    api: limits.api.name,
    ...limits.api.report,
    batchSize: limits.batchSize,
    dailyLimit: Number.isFinite(limits.dailyLimit) ? limits.dailyLimit : null,
    hosts: [...hosts.values()],
    batches,
    rejected,
    counts: { input, wouldSend, rejected: rejected.length, requests: batches.length },
    quota: limits.api.quotaName,
  };
}
