/**
 * `--since`: a duration back from now (`30m`, `6h`, `2d`), which both `status --url` and a
 * sitemap's `<lastmod>` filter take, or for sitemaps also a date.
 * @module
 */
import { UsageError } from "./args.ts";
import { parseW3cDatetime } from "../sources/w3c_datetime.ts";

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration such as `30m`, `6h`, `2d` or `1.5h`, in ms; `undefined` when it is not one. */
export function parseDuration(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(m|h|d)$/.exec(value.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
}

/**
 * `--since` for sitemaps: a duration back from `now`, or a W3C datetime (`2026-11-28`,
 * `2026-11-28T09:30:00+08:00`), as the time in ms.
 * @throws {UsageError} for anything else.
 */
export function parseSince(value: string, now: number): number {
  const duration = parseDuration(value);
  if (duration !== undefined) return now - duration;
  const date = parseW3cDatetime(value);
  if (date !== undefined) return date;
  throw new UsageError(
    `--since takes a duration (30m, 6h, 2d) or a date (2026-11-28, 2026-11-28T09:30:00+08:00), ` +
      `got "${value}"`,
  );
}
