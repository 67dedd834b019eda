/**
 * How `status` (a task's lines, or a search's) and `quota` answers are shown to people, for
 * every API alike: the lines and quotas of the one seam (`TaskLine`, `QuotaReading`).
 * @module
 */
import type { QuotaReading, TaskLine } from "../api.ts";
import { quotaResetTime } from "./words.ts";
import { displayUrl, formatCount, formatTable, plural } from "./text.ts";

/** The line over a status table: how many URLs, and the totals by status. */
function statusTotals(title: string, lines: readonly { status: string }[]): string {
  const byStatus = new Map<string, number>();
  for (const line of lines) byStatus.set(line.status, (byStatus.get(line.status) ?? 0) + 1);
  const totals = [...byStatus].map(([status, n]) => `${formatCount(n)} ${status}`).join(", ");
  return `${title}: ${plural(lines.length, "URL")}: ${totals}\n\n`;
}

/**
 * URLs of a task (or of a search) and where each stands, in the words `--wait` uses (`pending`,
 * not Tencent's `process`), with a line of totals by status; `empty` says what finding none
 * means for what was asked.
 */
export function formatTaskStatus(
  title: string,
  lines: readonly TaskLine[],
  empty: string,
): string {
  if (lines.length === 0) return `${title}: ${empty}\n`;
  const why = lines.some((line) => line.why !== undefined);
  return statusTotals(title, lines) + formatTable(
    [
      { title: "URL" },
      { title: "STATUS" },
      { title: "PERCENT", align: "right" },
      ...(why ? [{ title: "WHY" }] : []),
      { title: "TASK" },
      { title: "CREATED" },
      { title: "UPDATED" },
    ],
    lines.map((line) => [
      displayUrl(line.url),
      line.status,
      `${line.percent}%`,
      ...(why ? [line.why ?? ""] : []),
      line.taskId,
      line.createTime,
      line.updateTime,
    ]),
  );
}

/** Each quota (per request, per day, left today), and when the daily quota resets. */
export function formatQuota(readings: readonly QuotaReading[], now: number): string {
  if (readings.length === 0) return "Tencent Cloud reported no quota.\n";
  return formatTable(
    [
      { title: "QUOTA" },
      { title: "PER REQUEST", align: "right" },
      { title: "PER DAY", align: "right" },
      { title: "LEFT TODAY", align: "right" },
    ],
    readings.map((
      q,
    ) => [q.name, formatCount(q.batch), formatCount(q.total), formatCount(q.available)]),
  ) + `\nThe daily quota resets at ${quotaResetTime(now)}.\n`;
}
