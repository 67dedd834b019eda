/**
 * How a simulated task goes from `process` to its final status: per URL, the first matching
 * outcome rule decides the final status and how long (on the simulated clock) it takes, and
 * `Percent` grows linearly until then. Shared by prefetch, purge and EdgeOne tasks.
 *
 * @module
 */

import { describe } from "./options_check.ts";

/** A final status of a prefetch URL, as `DescribePushTasks` names it. */
export type PrefetchOutcome = "done" | "fail" | "invalid";

/** A final status of a purge URL, as `DescribePurgeTasks` names it. */
export type PurgeOutcome = "done" | "fail";

/**
 * What becomes of the URLs a rule matches. Rules are tried in order; the first whose `match`
 * fits the URL decides, and URLs no rule matches end `done` after the default duration.
 */
export interface TaskOutcomeRule<Status extends string = PrefetchOutcome> {
  /** The exact URL (as sent), or a pattern tested against it. */
  match: string | RegExp;
  /**
   * The status the URL ends in.
   *
   * @default "done"
   */
  status?: Status;
  /**
   * How long (simulated ms) the URL reports `process` first.
   *
   * @default the option's task duration (`taskDurationMs` or `purgeDurationMs`)
   */
  durationMs?: number;
}

/** Where one URL of a task stands at a given moment. */
export interface UrlProgress<Status extends string> {
  /** `process` until the duration has passed, then the final status. */
  status: "process" | Status;
  /** 0–99 while in process (linear in time), 100 once final. */
  percent: number;
  /** `UpdateTime` (ms): the creation time while in process, then when the URL finished. */
  updatedAt: number;
}

/** Decides each URL's final status and duration from the rules, and reports its progress. */
export class TaskLifecycle<Status extends string> {
  readonly #rules: readonly TaskOutcomeRule<Status>[];
  readonly #durationMs: number;
  readonly #finalStatus: Status;

  /**
   * @param rules checked outcome rules, tried in order
   * @param durationMs the duration of URLs no rule (or a rule without `durationMs`) times
   * @param finalStatus the status of URLs no rule (or a rule without `status`) names
   */
  constructor(rules: readonly TaskOutcomeRule<Status>[], durationMs: number, finalStatus: Status) {
    this.#rules = rules;
    this.#durationMs = durationMs;
    this.#finalStatus = finalStatus;
  }

  /**
   * Where `url`, created at `createdAt`, stands at `now`; `finalStatus`, when given, overrides
   * the rules' final status (the duration still comes from them).
   */
  progress(
    url: string,
    createdAt: number,
    now: number,
    finalStatus?: Status,
  ): UrlProgress<Status> {
    const rule = this.#rules.find(({ match }) =>
      typeof match === "string" ? match === url : testPattern(match, url)
    );
    const durationMs = rule?.durationMs ?? this.#durationMs;
    const finishedAt = createdAt + durationMs;
    if (now >= finishedAt) {
      const status = finalStatus ?? rule?.status ?? this.#finalStatus;
      return { status, percent: 100, updatedAt: finishedAt };
    }
    const elapsed = Math.max(0, now - createdAt);
    return {
      status: "process",
      percent: Math.min(99, Math.floor((elapsed * 100) / durationMs)),
      updatedAt: createdAt,
    };
  }
}

// A global or sticky RegExp remembers where it last matched; reset it so every test starts over.
function testPattern(pattern: RegExp, url: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(url);
}

/** Checks outcome rules given as an option; `statuses` are the final statuses allowed. */
export function checkOutcomeRules<Status extends string>(
  name: string,
  value: unknown,
  statuses: readonly Status[],
): readonly TaskOutcomeRule<Status>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new TypeError(`Option "${name}" must be an array; got ${describe(value)}`);
  }
  return value.map((rule: unknown, index) => {
    const where = `${name}[${index}]`;
    if (typeof rule !== "object" || rule === null) {
      throw new TypeError(`Option "${where}" must be an object; got ${describe(rule)}`);
    }
    const { match, status, durationMs } = rule as Record<string, unknown>;
    if (typeof match !== "string" && !(match instanceof RegExp)) {
      throw new TypeError(
        `Option "${where}.match" must be a URL string or a RegExp; got ${describe(match)}`,
      );
    }
    if (status !== undefined && !statuses.includes(status as Status)) {
      throw new RangeError(
        `Option "${where}.status" must be one of ${statuses.join(", ")}; got ${describe(status)}`,
      );
    }
    if (
      durationMs !== undefined &&
      (typeof durationMs !== "number" || !Number.isFinite(durationMs) || durationMs < 0)
    ) {
      throw new RangeError(
        `Option "${where}.durationMs" must be a finite number of at least 0; got ${
          describe(durationMs)
        }`,
      );
    }
    return Object.freeze({ ...(rule as TaskOutcomeRule<Status>) });
  });
}

/**
 * The URL of `held` (a task's URLs, as sent) that names the same resource as `url` as a URL
 * parser reads both (the host's case, a default port, an encoded character written either
 * way), as it is held; `undefined` when none does. The held form is what a task's outcome rules
 * and failures were decided for: how the edge matches a request to the URL a task was given.
 */
export function heldAs(held: readonly string[], url: string): string | undefined {
  if (held.includes(url)) return url;
  const href = hrefOf(url);
  return href === undefined ? undefined : held.find((sent) => hrefOf(sent) === href);
}

function hrefOf(url: string): string | undefined {
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}
