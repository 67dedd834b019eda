/**
 * The router's words, and its console's, for the one advice table (`src/rules/advice.ts`).
 * Whoever reads a router's answer (a CI job's log, the console) cannot set `prewarm()`'s options:
 * the operator sets them in `prewarmRouter({ prewarm: { ... } })`, so the advice names them
 * there, and names the routes that look tasks and the quota up.
 * @module
 */
import type { Words } from "../rules/advice.ts";
import { LIBRARY_WORDS } from "../rules/advice.ts";

/** The words of the router's answers: failures in a run's report, and `GET /tasks?ids=`. */
export const ROUTER_WORDS: Readonly<Words> = {
  ...LIBRARY_WORDS,
  batchSize: "the router's prewarm.batchSize",
  maxRequestsPerSecond: "the router's prewarm.maxRequestsPerSecond",
  retryAmbiguous: "the router's prewarm.retryAmbiguous",
  dailyLimit: "the router's prewarm.dailyLimit",
  purgeDailyLimit: "the router's prewarm.purgeDailyLimit",
  zoneId: "the zone of the router's prewarm.api",
  endpoint: "the router's prewarm.endpoint (or TENCENTCLOUD_ENDPOINT)",
  teo: "the router's prewarm.api: edgeOne({ zoneId })",
  purgeThenPrewarm: "the router's prewarm.purgeFirst",
  waitForTasks: "GET /tasks?ids=TASK_ID",
  describePushTasks: "the prefetch records of the Tencent Cloud CDN console",
  describePushQuota: "GET /quota",
};

/** The console's words: people there follow their tasks with its "Check now" button. */
export const CONSOLE_WORDS: Readonly<Words> = {
  ...ROUTER_WORDS,
  waitForTasks: "Check now",
};
