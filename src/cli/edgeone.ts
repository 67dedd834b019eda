/**
 * The command line's EdgeOne side: `--api teo --zone ZONE` becomes the `edgeOne()` backend,
 * and `status`/`quota` read `DescribePrefetchTasks`/`DescribeContentQuota` for the zone.
 * @module
 */
import { readAllPrefetchTasks, resolveEdgeOne } from "../edgeone/describe.ts";
import {
  type ContentQuota,
  describeContentQuota,
  edgeOne,
  type EdgeOneBackend,
  type PrefetchLog,
  type PrefetchTasksQuery,
  type PrefetchTasksResult,
  urlStatusOfPrefetch,
} from "../edgeone/mod.ts";
import type { CallOptions } from "../options.ts";
import { UsageError } from "./args.ts";
import type { Flags } from "./flags.ts";
import { formatQuotaTable, statusTotals } from "./describe_view.ts";
import { displayUrl, formatTable } from "./text.ts";

/** The APIs `--api` names. */
export const CLI_APIS = ["v3", "v2", "teo"] as const;

/**
 * The EdgeOne backend the flags ask for (`--api teo --zone ZONE`), or `undefined` for CDN.
 * @throws {UsageError} for `--api teo` without `--zone`, `--zone` with a CDN `--api`, a
 * malformed zone id, or `--area` with EdgeOne.
 */
export function edgeOneFromFlags(flags: Flags): EdgeOneBackend | undefined {
  const api = flags.choice("api", CLI_APIS);
  const zone = flags.string("zone");
  if (zone === undefined) {
    if (api === "teo") {
      throw new UsageError("--api teo needs --zone ZONE: the EdgeOne zone (site) id, zone-...");
    }
    return undefined;
  }
  if (api !== undefined && api !== "teo") {
    throw new UsageError(`--zone is for EdgeOne (--api teo), not --api ${api}`);
  }
  if (flags.has("area")) {
    throw new UsageError(
      "--area does not apply to --api teo: EdgeOne prefetches where the zone accelerates",
    );
  }
  try {
    return edgeOne({ zoneId: zone });
  } catch (error) {
    throw new UsageError(
      (error as Error).message.replace("Invalid option zoneId: expected", "--zone must be"),
    );
  }
}

/** Every target of a job (or of a search), page by page. */
export async function prefetchLogs(
  zoneId: string,
  job: string | PrefetchTasksQuery,
  options: CallOptions,
): Promise<PrefetchTasksResult> {
  const { context } = resolveEdgeOne({ ...options, zoneId });
  return await readAllPrefetchTasks(context, zoneId, job);
}

/** Whether any target ended in a status that means it will not be prefetched. */
export function anyPrefetchFailed(logs: readonly PrefetchLog[]): boolean {
  return logs.some((log) => {
    const status = urlStatusOfPrefetch(log.status);
    return status === "failed" || status === "invalid";
  });
}

/** The targets of a job (or of a search) and their status, with a line of totals by status. */
export function formatPrefetchStatus(
  title: string,
  logs: readonly PrefetchLog[],
  total: number,
): string {
  if (logs.length === 0) {
    return `${title}: no URLs found (an unknown job id, another zone's job, or nothing ` +
      "prefetched in that time).\n";
  }
  return statusTotals(title, logs, total) + formatTable(
    [
      { title: "URL" },
      { title: "STATUS" },
      { title: "WHY" },
      { title: "CREATED (UTC)" },
      { title: "UPDATED (UTC)" },
    ],
    logs.map((log) => [
      displayUrl(log.target),
      log.status,
      log.failType ?? "",
      log.createTime,
      log.updateTime,
    ]),
  );
}

/** The zone's content quotas, and when the daily ones reset. */
export function formatContentQuota(
  zoneId: string,
  quotas: readonly ContentQuota[],
  now: number,
): string {
  if (quotas.length === 0) return `Zone ${zoneId}: EdgeOne reported no quota.\n`;
  return `Zone ${zoneId}:\n\n` + formatQuotaTable(
    "TYPE",
    quotas.map((q) => [q.type, q.batch, q.daily, q.available]),
    now,
  );
}

/** `quota --api teo --zone ZONE`: the zone's quotas. */
export function readZoneQuota(zoneId: string, options: CallOptions) {
  return describeContentQuota({ ...options, zoneId });
}
