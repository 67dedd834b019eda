/**
 * Time as the Tencent CDN reports it: Beijing time (UTC+8), `YYYY-MM-DD hh:mm:ss`.
 *
 * The quota day is also a Beijing day, so these helpers decide when the daily quota resets.
 *
 * @module
 */

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const BEIJING_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Formats an instant (ms since the epoch) as Beijing wall time `YYYY-MM-DD hh:mm:ss`. */
export function formatBeijingTime(ms: number): string {
  const iso = new Date(Math.floor(ms / 1000) * 1000 + BEIJING_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** The Beijing calendar day (`YYYY-MM-DD`) an instant falls on: the key of the daily quota. */
export function beijingDay(ms: number): string {
  return formatBeijingTime(ms).slice(0, 10);
}

/**
 * Reads Beijing wall time `YYYY-MM-DD hh:mm:ss` back into an instant, or `undefined` when the
 * text is not such a time (including impossible dates like February 30th).
 */
export function parseBeijingTime(text: string): number | undefined {
  const match = BEIJING_TIME_PATTERN.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - BEIJING_OFFSET_MS;
  // Date.UTC rolls impossible dates over (Feb 30 → Mar 2); a round trip exposes that.
  return formatBeijingTime(ms) === text ? ms : undefined;
}

/** The UTC calendar day (`YYYY-MM-DD`) of a Unix timestamp in seconds: the TC3 scope date. */
export function utcDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}
