/**
 * The `--help` text.
 * @module
 */
import { INSTALL } from "./words.ts";

/** Printed by `--help`; `Run with --help` points here after a usage mistake. */
export const USAGE = `Usage:
  prewarm [URL...] [--file FILE | --file -] [options]
  prewarm --sitemap URL|FILE [--order priority] [--remaining FILE] [options]
  prewarm --dir DIR --base URL [--changed-since REF | --changed-manifest FILE]
  prewarm [URL...] --wait [--wait-timeout 30m] [--poll-interval 10s] [options]
  prewarm [URL...] --wait --verify [--probe-method GET|HEAD] [options]
  prewarm verify URL... | --file FILE [--json]
  prewarm status TASK_ID... [--wait] [--json]
  prewarm status --url URL [--since 24h] [--json]
  prewarm quota [--json]
  prewarm ... --api teo --zone ZONE   (EdgeOne: prewarm, status JOB_ID, quota)

Submits Tencent Cloud CDN URL prefetch ("prewarm") tasks, reads their status and the daily
quota, and asks the CDN's edge whether it serves the URLs from its cache. Install it as
prewarm with:
  ${INSTALL}

URLs come from the arguments, then from each --file in turn (one per line, blank lines and
lines starting with # skipped; --file - reads standard input), then from each --sitemap, then
from --dir. A URL an earlier source gave is sent once.

Credentials come from the environment only, never from arguments:
  TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, and TENCENTCLOUD_SESSION_TOKEN for
  temporary keys. Without them, prewarm runs against a local simulator and says so.

prewarm options:
  --file FILE            Read URLs from FILE ("-": standard input). May be repeated.
  --dry-run              Check and batch the URLs and print the plan. Sends nothing, writes
                         no file and needs no credentials.
  --simulate             Send to an in-process simulator instead of Tencent Cloud.
  --api v3|v2|teo        API 3.0 PushUrlsCache (default), API 2.0 CdnOverseaPushser, or
                         EdgeOne CreatePrefetchTask (with --zone; docs/edgeone.md).
  --zone ZONE            EdgeOne: the zone (site) id, zone-...; the budget is the zone's.
  --area AREA            overseas (default), mainland or global (API 3.0 only).
  --check-quota          Ask DescribePushQuota (EdgeOne: DescribeContentQuota) first; send
                         no more than is left today.
  --daily-limit N|off    URLs this run may spend per Beijing-time day and area (default
                         1000, the documented overseas quota).
  --batch-size N         URLs per request (default 500 for API 3.0, 20 for API 2.0).
  --concurrency N        Most requests in flight at once (default 64; --rate paces them).
  --rate N|off           Most requests started per second for the account (default 18,
                         shared by everything this process sends; it also slows down by
                         itself when Tencent answers with a rate limit).
  --retries N            Retries of requests that certainly spent no quota (default 3).
  --retry-ambiguous      Also retry requests that may have been processed; each such
                         retry can spend the quota twice.
  --timeout SECONDS      Time one attempt may take (default 15; "500ms" also works).
  --signature-method M   API 2.0: HmacSHA256 (default) or HmacSHA1.
  --method POST|GET      API 2.0: the HTTP method (default POST).

PushUrlsCache parameters (API 3.0; docs/cli.md):
  --user-agent UA        The User-Agent of the origin pull (Tencent's default: TencentCdn).
  --layer middle         Warm the mid-tier only (overseas warms edge nodes by default).
  --parse-m3u8           Also prefetch the segments of HLS playlists; they spend quota too,
                         how much is unknown in advance (--check-quota reconciles after).
  --disable-range        Pull from the origin without Range requests.
  --header "Name: v"     A header of the origin pull; at most 20. May be repeated.
  --url-encode           Let Tencent encode non-ASCII characters (set by itself for batches
                         holding a non-ASCII URL).

Purge first (docs/cli.md):
  --purge-first          Purge the URLs (PurgeUrlsCache, its own quota), wait until done,
                         then prefetch only what was purged; a failed purge is a failure.
  --purge-wait SECONDS   How long to wait for the purges (default 900).

Waiting (a prefetch takes 5-30 minutes):
  --wait                 After the run, wait until every URL of every task is done, failed
                         or invalid, showing the counts on standard error; the summary
                         lists every URL that did not end done, with what to do.
  --wait-timeout TIME    Give up waiting after TIME: 90s, 30m, 1h (default 30m). URLs still
                         pending then may yet finish: check them later with status.
  --poll-interval TIME   The first pause between two looks (default 10s); pauses grow to
                         at most 60s (or TIME, when longer).

Is it warm? (docs/verify.md)
  --verify               After --wait: ask the CDN's edge, from here, whether it serves each
                         URL that ended done from its cache (X-Cache-Lookup, EO-Cache-Status):
                         hit, miss, bypass, unknown or error; misses listed with what to do.
  verify URL...          The same for URLs given as arguments or with --file; needs no
                         credentials. --simulate asks a simulated edge (everything misses).
  --probe-method M       GET (default: one byte, Range: bytes=0-0) or HEAD. No body is read,
                         no redirect followed.
  --probe-concurrency N  Probes in flight at once (default 4).
  --probe-timeout SECS   Time one probe may take (default 10).
  A hit proves that the edge node answering this machine holds the file; other regions may
  still be cold.

Sources (docs/sources.md):
  --sitemap URL|FILE     Read a sitemap or sitemap index (gzipped or not). May be repeated.
  --order ORDER          Sitemap URLs in input (default), priority or lastmod order.
  --since WHEN           Only sitemap URLs whose lastmod is at or after WHEN: a date
                         (2026-11-28, 2026-11-28T09:30:00+08:00) or a duration (6h, 2d).
  --sitemap-max-urls N   Read at most N URLs over all sitemaps (default 500000; "off").
  --sitemap-max-files N  Read at most N sitemap files, indexes included (default 5000).
  --sitemap-max-bytes N  Read at most N bytes, uncompressed (default 536870912, 512 MiB).
  --sitemap-host HOST    Let an index list sitemaps on HOST (a CDN), besides its own host.
                         Repeatable.
  --dir DIR --base URL   Every file of a build folder, as served under URL (index.html
                         stands for its folder; names starting with a dot are skipped).
  --include GLOB         Only files of --dir matching GLOB (*.html, docs/**). Repeatable.
  --exclude GLOB         Leave out files of --dir matching GLOB (*.map). Repeatable.
  --index MODE           What index.html maps to: folder (default), file or both.
  --changed-since REF    Only files of --dir that changed since git REF.
  --changed-manifest F   Only files of --dir whose content differs from manifest F; F is
                         rewritten once every URL was submitted or saved for later.
  --limit N              Send at most N URLs; the rest are held back (see --remaining).

After the run (docs/ci.md):
  --remaining FILE       Write the URLs that were not sent but safely can be later (over
                         the daily quota, interrupted, failed before reaching Tencent, held
                         back by --limit), in order. Continue with --file FILE --remaining
                         FILE (a missing FILE there counts as empty). URLs that may have
                         been submitted are never written there.
  --report FILE          Write the JSON report to FILE.
  In GitHub Actions the counts go to GITHUB_OUTPUT (submitted, failed, rejected,
  deferred, maybe-submitted, report) and a summary to GITHUB_STEP_SUMMARY.

status options:
  TASK_ID...             One task id: a table of its URLs. Several, or with --wait: every
                         URL of the tasks by status (done, failed, invalid, pending,
                         unknown); --wait, --wait-timeout and --poll-interval as above.
  --url URL              Instead of a TASK_ID: every recent push of URLs containing URL (how
                         to check a batch reported "may have been submitted").
  --since DURATION       How far back --url looks: 30m, 6h, 2d (default 24h).

Options of every command:
  --endpoint URL         Send to URL instead of Tencent Cloud (a proxy, the international
                         site https://cdn.intl.tencentcloudapi.com/, a simulator).
  --timeout, --retries   As above.
  --api teo --zone ZONE  EdgeOne: status takes a job id, quota shows the zone's quota.
  --simulate             As above; status and quota then ask a fresh simulator.
  --json                 Print the result as JSON on standard output; messages and
                         progress stay on standard error.
  -h, --help             Print this help.

Exit status:
  0    every URL was submitted (a duplicate counts: its first copy was sent), or kept in
       --remaining because of the daily quota or --limit, and with --wait every URL of
       every task is done, and with --verify (or verify) every probed URL is a hit
       (status: the tasks' URLs are fine; quota: answered)
  1    some URLs were not sent or failed, or (with --wait or status) a URL ended failed,
       invalid or unknown (status: none were found; status and quota: Tencent Cloud
       refused or could not be reached)
  2    a usage or configuration mistake, no URLs at all included: nothing was sent
  3    --wait timed out with URLs still pending, and nothing else went wrong
  4    verify (or --verify) found URLs that are not hits (miss, bypass or unknown), and
       nothing else went wrong (a URL it could not read, an error, is exit 1)
  130  interrupted (Ctrl-C): nothing new is sent; the summary still lists what was
       submitted
`;
