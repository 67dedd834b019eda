/**
 * Plain-text building blocks of the command line's output: aligned tables, counts and
 * durations, the same on every runtime (no locale data needed).
 * @module
 */

/** A column of {@linkcode formatTable}. */
export interface Column {
  /** The heading, printed as given. */
  title: string;
  /** `right` for numbers. @default {"left"} */
  align?: "left" | "right";
}

/**
 * Lays rows out under their headings, columns two spaces apart, each line indented by
 * `indent`. The last column is not padded, so lines carry no trailing spaces.
 */
export function formatTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  indent = "",
): string {
  const widths = columns.map((column, i) =>
    Math.max(column.title.length, ...rows.map((row) => (row[i] ?? "").length))
  );
  const line = (cells: readonly string[]) =>
    indent + columns.map((column, i) => {
      const cell = cells[i] ?? "";
      const last = i === columns.length - 1;
      if (column.align === "right") return cell.padStart(widths[i]!);
      return last ? cell : cell.padEnd(widths[i]!);
    }).join("  ").trimEnd();
  return [line(columns.map((c) => c.title)), ...rows.map(line)].join("\n") + "\n";
}

/** A whole number with thousands separated by commas: `100000` → `100,000`. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `1 URL`, `2 URLs`: a count with its noun, plural when it is not one. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : nouns}`;
}

/** A duration for people: `850 ms`, `12.3 s`, `4 min 05 s`, `5 h 12 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) {
    return `${minutes} min ${String(Math.floor((ms % 60_000) / 1000)).padStart(2, "0")} s`;
  }
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** Longest URL printed whole in people's output; `--json` always has them whole. */
export const URL_DISPLAY_CHARS = 120;

/**
 * A URL short enough for one line of people's output: longer ones keep their start and end
 * around an ellipsis and say how long they really are, e.g.
 * `https://www.example.com/aaaa…aaaa/app.js (5,000 characters)`.
 */
export function displayUrl(url: string): string {
  if (url.length <= URL_DISPLAY_CHARS) return url;
  // Cut between code points, never inside a surrogate pair.
  const chars = Array.from(url);
  if (chars.length <= URL_DISPLAY_CHARS) return url;
  // The host and the file name tell most URLs apart: keep both.
  const head = chars.slice(0, URL_DISPLAY_CHARS - 40).join("");
  const tail = chars.slice(-30).join("");
  return `${head}…${tail} (${formatCount(chars.length)} characters)`;
}
