/**
 * A build folder for the sources' tests: nested index.html, spaces, non-ASCII and reserved
 * characters in names, dotfiles, and symbolic links inside, outside, looping and broken.
 * @module
 */

/** The files written, relative to the folder, with their contents. */
export const BUILD_FILES: Record<string, string> = {
  "index.html": "<h1>home</h1>",
  "about us.html": "about",
  "docs/index.html": "docs",
  "docs/guide/index.html": "guide",
  "docs/guide/intro.html": "intro",
  "café/menü.html": "menu",
  "a+b&c@d.js": "js",
  "100%#?.txt": "odd",
  "app.js.map": "{}",
  ".well-known/security.txt": "contact",
  ".DS_Store": "junk",
};

/**
 * Writes the folder under a new temporary directory: `<tmp>/dist`, and `<tmp>/outside.html`
 * that a link points to. Returns the temporary directory.
 */
export async function writeBuildFolder(): Promise<string> {
  const tmp = await Deno.makeTempDir();
  const dist = `${tmp}/dist`;
  for (const [path, text] of Object.entries(BUILD_FILES)) {
    const full = `${dist}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(full, text);
  }
  await Deno.writeTextFile(`${tmp}/outside.html`, "secret");
  await Deno.symlink(`${dist}/docs/guide/intro.html`, `${dist}/link-inside`);
  await Deno.symlink("docs", `${dist}/link-dir`);
  await Deno.symlink(`${tmp}/outside.html`, `${dist}/link-out`);
  await Deno.symlink(tmp, `${dist}/link-up`);
  await Deno.symlink(".", `${dist}/docs/loop`);
  await Deno.symlink("missing.html", `${dist}/broken`);
  return tmp;
}

/** The URLs of the folder under `base` with default options, in walk order. */
export function expectedUrls(base: string): string[] {
  return [
    "100%25%23%3F.txt",
    "a+b&c@d.js",
    "about%20us.html",
    "app.js.map",
    "caf%C3%A9/men%C3%BC.html",
    "docs/guide/",
    "docs/guide/intro.html",
    "docs/",
    "",
    "link-dir/guide/",
    "link-dir/guide/intro.html",
    "link-dir/",
    "link-inside",
  ].map((path) => base + path);
}
