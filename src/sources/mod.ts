/**
 * Where the URLs to prewarm come from when nobody wrote a list: sitemaps (and sitemap indexes,
 * gzipped or not), the files of a build folder, and only the files that changed since a git
 * ref or since the last run. Each source is an async iterable of URLs, ready for `prewarm()`.
 *
 * Sitemaps by URL work on every runtime (Workers included); paths, folders, git and the
 * manifest need a file system, and load it only when called.
 *
 * @example Prewarm a sitemap's most important pages first
 * ```ts
 * import { credentialsFromEnv, prewarm } from "@qcdn/prewarm";
 * import { sitemapUrls } from "@qcdn/prewarm/sources";
 *
 * const urls = sitemapUrls("https://www.example.com/sitemap.xml", { order: "priority" });
 * const report = await prewarm(urls, { credentials: credentialsFromEnv()! });
 * console.log(report.counts);
 * ```
 *
 * @example Prewarm the files of a deploy that changed since the last one
 * ```ts
 * import {
 *   compareManifest,
 *   directoryUrls,
 *   readManifest,
 *   writeManifest,
 * } from "@qcdn/prewarm/sources";
 *
 * const previous = await readManifest(".prewarm-manifest.json");
 * const { changed, current } = await compareManifest("dist", previous);
 * const wanted = new Set(changed);
 * for await (const url of directoryUrls("dist", "https://www.example.com/", {
 *   filter: (path) => wanted.has(path),
 * })) console.log(url);
 * // ... prewarm them; once that succeeded:
 * await writeManifest(".prewarm-manifest.json", current);
 * ```
 *
 * @module
 */
export { type SitemapOptions, type SitemapOrder, sitemapUrls } from "./sitemap.ts";
export {
  type DirectoryOptions,
  directoryUrls,
  type FileSelection,
  type IndexUrls,
} from "./directory.ts";
export { globMatcher } from "./glob.ts";
export { type ChangedOptions, changedSince } from "./changed.ts";
export {
  compareManifest,
  type ContentManifest,
  type ManifestComparison,
  readManifest,
  writeManifest,
} from "./manifest.ts";
export {
  type SitemapLimit,
  SourceError,
  type SourceErrorOptions,
  type SourceWarning,
  type SourceWarningCode,
} from "./errors.ts";
export { parseW3cDatetime } from "./w3c_datetime.ts";
