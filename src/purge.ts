/**
 * Purge, then prefetch: {@linkcode purgeThenPrewarm} purges the URLs (`PurgeUrlsCache`), waits
 * until Tencent says each purge is done (`DescribePurgeTasks`), and prefetches only the URLs
 * whose purge succeeded. A node holding an unexpired copy does not reload it, so prefetching an
 * unversioned file (`/index.html`, `/app.js`) after a deploy without purging warms the old
 * content.
 *
 * It lives in its own entry point so that `prewarm()` alone stays small.
 *
 * @example
 * ```ts
 * import { purgeThenPrewarm } from "@qcdn/prewarm/purge";
 *
 * // Credentials from TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY.
 * const report = await purgeThenPrewarm(["https://www.example.com/index.html"]);
 * console.log(report.purgeTasks.length, report.counts);
 * ```
 * @module
 */
export { cdnPurge, type CdnPurgeOptions } from "./apis/cdn_purge.ts";
export {
  purgeThenPrewarm,
  type PurgeThenPrewarmOptions,
  type PurgeThenPrewarmReport,
  type Sleep,
} from "./flows/purge_then_prewarm.ts";
