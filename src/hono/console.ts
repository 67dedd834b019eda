/**
 * Serving the console page (`prewarmRouter({ console: true })`): one self-contained HTML
 * page, the same for every deployment, behind a strict Content-Security-Policy that admits
 * its one style sheet and its one script by their SHA-256 hashes, connects to this origin
 * only, and forbids framing. The page reveals nothing of the configuration: everything it
 * shows comes from the API, with the token the user pastes.
 * @module
 */
import type { Context, Env } from "hono";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { CONSOLE_SCRIPT, CONSOLE_STYLE, consoleHtml } from "./console_page.ts";

function cspHash(source: string): string {
  return `'sha256-${btoa(String.fromCharCode(...sha256(utf8ToBytes(source))))}'`;
}

/** The headers of the page, computed once per process or isolate. */
let pageHeaders: Record<string, string> | undefined;

function headers(): Record<string, string> {
  pageHeaders ??= {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": [
      "default-src 'none'",
      `script-src ${cspHash(CONSOLE_SCRIPT)}`,
      `style-src ${cspHash(CONSOLE_STYLE)}`,
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
  return pageHeaders;
}

/** The handler of `GET <path>` (and HEAD): the page, for anyone; the API still needs a token. */
export function consoleHandler<E extends Env>(path: string): (c: Context<E>) => Response {
  const html = consoleHtml(path);
  return (c) => c.body(html, 200, headers());
}
