/**
 * The simulated account's state, as the API handlers see it.
 *
 * @module
 */

import type { DomainRegistry } from "./domains.ts";
import type { NonceLedger } from "./nonce_ledger.ts";
import type { ResolvedOptions } from "./options.ts";
import type { PushTaskLog } from "./push_tasks.ts";
import type { DailyQuota } from "./quota.ts";
import type { SlidingWindowLimiter } from "./rate_limiter.ts";

/** Everything a handler reads or changes; owned by one `TencentCdnSimulator`. */
export interface ApiContext {
  readonly options: ResolvedOptions;
  readonly domains: DomainRegistry;
  readonly nonces: NonceLedger;
  readonly limiter: SlidingWindowLimiter;
  readonly quota: DailyQuota;
  readonly tasks: PushTaskLog;
}
