/**
 * Serving the console page (`prewarmRouter({ console: true })`): one self-contained HTML
 * page, the same for every deployment, behind a strict Content-Security-Policy that admits
 * its one style sheet and its one script by their SHA-256 hashes, connects to this origin
 * only, and forbids framing. The page reveals nothing of the configuration: everything it
 * shows comes from the API, with the token the user pastes.
 *
 * The page's source (20 KB, `console_page.ts`) is imported when the page is first asked for:
 * a router without the console, or whose console nobody opens, never loads it, and a Worker's
 * bundle keeps it in a function that runs then, instead of in the code run at start-up.
 * @module
 */
import type { Context, Env } from "hono";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";

function cspHash(source: string): string {
  return `'sha256-${btoa(String.fromCharCode(...sha256(utf8ToBytes(source))))}'`;
}

/** The headers of the page: its CSP admits exactly `script` and `style`. */
function headers(script: string, style: string): Record<string, string> {
  return {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": [
      "default-src 'none'",
      `script-src ${cspHash(script)}`,
      `style-src ${cspHash(style)}`,
      // The favicon is `data:,` so that the browser asks nothing else of the server.
      "img-src data:",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join("; "),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
  };
}

/** The handler of `GET <path>` (and HEAD): the page, for anyone; the API still needs a token. */
export function consoleHandler<E extends Env>(path: string): (c: Context<E>) => Promise<Response> {
  // The page and its headers are made once, when first asked for.
  let page: Promise<{ html: string; headers: Record<string, string> }> | undefined;
  return async (c) => {
    page ??= import("./console_page.ts").then(({ CONSOLE_SCRIPT, CONSOLE_STYLE, consoleHtml }) => ({
      html: consoleHtml(path),
      headers: headers(CONSOLE_SCRIPT, CONSOLE_STYLE),
    }));
    const served = await page;
    return c.body(served.html, 200, served.headers);
  };
}
