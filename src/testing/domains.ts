/**
 * Which hostnames belong to the simulated account, and whether they are online.
 *
 * @module
 */

/** How the account knows a hostname. */
export type DomainStatus = "online" | "offline" | "unknown";

/** Answers for a hostname whether the account serves it, from exact and `*.` patterns. */
export class DomainRegistry {
  readonly #online: readonly string[];
  readonly #offline: readonly string[];

  /** Takes lower-case patterns: exact hostnames or `*.parent` for any subdomain of `parent`. */
  constructor(online: readonly string[], offline: readonly string[]) {
    this.#online = online;
    this.#offline = offline;
  }

  /** Offline wins over online, so a test can take one subdomain of a wildcard offline. */
  statusOf(hostname: string): DomainStatus {
    const host = hostname.toLowerCase();
    if (this.#offline.some((pattern) => matches(pattern, host))) return "offline";
    if (this.#online.some((pattern) => matches(pattern, host))) return "online";
    return "unknown";
  }
}

function matches(pattern: string, hostname: string): boolean {
  if (!pattern.startsWith("*.")) return pattern === hostname;
  const suffix = pattern.slice(1); // ".example.com": a label must come before it
  return hostname.length > suffix.length && hostname.endsWith(suffix);
}
