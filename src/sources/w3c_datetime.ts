/**
 * W3C datetimes (https://www.w3.org/TR/NOTE-datetime), the format of a sitemap's `<lastmod>`:
 * `2026`, `2026-11`, `2026-11-28`, `2026-11-28T09:30+08:00`, `2026-11-28T09:30:15Z`,
 * `2026-11-28T09:30:15.250-05:00`.
 * @module
 */

const W3C_DATETIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

/**
 * The time a W3C datetime stands for, in ms since the epoch, or `undefined` when `text` is not
 * one. Dates without a time are midnight UTC. A time without a zone, or with `+hhmm`, is
 * accepted as generators write them (UTC, and `+hh:mm`).
 */
export function parseW3cDatetime(text: string): number | undefined {
  const m = W3C_DATETIME.exec(text.trim());
  if (!m) return undefined;
  const [year, month = 1, day = 1, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((
    part,
  ) => part === undefined ? undefined : Number(part));
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  const ms = Date.UTC(year!, month - 1, day, hour, minute, second) + fraction;
  // Date.UTC rolls 2026-02-30 over into March: a date that does not come back is not a date.
  const check = new Date(Date.UTC(year!, month - 1, day, hour, minute, second));
  if (
    year! < 1000 || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day ||
    check.getUTCHours() !== hour || check.getUTCMinutes() !== minute
  ) {
    return undefined;
  }
  const zone = m[8];
  if (zone === undefined || zone === "Z") return ms;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const offsetHours = Number(digits.slice(0, 2));
  const offsetMinutes = Number(digits.slice(2));
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  return ms - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}
