/**
 * The glob patterns of `include` and `exclude`, compiled once to regular expressions over
 * `/`-separated paths relative to the folder.
 * @module
 */

/**
 * A test of relative paths against a glob: `*` matches within one path segment, `?` one
 * character, `[abc]`/`[!abc]` one of (or none of) a set, `{a,b}` either alternative and `**` any
 * number of whole segments. A pattern without `/` matches the file name in any folder
 * (`*.map`); one with `/` matches the path from the folder's root (`docs/**`, `/robots.txt`).
 *
 * Sets are the shell's: ranges (`[a-z]`), `!` or `^` first to negate (a negated set never
 * matches `/`), `]` first and `-` first or last as themselves (`[]-]`, `[!]a]`), `\` to escape.
 * `\` escapes any character outside a set too. No POSIX classes, extglobs or `{1..9}` ranges.
 *
 * @throws {TypeError} for an empty pattern, an unclosed `[` or `{`, a range out of order or a
 * POSIX class.
 */
export function globMatcher(pattern: string): (path: string) => boolean {
  if (typeof pattern !== "string" || pattern.trim() === "") {
    throw new TypeError(
      `Invalid glob: expected a non-empty pattern, got ${JSON.stringify(pattern)}`,
    );
  }
  const anchored = pattern.includes("/");
  const body = pattern.startsWith("/") ? pattern.slice(1) : pattern;
  const regex = new RegExp(`^${translate(body, pattern)}$`, "u");
  if (anchored) return (path) => regex.test(path);
  return (path) => regex.test(path.slice(path.lastIndexOf("/") + 1));
}

function translate(glob: string, pattern: string): string {
  // By code point, so that a set or `?` takes an emoji whole.
  const chars = Array.from(glob);
  let out = "";
  let braces = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "*" && chars[i + 1] === "*" && (i === 0 || chars[i - 1] === "/")) {
      const end = i + 2;
      if (chars[end] === "/") {
        out += "(?:[^/]*/)*"; // "**/": any number of leading segments, none included
        i = end;
        continue;
      }
      if (end === chars.length) {
        out += ".*"; // a trailing "**": everything below
        i = end;
        continue;
      }
    }
    switch (c) {
      case "*":
        out += "[^/]*";
        break;
      case "?":
        out += "[^/]";
        break;
      case "[": {
        const set = bracket(chars, i, pattern);
        out += set.regex;
        i = set.end;
        break;
      }
      case "{":
        braces++;
        out += "(?:";
        break;
      case "}":
        if (braces === 0) out += "\\}";
        else {
          braces--;
          out += ")";
        }
        break;
      case ",":
        out += braces > 0 ? "|" : ",";
        break;
      case "\\":
        out += escape(chars[++i] ?? "\\");
        break;
      default:
        out += escape(c);
    }
  }
  if (braces > 0) throw new TypeError(`Invalid glob "${pattern}": unclosed {`);
  return out;
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
}

/** A character as a member of a regular expression class (`u` mode allows these escapes). */
function escapeInSet(c: string): string {
  return /[\\\]\[^-]/.test(c) ? `\\${c}` : c;
}

/**
 * The set that opens at `chars[start]` (a `[`) as a regular expression class, and the index of
 * its closing `]`.
 */
function bracket(
  chars: readonly string[],
  start: number,
  pattern: string,
): { regex: string; end: number } {
  let i = start + 1;
  const negated = chars[i] === "!" || chars[i] === "^";
  if (negated) i++;
  const first = i;
  let members = "";
  /** The character at `i`, unescaped, and where the next one starts. */
  const member = (at: number): [string, number] =>
    chars[at] === "\\" && at + 1 < chars.length ? [chars[at + 1]!, at + 2] : [chars[at]!, at + 1];
  while (i < chars.length && !(chars[i] === "]" && i > first)) {
    if (chars[i] === "[" && chars[i + 1] === ":") {
      throw new TypeError(
        `Invalid glob "${pattern}": POSIX classes such as [:alpha:] are not supported`,
      );
    }
    const [low, next] = member(i);
    if (chars[next] === "-" && next + 1 < chars.length && chars[next + 1] !== "]") {
      const [high, after] = member(next + 1);
      if (high.codePointAt(0)! < low.codePointAt(0)!) {
        throw new TypeError(`Invalid glob "${pattern}": the range ${low}-${high} is out of order`);
      }
      members += `${escapeInSet(low)}-${escapeInSet(high)}`;
      i = after;
    } else {
      members += escapeInSet(low);
      i = next;
    }
  }
  if (i >= chars.length) throw new TypeError(`Invalid glob "${pattern}": unclosed [`);
  // A negated set never matches "/": it stands for one character of a name.
  return { regex: negated ? `[^/${members}]` : `[${members}]`, end: i };
}
