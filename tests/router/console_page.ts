/**
 * Reading the console page as a browser does: its inline style and script, the hashes a
 * Content-Security-Policy must list to admit them, and the policy's directives.
 */
import assert from "node:assert/strict";

/**
 * The largest the console page may be: 22 KiB, raised from 20 KiB on purpose for step 6, the
 * cache check after the wait (`POST /verify`, about 1.4 KB), which the page was 290 bytes short
 * of fitting.
 */
export const CONSOLE_MAX_BYTES = 22 * 1024;

/** The page's one inline `<style>` and one `<script>`, exactly as the browser hashes them. */
export function inlineSources(html: string): { style: string; script: string } {
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
  assert.ok(style !== undefined && script !== undefined, "the page has a style and a script");
  assert.equal(html.match(/<script/g)?.length, 1, "one script only");
  assert.equal(html.match(/<style/g)?.length, 1, "one style sheet only");
  return { style, script };
}

/** The CSP source that admits exactly this inline text: `'sha256-…'`. */
export async function hashSource(source: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(source));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}

/** A Content-Security-Policy header's directives: name → its sources. */
export function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
}

/**
 * Checks the page's answer: HTML within {@linkcode CONSOLE_MAX_BYTES}, a policy that admits its
 * inline style and script by hash and nothing else, connects to its own origin only and
 * forbids framing; `nosniff`, no referrer, and neither a cookie nor a CORS grant.
 */
export async function assertConsolePage(html: string, headers: Headers): Promise<void> {
  assert.equal(headers.get("content-type"), "text/html; charset=utf-8");
  assert.equal(headers.get("x-content-type-options"), "nosniff");
  assert.equal(headers.get("referrer-policy"), "no-referrer");
  assert.equal(headers.get("set-cookie"), null);
  assert.equal(headers.get("access-control-allow-origin"), null);
  const bytes = new TextEncoder().encode(html).byteLength;
  assert.ok(bytes <= CONSOLE_MAX_BYTES, `the page is ${bytes} bytes; at most 22 KiB`);
  const csp = directives(headers.get("content-security-policy") ?? "");
  const { style, script } = inlineSources(html);
  assert.deepEqual(csp.get("default-src"), ["'none'"]);
  assert.deepEqual(csp.get("script-src"), [await hashSource(script)]);
  assert.deepEqual(csp.get("style-src"), [await hashSource(style)]);
  assert.deepEqual(csp.get("connect-src"), ["'self'"]);
  assert.deepEqual(csp.get("frame-ancestors"), ["'none'"]);
  assert.deepEqual(csp.get("base-uri"), ["'none'"]);
  assert.deepEqual(csp.get("form-action"), ["'none'"]);
}
