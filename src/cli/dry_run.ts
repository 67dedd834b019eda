/**
 * `--dry-run`: the plan a run would follow (the same URL checks, duplicate removal, batches and
 * local daily budget as `prewarm()`), worked out without credentials or network.
 * @module
 */
import type { ResolvedPrewarmOptions } from "../options.ts";
import type { RejectedUrl } from "../report.ts";
import { quotaAreas } from "../quota.ts";
import { type Batch, type CheckedUrl, checkUrl, planBatches } from "../urls.ts";
import { ALL_LISTED_BY_JSON, formatRejected } from "./summary.ts";
import { formatCount, formatTable, plural } from "./text.ts";

/** One host of a plan. */
export interface PlannedHost {
  /** The hostname. */
  host: string;
  /** URLs that would be sent for it. */
  urls: number;
  /** Requests it would take. */
  batches: number;
}

/** What a run would do. Printed as is by `--dry-run --json`. */
export interface DryRunPlan {
  /** Always true: marks the JSON as a plan, not a report. */
  dryRun: true;
  /** The API generation that would be used. */
  api: ResolvedPrewarmOptions["api"];
  /** The area that would be prefetched. */
  area: ResolvedPrewarmOptions["area"];
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
  /** The quotas the run would spend from: `wouldSend` URLs from each (EdgeOne: the zone's). */
  quotaAreas: string[];
  /** EdgeOne (`api: "teo"`): the zone. */
  zoneId?: string;
}

/** Checks, deduplicates and batches the URLs exactly as `prewarm()` would, sending nothing. */
export async function planDryRun(
  urls: AsyncIterable<string>,
  options: ResolvedPrewarmOptions,
): Promise<DryRunPlan> {
  const rejected: RejectedUrl[] = [];
  const accepted: CheckedUrl[] = [];
  const seen = new Set<string>();
  let input = 0;
  for await (const url of urls) {
    input++;
    const checked = checkUrl(url);
    if ("reason" in checked) {
      rejected.push({ url, reason: checked.reason, detail: checked.detail });
    } else if (seen.has(checked.url)) {
      rejected.push({
        url,
        reason: "duplicate",
        detail: "The same URL appears earlier in the input",
      });
    } else {
      seen.add(checked.url);
      accepted.push(checked);
    }
  }
  seen.clear();
  const planned = planBatches(accepted, options.batchSize);
  accepted.length = 0;
  // prewarm() takes budget batch by batch in this order; what does not fit is not sent.
  let budget = options.dailyLimit;
  // One sentence shared by every URL over the budget: there may be a hundred thousand of them.
  const overBudget = `The local daily budget (--daily-limit ${
    formatCount(options.dailyLimit)
  }) would be spent by earlier URLs; not sent`;
  const batches: Batch[] = [];
  const hosts = new Map<string, PlannedHost>();
  for (const batch of planned) {
    const granted = Math.min(batch.urls.length, budget);
    budget -= granted;
    for (let i = granted; i < batch.urls.length; i++) {
      rejected.push({ url: batch.urls[i]!, reason: "daily-limit", detail: overBudget });
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
    api: options.api,
    area: options.area,
    batchSize: options.batchSize,
    dailyLimit: Number.isFinite(options.dailyLimit) ? options.dailyLimit : null,
    hosts: [...hosts.values()],
    batches,
    rejected,
    counts: { input, wouldSend, rejected: rejected.length, requests: batches.length },
    quotaAreas: options.backend ? [] : quotaAreas(options.area),
    ...options.backend?.report,
  };
}

/** The plan, for people. */
export function formatPlan(plan: DryRunPlan, notes: readonly string[], now: number): string {
  const out: string[] = [];
  const action = plan.zoneId !== undefined
    ? `EdgeOne CreatePrefetchTask, zone ${plan.zoneId}`
    : `${
      plan.api === "v2" ? "API 2.0 CdnOverseaPushser" : "API 3.0 PushUrlsCache"
    }, area ${plan.area}`;
  out.push(
    `DRY RUN: nothing is sent. ${action}, ` +
      `up to ${plural(plan.batchSize, "URL")} per request.\n`,
  );
  for (const note of notes) out.push(`Note: ${note}\n`);
  if (plan.hosts.length > 0) {
    out.push("\n");
    out.push(formatTable(
      [{ title: "HOST" }, { title: "URLS", align: "right" }, {
        title: "REQUESTS",
        align: "right",
      }],
      plan.hosts.map((h) => [h.host, formatCount(h.urls), formatCount(h.batches)]),
      "  ",
    ));
  }
  const limit = plan.dailyLimit === null
    ? "the local daily budget is off"
    : `the local --daily-limit is ${formatCount(plan.dailyLimit)}`;
  const quotas = plan.zoneId !== undefined
    ? `zone ${plan.zoneId}`
    : `${plan.quotaAreas.map((a) => `the ${a}`).join(" and ")} area${
      plan.quotaAreas.length > 1 ? "s" : ""
    }`;
  out.push(
    `\nWould send ${plural(plan.counts.wouldSend, "URL")} in ` +
      `${plural(plan.counts.requests, "request")}, spending ${
        formatCount(plan.counts.wouldSend)
      } of today's quota from ${quotas} (${limit}).\n`,
  );
  if (plan.rejected.length > 0) {
    out.push(`\nWould not send: ${plural(plan.counts.rejected, "URL")}\n`);
    out.push(formatRejected(plan.rejected, now, ALL_LISTED_BY_JSON));
  }
  return out.join("");
}
