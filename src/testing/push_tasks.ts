/**
 * The prefetch tasks the simulated account has accepted, and the `DescribePushTasks` view of
 * them (one log line per URL, `process` until the task's duration has passed, then `done`).
 *
 * @module
 */

import { formatBeijingTime } from "./beijing_time.ts";

/** Where a prefetch warms the cache. */
export type PushArea = "mainland" | "overseas" | "global";

/**
 * A prefetch task the simulator created. An API 2.0 request creates one task per hostname; an
 * API 3.0 request creates one task for the batch, recorded once per hostname it covers (all
 * records of the batch share the `taskId`).
 */
export interface AcceptedTask {
  /** The API that created it. */
  api: "v2" | "v3";
  /** The task id as the API returned it, as text (API 2.0 sends it as a number). */
  taskId: string;
  /** Area warmed; API 2.0 tasks are always `overseas`. */
  area: PushArea;
  /** The hostname (without port) of every URL in `urls`. */
  host: string;
  /** The URLs, exactly as received, in request order. */
  urls: string[];
  /** Simulated clock (ms) when the task was created. */
  at: number;
}

/** One `DescribePushTasks` log line. */
export interface PushLog {
  TaskId: string;
  Url: string;
  Status: "process" | "done";
  Percent: number;
  CreateTime: string;
  UpdateTime: string;
  Area: PushArea;
}

/** Filters of `DescribePushTasks`; every given one must match. */
export interface PushLogFilter {
  taskId?: string;
  /** Inclusive bounds on the creation time (ms). */
  createdFrom?: number;
  createdUntil?: number;
  /** Substring of the URL. */
  keyword?: string;
  area?: string;
  /** Compared case-insensitively. */
  status?: string;
}

/** Every accepted task, in order, and the task ids to hand out. */
export class PushTaskLog {
  /** Every task created, in order (exposed as `TencentCdnSimulator.accepted`). */
  readonly accepted: AcceptedTask[] = [];
  readonly #taskDurationMs: number;
  // Not reset by clear(): ids stay unique for the simulator's life, as a real account's do.
  #lastV2TaskId = 0;

  /** @param taskDurationMs how long a URL reports `process` before `done`. */
  constructor(taskDurationMs: number) {
    this.#taskDurationMs = taskDurationMs;
  }

  /** A fresh API 2.0 task id (a number on the wire). */
  nextV2TaskId(): number {
    return ++this.#lastV2TaskId;
  }

  /** A fresh API 3.0 task id: creation second and a random part, opaque to clients. */
  newV3TaskId(now: number): string {
    return `${Math.floor(now / 1000)}-${crypto.randomUUID()}`;
  }

  /** Records a created task. */
  add(task: AcceptedTask): void {
    this.accepted.push(task);
  }

  /** Log lines matching the filter as seen at `now`, newest task first, URLs in request order. */
  logs(filter: PushLogFilter, now: number): PushLog[] {
    const logs: PushLog[] = [];
    for (const task of [...this.accepted].reverse()) {
      if (filter.taskId !== undefined && task.taskId !== filter.taskId) continue;
      if (filter.createdFrom !== undefined && task.at < filter.createdFrom) continue;
      if (filter.createdUntil !== undefined && task.at > filter.createdUntil) continue;
      if (filter.area !== undefined && task.area !== filter.area) continue;
      const finishedAt = task.at + this.#taskDurationMs;
      const status = now < finishedAt ? "process" : "done";
      if (filter.status !== undefined && filter.status.toLowerCase() !== status) continue;
      for (const url of task.urls) {
        if (filter.keyword !== undefined && !url.includes(filter.keyword)) continue;
        logs.push({
          TaskId: task.taskId,
          Url: url,
          Status: status,
          Percent: status === "done" ? 100 : 0,
          CreateTime: formatBeijingTime(task.at),
          UpdateTime: formatBeijingTime(status === "done" ? finishedAt : task.at),
          Area: task.area,
        });
      }
    }
    return logs;
  }

  /** Forgets every task. */
  clear(): void {
    this.accepted.length = 0;
  }
}
