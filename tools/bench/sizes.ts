/**
 * Bundle sizes, measured the same way for every side: esbuild (tools/bundle.mjs), minified,
 * then gzip level 9. Each entry bundles just what one `PushUrlsCache` call needs.
 */
import { gzipSync } from "node:zlib";
import { bundle } from "./run.ts";

const root = new URL("../../", import.meta.url);
const entriesDir = new URL("tools/out/bench-entries/", root);

/**
 * The budget of the core bundle (`prewarm` alone, minified, gzip -9), in bytes: 12 KB, what
 * tools/size_check.ts enforces. Never raised to fit what was built: what does not fit goes to an
 * entry of its own, or out of `prewarm()`'s path. It was 17.2 KB when the budget was set; the
 * seam took API 2.0 (SHA-1), purge, EdgeOne, their error rows and the ParseM3U8 bookkeeping out
 * (14.8 KB), signing went to `crypto.subtle` directly (13.5 KB), and then two things every
 * `prewarm()` carried but few runs use left its path: the advice text of every error
 * (`errorAdvice()`, which the command line and the router call; 1.0 KB) and the lookup of
 * batches whose answer was lost (`recoverLostTasks()`, a step after the run; 0.6 KB).
 */
export const CORE_BUDGET = 12 * 1024;

/** One bundled entry and its sizes in bytes. */
export interface SizeRow {
  name: string;
  minified: number;
  gzip: number;
}

const ENTRIES: Record<
  string,
  { platform: "browser" | "node"; source: string }
> = {
  "@qcdn/prewarm core (prewarm)": {
    platform: "browser",
    source: `export { prewarm } from "${new URL("mod.ts", root).pathname}";`,
  },
  "@qcdn/prewarm router (prewarmRouter, Hono included)": {
    platform: "browser",
    source: `export { prewarmRouter } from "${new URL("src/hono/mod.ts", root).pathname}";`,
  },
  "tencentcloud-sdk-nodejs-cdn (PushUrlsCache)": {
    platform: "node",
    source: `import { cdn } from "tencentcloud-sdk-nodejs-cdn";
export const push = (secretId, secretKey, urls) =>
  new cdn.v20180606.Client({ credential: { secretId, secretKey }, region: "" })
    .PushUrlsCache({ Urls: urls, Area: "overseas" });`,
  },
  "@tencent-sdk/capi (PushUrlsCache)": {
    platform: "node",
    source: `import { Capi } from "@tencent-sdk/capi";
export const push = (SecretId, SecretKey, Urls) =>
  new Capi({ ServiceType: "cdn", Region: "", SecretId, SecretKey })
    .request({ Action: "PushUrlsCache", Version: "2018-06-06", Urls, Area: "overseas" },
      { host: "cdn.tencentcloudapi.com" }, true);`,
  },
};

/**
 * Every entry point deno.json exports, each bundled whole (`export *`): what importing it costs
 * when a bundler keeps all of it. The command line is bundled for Node (it reads files and
 * runs git); every other entry the way Workers bundle (browser conditions).
 */
async function exportEntries(): Promise<typeof ENTRIES> {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", root)),
  ) as {
    name: string;
    exports: Record<string, string>;
  };
  return Object.fromEntries(
    Object.entries(config.exports).map(([name, path]) => [
      `${config.name}${name === "." ? "" : name.slice(1)} (the whole entry)`,
      {
        platform: name === "./cli" ? "node" : "browser",
        source: `export * from "${new URL(path, root).pathname}";`,
      },
    ]),
  );
}

/** Adds entries (e.g. the router) measured the same way. */
export function addSizeEntry(
  name: string,
  platform: "browser" | "node",
  source: string,
): void {
  ENTRIES[name] = { platform, source };
}

/**
 * Writes `source` as the entry `slug` of tools/out/bench-entries/ and bundles it for
 * `platform`, minified or not; the bundle's path.
 */
async function bundleEntry(
  slug: string,
  platform: string,
  source: string,
  minify: boolean,
): Promise<string> {
  await Deno.mkdir(entriesDir, { recursive: true });
  const entry = new URL(`${slug}.ts`, entriesDir).pathname;
  const out = new URL(`${slug}${minify ? ".min" : ""}.js`, entriesDir).pathname;
  await Deno.writeTextFile(entry, source);
  await bundle(
    entry,
    out,
    `--platform=${platform}`,
    ...(minify ? ["--minify"] : []),
  );
  return out;
}

async function bundleSize(
  name: string,
  platform: string,
  source: string,
): Promise<SizeRow> {
  const slug = name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
  const bytes = await Deno.readFile(
    await bundleEntry(slug, platform, source, true),
  );
  return {
    name,
    minified: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
  };
}

/**
 * The top-level names of the core bundle (not minified, so that they keep their names) that occur
 * once: declared, never read.
 */
export async function coreUnreadDeclarations(): Promise<string[]> {
  const [, { platform, source }] = Object.entries(ENTRIES)[0]!;
  const text = await Deno.readTextFile(
    await bundleEntry("core-unminified", platform, source, false),
  );
  const declared = text.matchAll(
    /^(?:var|let|const|(?:async )?function\*?|class) ([\w$]+)/gm,
  );
  return [...declared].map((m) => m[1]!).filter((name) =>
    // A read: the name alone, or spread (`...NAME`), not a property (`.NAME`).
    text.split(
      new RegExp(
        `(?<![\\w$])(?<!(?:^|[^.])\\.)${name.replace(/\$/g, "\\$")}(?![\\w$])`,
      ),
    )
      .length === 2
  );
}

/** Bundles the core alone (what the size budget covers). */
export function measureCoreSize(): Promise<SizeRow> {
  const [name, { platform, source }] = Object.entries(ENTRIES)[0]!;
  return bundleSize(name, platform, source);
}

/** Bundles every entry and returns the rows, ours first (the core, then the router). */
export async function measureSizes(): Promise<SizeRow[]> {
  const rows: SizeRow[] = [];
  for (const [name, { platform, source }] of Object.entries(ENTRIES)) {
    rows.push(await bundleSize(name, platform, source));
  }
  return rows;
}

/** Bundles each entry point of deno.json's `exports`, in its order. */
export async function measureExportSizes(): Promise<SizeRow[]> {
  const rows: SizeRow[] = [];
  for (
    const [name, { platform, source }] of Object.entries(await exportEntries())
  ) {
    rows.push(await bundleSize(name, platform, source));
  }
  return rows;
}
