/**
 * The hook through which `prewarm()` submits to a prefetch service other than CDN: a backend
 * (EdgeOne's is `edgeOne()` in `@qcdn/prewarm/edgeone`) says how a batch is signed and read,
 * which budget it spends and how its quota is asked. Everything else (URL checks, batching,
 * the budget, the send path, the outcome policy, the report) is `prewarm()`'s own, so a
 * CDN-only bundle carries none of a backend's code.
 * @module
 */
import type { PrewarmOptions } from "./options.ts";
import type { Area } from "./report.ts";
import type { Submission } from "./request_v3.ts";
import type { Call, CallContext } from "./send.ts";
import type { UrlStatus } from "./wait.ts";

export type { Submission };

/** A prefetch service `prewarm()` can submit to through its `backend` option. */
export interface PrewarmBackend {
  /** The report's `api`. */
  readonly api: "teo";
  /** Fields the report carries besides the core ones (EdgeOne: the `zoneId`). */
  readonly report: { zoneId: string };
  /** The report's `area`: the service, not the caller, decides where content is warmed. */
  readonly area: Area;
  /** The endpoint when the options name none. */
  readonly endpoint: string;
  /** The action {@linkcode PrewarmBackend.readQuota} calls and the list it reads, for messages. */
  readonly quota: [action: string, field: string];
  /**
   * Refuses options that do not apply to this service, with a `TypeError` naming the option.
   * @throws {TypeError}
   */
  check(options: PrewarmOptions): void;
  /** The budget keys a URL submitted at `now` (ms) spends, one per quota it counts against. */
  budgetKeys(now: number): string[];
  /** Reads the service's per-request limit and what is left today (for `checkQuota`). */
  readQuota(context: CallContext): Promise<{ batch: number; available: number }>;
  /** The call that submits one batch, signed for `context`; `prewarm()` adds its retry rules. */
  submit(urls: readonly string[], context: CallContext): Call<Submission>;
  /** Every line the service lists for one task, with its status in `waitForTasks()` terms. */
  readTask(context: CallContext, taskId: string): Promise<TaskLine[]>;
}

/** One URL of a task as a backend reads it, for `waitForTasks()`. */
export interface TaskLine {
  /** The task it belongs to (empty when the service does not say). */
  taskId: string;
  /** The URL as the service lists it. */
  url: string;
  /** Where it stands (never `unknown`: a URL the service lists is known). */
  status: UrlStatus;
  /** Progress, 0–100. */
  percent: number;
  /** When the service last updated it, as it wrote it; empty when it did not say. */
  updateTime: string;
}
