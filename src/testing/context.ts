/**
 * The simulated account's state, as the API handlers see it.
 *
 * @module
 */

import type { DomainRegistry } from "./domains.ts";
import type { NonceLedger } from "./nonce_ledger.ts";
import type { ResolvedOptions } from "./options.ts";
import type { PurgeTaskLog } from "./purge_tasks.ts";
import type { PushTaskLog } from "./push_tasks.ts";
import type { DailyQuota } from "./quota.ts";
import type { SlidingWindowLimiter } from "./rate_limiter.ts";
import type { TeoAccount } from "./teo_jobs.ts";

/** Everything a handler reads or changes; owned by one `TencentCdnSimulator`. */
export interface ApiContext {
  readonly options: ResolvedOptions;
  readonly domains: DomainRegistry;
  readonly nonces: NonceLedger;
  readonly limiter: SlidingWindowLimiter;
  readonly quota: DailyQuota;
  /** Prefetch tasks (both CDN API generations). */
  readonly tasks: PushTaskLog;
  /** The URL purge quota, per area. */
  readonly purgeQuota: DailyQuota;
  /** URL purge tasks. */
  readonly purges: PurgeTaskLog;
  /** EdgeOne zones, their quotas and prefetch jobs. */
  readonly teo: TeoAccount;
}
