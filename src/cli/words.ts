/**
 * The command line's name, and its words for the one advice table (`src/rules/advice.ts`):
 * every piece of advice the command prints names flags and the commands to type, never the
 * library's option and function names.
 * @module
 */
import type { Words } from "../rules/advice.ts";
import { msUntilBeijingMidnight } from "../rules/budget_day.ts";
import { formatDuration } from "./text.ts";

/** The command's one name: what the usage text, the docs and its advice call it, and what
 * `deno install` installs it as (`INSTALL`). */
export const COMMAND = "prewarm";

/** How to install the command under its name, with exactly the permissions it uses: the
 * network (Tencent Cloud, sitemaps), the environment (credentials, `CI`, GitHub's files), reading
 * and writing files (`--file`, `--remaining`, `--report`, the manifest), and `git` for
 * `--changed-since`. */
export const INSTALL = `deno install -g -n ${COMMAND} --allow-net --allow-env --allow-read ` +
  "--allow-write --allow-run=git jsr:@qcdn/prewarm/cli";

/** When the daily quota comes back, for people: `00:00 Beijing time (UTC+8), in 5 h 12 min`. */
export function quotaResetTime(now: number): string {
  return `00:00 Beijing time (UTC+8), in ${formatDuration(msUntilBeijingMidnight(now))}`;
}

/**
 * The command line's words at `now` (when the quota resets is counted from it). With `zoneId`
 * (an EdgeOne run) the commands that look tasks up name the zone, as they must.
 */
export function cliWords(now: number, zoneId?: string): Required<Words> {
  const zone = zoneId === undefined ? "" : ` --api teo --zone ${zoneId}`;
  return {
    batchSize: "--batch-size",
    maxRequestsPerSecond: "--rate",
    retryAmbiguous: "--retry-ambiguous",
    dailyLimit: "--daily-limit",
    // The purge's local budget before --purge-first is its API's documented quota: no flag.
    purgeDailyLimit: "",
    zoneId: "--zone",
    endpoint: "--endpoint (or TENCENTCLOUD_ENDPOINT)",
    teo: "--api teo --zone ZONE",
    purgeThenPrewarm: "--purge-first",
    waitForTasks: `${COMMAND} status TASK_ID${zone}`,
    describePushTasks: `${COMMAND} status --url URL --since 1h${zone}`,
    describePushQuota: `${COMMAND} quota${zone}`,
    reset: quotaResetTime(now),
  };
}
