/**
 * How `status` (DescribePushTasks) and `quota` (DescribePushQuota) answers are shown to people.
 * @module
 */
import type { PushLog, PushQuota } from "../describe.ts";
import { quotaResetTime } from "./summary.ts";
import { displayUrl, formatCount, formatTable, plural } from "./text.ts";

/** The line over a status table: how many URLs, how many listed, and the totals by status. */
export function statusTotals(
  title: string,
  logs: readonly { status: string }[],
  total: number,
): string {
  const byStatus = new Map<string, number>();
  for (const log of logs) byStatus.set(log.status, (byStatus.get(log.status) ?? 0) + 1);
  const totals = [...byStatus].map(([status, n]) => `${formatCount(n)} ${status}`).join(", ");
  const shown = logs.length < total ? ` (${formatCount(logs.length)} listed)` : "";
  return `${title}: ${plural(total, "URL")}${shown}: ${totals}\n\n`;
}

/** URLs of a task (or of a search) and their status, with a line of totals by status. */
export function formatTaskStatus(title: string, logs: readonly PushLog[], total: number): string {
  if (logs.length === 0) {
    return `${title}: no URLs found (an unknown task id, a task too old to be listed, ` +
      "or nothing pushed in that time).\n";
  }
  return statusTotals(title, logs, total) + formatTable(
    [
      { title: "URL" },
      { title: "STATUS" },
      { title: "PERCENT", align: "right" },
      { title: "AREA" },
      { title: "CREATED (BEIJING)" },
      { title: "UPDATED (BEIJING)" },
    ],
    logs.map((log) => [
      displayUrl(log.url),
      log.status,
      `${log.percent}%`,
      log.area,
      log.createTime,
      log.updateTime,
    ]),
  );
}

/** The quota of each area, and when it resets. */
export function formatQuota(quotas: readonly PushQuota[], now: number): string {
  return formatQuotaTable("AREA", quotas.map((q) => [q.area, q.batch, q.total, q.available]), now);
}

/**
 * A quota table (per request, per day, left today, one row per `[name, batch, daily, left]`)
 * and when the daily quota resets. EdgeOne's zone quota shares it.
 */
export function formatQuotaTable(
  nameTitle: string,
  rows: readonly (readonly [string, number, number, number])[],
  now: number,
): string {
  return formatTable(
    [
      { title: nameTitle },
      { title: "PER REQUEST", align: "right" },
      { title: "PER DAY", align: "right" },
      { title: "LEFT TODAY", align: "right" },
    ],
    rows.map(([name, ...counts]) => [name, ...counts.map(formatCount)]),
  ) + `\nThe daily quota resets at ${quotaResetTime(now)}.\n`;
}
