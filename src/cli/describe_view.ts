/**
 * How `status` (DescribePushTasks) and `quota` (DescribePushQuota) answers are shown to people.
 * @module
 */
import type { PushLog, PushQuota } from "../describe.ts";
import { quotaResetTime } from "./summary.ts";
import { displayUrl, formatCount, formatTable, plural } from "./text.ts";

/** URLs of a task (or of a search) and their status, with a line of totals by status. */
export function formatTaskStatus(title: string, logs: readonly PushLog[], total: number): string {
  if (logs.length === 0) {
    return `${title}: no URLs found (an unknown task id, a task too old to be listed, ` +
      "or nothing pushed in that time).\n";
  }
  const byStatus = new Map<string, number>();
  for (const log of logs) byStatus.set(log.status, (byStatus.get(log.status) ?? 0) + 1);
  const totals = [...byStatus].map(([status, n]) => `${formatCount(n)} ${status}`).join(", ");
  const shown = logs.length < total ? ` (${formatCount(logs.length)} listed)` : "";
  return `${title}: ${plural(total, "URL")}${shown}: ${totals}\n\n` + formatTable(
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
  return formatTable(
    [
      { title: "AREA" },
      { title: "PER REQUEST", align: "right" },
      { title: "PER DAY", align: "right" },
      { title: "LEFT TODAY", align: "right" },
    ],
    quotas.map((q) => [
      q.area,
      formatCount(q.batch),
      formatCount(q.total),
      formatCount(q.available),
    ]),
  ) + `\nThe daily quota resets at ${quotaResetTime(now)}.\n`;
}
