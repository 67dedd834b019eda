/**
 * The allow-list applied before `prewarm()` runs: URLs on hosts outside it are rejected one by
 * one and never reach the client, let alone Tencent.
 * @module
 */
import { countReport, type PrewarmReport, type RejectedUrl } from "../report.ts";
import { checkUrl } from "../urls.ts";
import type { HostAllowList } from "./hosts.ts";

/** The URLs to send on, and those the allow-list turned away. */
export interface Screened {
  /** URLs to pass to `prewarm()`: allowed, or invalid (so `prewarm()` names the problem). */
  send: string[];
  /** URLs on hosts the allow-list does not cover. */
  rejected: RejectedUrl[];
}

/** Splits the URLs by the allow-list; without one, every URL is sent on. */
export function screenHosts(urls: readonly string[], allowed?: HostAllowList): Screened {
  if (!allowed) return { send: [...urls], rejected: [] };
  const send: string[] = [];
  const rejected: RejectedUrl[] = [];
  for (const url of urls) {
    const checked = checkUrl(url);
    if ("host" in checked && !allowed.allows(checked.host)) {
      rejected.push({
        url,
        reason: "host-not-allowed",
        detail: `The host ${checked.host} is not in this router's allowedHosts; not sent`,
      });
    } else {
      send.push(url);
    }
  }
  return { send, rejected };
}

/** Adds the allow-list's rejections (first: they were decided first) to a run's report. */
export function withRejected(report: PrewarmReport, rejected: RejectedUrl[]): PrewarmReport {
  if (rejected.length === 0) return report;
  const lists = {
    tasks: report.tasks,
    rejected: [...rejected, ...report.rejected],
    failed: report.failed,
  };
  return { ...report, ...lists, counts: countReport(lists, report.counts.requests) };
}
