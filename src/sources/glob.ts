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
 * @throws {TypeError} for an empty pattern or an unclosed `[` or `{`.
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
  let out = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*" && (i === 0 || glob[i - 1] === "/")) {
      const end = i + 2;
      if (glob[end] === "/") {
        out += "(?:[^/]*/)*"; // "**/": any number of leading segments, none included
        i = end;
        continue;
      }
      if (end === glob.length) {
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
        const close = glob.indexOf("]", i + 2);
        if (close === -1) throw new TypeError(`Invalid glob "${pattern}": unclosed [`);
        let set = glob.slice(i + 1, close);
        const negated = set.startsWith("!") || set.startsWith("^");
        if (negated) set = set.slice(1);
        out += `[${negated ? "^/" : ""}${set.replace(/[\\\]]/g, "\\$&")}]`;
        i = close;
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
        out += escape(glob[++i] ?? "\\");
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
