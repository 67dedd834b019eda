/**
 * The allow-list of hostnames the router will prefetch for: exact names and `*.parent`
 * patterns, normalised the way URLs normalise hostnames so that a pattern and a URL that mean
 * the same host always compare equal; and the screening that applies it before `prewarm()`
 * runs, so URLs on other hosts never reach the client, let alone Tencent.
 * @module
 */
import { countReport, type PrewarmReport, type RejectedUrl } from "../rules/report.ts";
import { checkUrl } from "../rules/urls.ts";

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Hostnames and `*.` patterns, compiled once; answers whether a URL's host is covered. */
export class HostAllowList {
  readonly #exact: ReadonlySet<string>;
  /** Suffixes such as `.example.com`, from `*.example.com`. */
  readonly #suffixes: readonly string[];

  private constructor(exact: Set<string>, suffixes: string[]) {
    this.#exact = exact;
    this.#suffixes = suffixes;
  }

  /**
   * Compiles the patterns. `*.example.com` covers every subdomain of `example.com` at any
   * depth, but not `example.com` itself (list it too to cover it).
   * @param label What the patterns are called in error messages.
   * @throws {TypeError} for a value that is not an array of strings.
   * @throws {RangeError} for a pattern that is not a hostname or `*.hostname`.
   */
  static compile(patterns: unknown, label = "option allowedHosts"): HostAllowList {
    if (!Array.isArray(patterns)) {
      throw new TypeError(
        `Invalid ${label}: expected an array of hostnames, got ${seen(patterns)}`,
      );
    }
    const exact = new Set<string>();
    const suffixes: string[] = [];
    patterns.forEach((pattern: unknown, index) => {
      const where = `${label}[${index}]`;
      if (typeof pattern !== "string") {
        throw new TypeError(`Invalid ${where}: expected a string, got ${seen(pattern)}`);
      }
      const wildcard = pattern.startsWith("*.");
      const host = normaliseHost(wildcard ? pattern.slice(2) : pattern);
      if (host === undefined) {
        throw new RangeError(
          `Invalid ${where}: expected a hostname or "*.hostname", got ${seen(pattern)}`,
        );
      }
      if (wildcard) suffixes.push("." + host);
      else exact.add(host);
    });
    return new HostAllowList(exact, suffixes);
  }

  /** True when `host` (a URL's `hostname`) is listed or under a listed `*.` pattern. */
  allows(host: string): boolean {
    const name = host.toLowerCase();
    if (this.#exact.has(name)) return true;
    return this.#suffixes.some((suffix) => name.length > suffix.length && name.endsWith(suffix));
  }
}

// Runs the name through the URL parser (lower case, IDNA to punycode, IPv4 forms) and then
// insists on plain DNS labels or an IP literal, so a pattern cannot smuggle a port or a path.
function normaliseHost(name: string): string | undefined {
  if (name === "" || /[/:?#@\s*]/.test(name.replace(/^\[.*\]$/, "[]"))) return undefined;
  let host: string;
  try {
    host = new URL(`http://${name}/`).hostname;
  } catch {
    return undefined;
  }
  if (host.startsWith("[")) return host; // IPv6 literal, as URL writes it.
  return host.split(".").every((label) => LABEL.test(label)) ? host : undefined;
}

function seen(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  return value === null ? "null" : typeof value;
}

/** The URLs to send on, and those the allow-list turned away. */
export interface Screened {
  /** URLs to pass to `prewarm()`: allowed, or invalid (so `prewarm()` names the problem). */
  send: string[];
  /** URLs on hosts the allow-list does not cover. */
  rejected: RejectedUrl[];
}

/**
 * Splits the URLs by the allow-list; without one, every URL is sent on. `checkUrl` already
 * refuses any URL whose host could be read two ways (a backslash, a user part, a host written
 * otherwise than parsed), so the host it names is the host every parser reads. URLs that fail
 * `checkUrl` are sent on, for `prewarm()` to reject with its own reason.
 */
export function screenHosts(urls: readonly string[], allowed?: HostAllowList): Screened {
  if (!allowed) return { send: [...urls], rejected: [] };
  const send: string[] = [];
  const rejected: RejectedUrl[] = [];
  for (const url of urls) {
    const checked = checkUrl(url);
    if (!("host" in checked)) {
      send.push(url);
      continue;
    }
    if (allowed.allows(checked.host)) send.push(url);
    else {
      const detail = `The host ${checked.host} is not in this router's allowedHosts; not sent`;
      rejected.push({ url, reason: "host-not-allowed", detail });
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
