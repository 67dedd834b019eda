// The command line's sources as users run them (a subprocess): sitemaps, a build folder, files
// and arguments together; changed files by manifest; --limit; usage mistakes; and a --remaining
// round trip over three simulated days of a 1000-a-day quota.
import assert from "node:assert/strict";
import { type JsonReport, runCli, serveSimulator, SIMULATOR_ENV } from "./cli/run.ts";
import { expectedUrls, writeBuildFolder } from "./sources/build_folder.ts";
import { collect, gzip, serveDocuments, sitemapIndex, urlset } from "./sources/serve.ts";
import { splitArgs } from "../src/cli/args.ts";
import { Flags } from "../src/cli/flags.ts";
import { InputSources, SOURCE_FLAGS } from "../src/cli/sources.ts";
import { directoryUrls } from "../src/sources/directory.ts";

const SITE = "https://www.example.com";
const BASE = `${SITE}/site/`;
const DAY = 86_400_000;

/** `--dir` and `--base` for `writeBuildFolder()`'s folder under `tmp`, its symbolic links excluded. */
function folderArgs(tmp: string): string[] {
  return [
    "--dir",
    `${tmp}/dist`,
    "--base",
    BASE,
    "--exclude",
    "link-*",
    "--exclude",
    "link-dir/**",
  ];
}

interface Plan {
  batches: { host: string; urls: string[] }[];
  rejected: { url: string; reason: string }[];
  counts: { input: number; wouldSend: number; rejected: number };
}

Deno.test("cli: arguments, --file, --sitemap and --dir together, each URL sent once (--dry-run)", async () => {
  const tmp = await writeBuildFolder();
  const documents: Record<string, { body: string | Uint8Array }> = {};
  await using served = serveDocuments(documents);
  documents["/index.xml"] = {
    body: sitemapIndex([`${served.origin}/pages.xml`, `${served.origin}/posts.xml.gz`]),
  };
  documents["/pages.xml"] = {
    body: urlset([
      { loc: `${SITE}/?a=1&amp;b=2`, priority: "0.2" },
      { loc: `${BASE}docs/`, priority: "0.9" }, // also a file of the folder
      { loc: `${SITE}/listed`, priority: "1.0" }, // also in --file
    ]),
  };
  documents["/posts.xml.gz"] = {
    body: await gzip(urlset([{ loc: `${SITE}/post`, priority: "0.5" }])),
  };
  try {
    await Deno.writeTextFile(`${tmp}/urls.txt`, `${SITE}/listed\n# comment\n${SITE}/listed\n`);
    const args = [
      `${SITE}/arg`,
      ...["--file", `${tmp}/urls.txt`, "--sitemap", `${served.origin}/index.xml`],
      ...folderArgs(tmp),
    ];
    const result = await runCli(["--dry-run", "--json", ...args]);
    // The file repeats a line of its own: a harmless duplicate, so still a success.
    assert.equal(result.code, 0, result.stderr);
    const plan: Plan = JSON.parse(result.stdout);
    const folder = expectedUrls(BASE).filter((url) => !url.includes("/link-"));
    assert.deepEqual(plan.batches.flatMap((b) => b.urls), [
      `${SITE}/arg`,
      `${SITE}/listed`,
      `${SITE}/?a=1&b=2`,
      `${BASE}docs/`,
      `${SITE}/post`,
      ...folder.filter((url) => url !== `${BASE}docs/`),
    ]);
    assert.deepEqual(plan.rejected, [{
      url: `${SITE}/listed`,
      reason: "duplicate",
      detail: "The same URL appears earlier in the input",
    }]);
    assert.match(
      result.stderr,
      /^Sources: 3 listed, 3 from 1 sitemap, 8 from --dir .*\/dist; 2 URLs given by more than one source, sent once\.$/m,
    );

    // Ordered by priority and cut by --limit: the most important first, the rest held back.
    const limited = await runCli([
      "--dry-run",
      "--sitemap",
      `${served.origin}/index.xml`,
      "--order",
      "priority",
      "--limit",
      "2",
    ]);
    assert.equal(limited.code, 0, limited.stderr);
    assert.match(limited.stdout, /Would send 2 URLs in 1 request/);
    assert.match(limited.stdout, /^Held back by --limit 2: 2 URLs\.$/m);
    assert.match(limited.stdout, /^Sources: 4 from 1 sitemap \(by priority\)\.$/m);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("cli: usage mistakes with the new sources exit 2 and send nothing", async () => {
  await using sim = serveSimulator();
  const tmp = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${tmp}/bad.xml`, "<urlset><url><loc>x</url></urlset>");
    await Deno.mkdir(`${tmp}/dist`);
    const cases: [string[], RegExp][] = [
      [["--order", "priority", `${SITE}/a`], /--order applies to sitemap URLs: add --sitemap/],
      [["--since", "2d", `${SITE}/a`], /--since applies to sitemap URLs/],
      [["--dir", `${tmp}/dist`], /--dir needs --base URL/],
      [["--base", BASE, `${SITE}/a`], /--base applies to a build folder: add --dir DIR/],
      [
        ["--dir", `${tmp}/dist`, "--base", "example.com"],
        /Invalid --base: expected an http\(s\) URL/,
      ],
      [
        [
          "--dir",
          `${tmp}/dist`,
          "--base",
          BASE,
          "--changed-since",
          "HEAD",
          "--changed-manifest",
          "m",
        ],
        /--changed-since and --changed-manifest cannot be combined/,
      ],
      [
        ["--sitemap", `${tmp}/bad.xml`, "--since", "last week"],
        /--since takes a duration \(30m, 6h, 2d\) or a date/,
      ],
      [
        ["--sitemap", `${tmp}/bad.xml`, "--order", "random"],
        /--order must be input or priority or lastmod, got "random"/,
      ],
      [["--limit", "0", `${SITE}/a`], /--limit must be an integer of at least 1, got "0"/],
      [
        ["--sitemap", `${tmp}/bad.xml`],
        /bad\.xml: malformed XML at line 1, column \d+: unexpected close tag/,
      ],
      [["--sitemap", `${tmp}/none.xml`], /none\.xml: cannot read it: ENOENT/],
      [
        ["--dir", `${tmp}/dist`, "--base", BASE, "--changed-since", "no-such-ref"],
        /is not (a commit of this repository|inside a git work tree)/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await runCli([...args, "--endpoint", sim.endpoint], { env: SIMULATOR_ENV });
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(" "));
    }
    assert.equal(sim.sim.requests.length, 0, "nothing was sent");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("cli: --changed-manifest sends what changed, and is kept as it was when a URL is not sent", async () => {
  await using sim = serveSimulator();
  const tmp = await writeBuildFolder();
  try {
    const dist = `${tmp}/dist`;
    const manifest = `${tmp}/manifest.json`;
    const run = (...extra: string[]) =>
      runCli([
        ...folderArgs(tmp),
        ...["--changed-manifest", manifest, "--endpoint", sim.endpoint, "--json", ...extra],
      ], { env: SIMULATOR_ENV });
    const sent = (result: { stdout: string }) =>
      (JSON.parse(result.stdout) as JsonReport).tasks.flatMap((t) => t.urls);

    const dry = await run("--dry-run");
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stderr, /A dry run writes nothing \(not --changed-manifest\)\./);
    await assert.rejects(Deno.stat(manifest), Deno.errors.NotFound);

    const first = await run();
    assert.equal(first.code, 0, first.stderr);
    assert.equal(sent(first).length, 9);
    assert.match(first.stderr, /^Manifest .*manifest\.json updated \(9 files\)\.$/m);

    const unchanged = await run();
    assert.equal(unchanged.code, 0, unchanged.stderr);
    assert.deepEqual(sent(unchanged), []);

    await Deno.writeTextFile(`${dist}/docs/guide/intro.html`, "intro, edited");
    const before = await Deno.readTextFile(manifest);
    const refused = await run("--daily-limit", "0");
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /Manifest .* left as it was: not every URL was submitted/);
    assert.equal(await Deno.readTextFile(manifest), before);

    const edited = await run();
    assert.equal(edited.code, 0, edited.stderr);
    assert.deepEqual(sent(edited), [`${BASE}docs/guide/intro.html`]);
    assert.notEqual(await Deno.readTextFile(manifest), before);
    assert.equal(sim.sim.accepted.flatMap((t) => t.urls).length, 10, "each sent URL once");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("cli: --changed-manifest gives the URLs of the files the comparison found changed, from its one walk", async () => {
  const tmp = await writeBuildFolder();
  try {
    const dist = `${tmp}/dist`;
    const exclude = ["link-*", "link-dir/**"];
    const args = [
      ...["--dir", dist, "--base", BASE, "--index", "both", "--exclude", exclude[0]!],
      ...["--exclude", exclude[1]!, "--changed-manifest", `${tmp}/manifest.json`],
    ];
    const flags = new Flags(splitArgs(args, SOURCE_FLAGS, ["prewarm"], "prewarm", "").flags);
    const compared = await collect(directoryUrls(dist, BASE, { exclude, index: "both" }));
    const inputs = new InputSources(flags, Date.now());
    await inputs.prepare();
    // The folder changes after the comparison: what is sent is what the manifest records.
    await Deno.remove(`${dist}/about us.html`);
    await Deno.writeTextFile(`${dist}/new.html`, "new");
    const urls = await collect(inputs.urls((async function* () {})()));
    assert.deepEqual(urls, compared);
    assert.ok(urls.includes(`${BASE}about%20us.html`) && urls.includes(`${BASE}docs/index.html`));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("cli: --remaining over three simulated days of a 1000-a-day quota sends every URL once, in priority order", async () => {
  let day = 0;
  const start = Date.UTC(2026, 10, 28, 4); // noon in Beijing
  await using sim = serveSimulator({
    dailyLimit: 1000,
    now: () => start + day * DAY,
    // The command line signs with the real clock; the simulated days are elsewhere in time.
    timestampWindowSeconds: 20 * 365 * 86_400,
  });
  const entries = Array.from({ length: 2500 }, (_, i) => ({
    loc: `${SITE}/page/${i}`,
    priority: ((i * 7919) % 11 / 10).toFixed(1),
  }));
  const byPriority = entries
    .map((e, index) => ({ ...e, index }))
    .sort((a, b) => Number(b.priority) - Number(a.priority) || a.index - b.index)
    .map((e) => e.loc);
  await using site = serveDocuments({ "/sitemap.xml": { body: urlset(entries) } });
  const tmp = await Deno.makeTempDir();
  const remaining = `${tmp}/remaining.txt`;
  try {
    const sentOn: string[][] = [];
    const runDay = async (args: string[]) => {
      const before = sim.sim.accepted.length;
      const result = await runCli([
        ...args,
        ...["--remaining", remaining, "--endpoint", sim.endpoint, "--json"],
      ], { env: SIMULATOR_ENV });
      assert.equal(result.code, 0, result.stderr);
      const report: JsonReport = JSON.parse(result.stdout);
      const accepted = sim.sim.accepted.slice(before).flatMap((t) => t.urls);
      const inReport = report.tasks.flatMap((t) => t.urls);
      assert.deepEqual([...accepted].sort(), [...inReport].sort());
      sentOn.push(inReport);
      day++;
      return { report, stderr: result.stderr, left: await Deno.readTextFile(remaining) };
    };

    const first = await runDay([
      "--sitemap",
      `${site.origin}/sitemap.xml`,
      "--order",
      "priority",
    ]);
    assert.deepEqual(sentOn[0], byPriority.slice(0, 1000));
    assert.equal(first.left, byPriority.slice(1000).join("\n") + "\n");
    assert.match(
      first.stderr,
      new RegExp(
        `^Deferred: 1,500 URLs written to ${remaining}, in order\\. Continue with: ` +
          `--file ${remaining} --remaining ${remaining}$`,
        "m",
      ),
    );

    const second = await runDay(["--file", remaining]);
    assert.deepEqual(sentOn[1], byPriority.slice(1000, 2000));
    assert.equal(second.left, byPriority.slice(2000).join("\n") + "\n");

    const third = await runDay(["--file", remaining]);
    assert.deepEqual(sentOn[2], byPriority.slice(2000));
    assert.equal(third.left, "");
    assert.match(third.stderr, /Deferred: 0 URLs written to .* \(nothing is left for later\)\./);

    // Every URL exactly once, over the days, in priority order.
    const all = sim.sim.accepted.flatMap((t) => t.urls);
    assert.equal(all.length, 2500);
    assert.equal(new Set(all).size, 2500);
    assert.deepEqual(sentOn.flat(), byPriority);

    // A fourth day has nothing left to send, and says so without failing.
    const fourth = await runDay(["--file", remaining]);
    assert.equal(fourth.report.counts.input, 0);
    assert.equal(sim.sim.accepted.flatMap((t) => t.urls).length, 2500);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("cli: --remaining never keeps a URL that may have been submitted", async () => {
  await using served = serveSimulator();
  served.sim.inject({ type: "delay", ms: 400 }); // the first request outlives --timeout
  const tmp = await Deno.makeTempDir();
  try {
    const urls = [1, 2, 3, 4].map((i) => `${SITE}/m/${i}`);
    const remaining = `${tmp}/later/remaining.txt`; // its folder is made when it is written
    const result = await runCli([
      ...urls,
      ...["--endpoint", served.endpoint, "--batch-size", "2", "--concurrency", "1"],
      ...["--timeout", "150ms", "--daily-limit", "3", "--rate", "off", "--remaining", remaining],
    ], { env: SIMULATOR_ENV });
    assert.equal(result.code, 1, result.stderr);
    // Batch 1 timed out (may have been submitted); batch 2 got the one unit of budget left.
    assert.equal(await Deno.readTextFile(remaining), `${urls[3]}\n`);
    assert.match(result.stdout, /^MAY HAVE BEEN SUBMITTED: 2 URLs/m);
    assert.match(
      result.stdout,
      /^ {2}Not written there: 2 URLs that may have been submitted \(see above\); check them/m,
    );
    assert.match(
      result.stdout,
      /^4 URLs: 1 submitted, 1 not sent, 2 failed \(2 may be submitted\)/m,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("cli: a simulated run writes no state: --remaining and --changed-manifest stay as they were", async () => {
  const tmp = await writeBuildFolder();
  try {
    // A shell without the keys: the queue of the day must survive the simulation.
    const queue = `${tmp}/queue.txt`;
    const today = [1, 2, 3].map((i) => `${SITE}/q/${i}`).join("\n") + "\n";
    await Deno.writeTextFile(queue, today);
    const ci = { output: `${tmp}/output.txt`, summary: `${tmp}/summary.md` };
    const report = `${tmp}/report.json`;
    const noKeys = await runCli(
      ["--file", queue, "--remaining", queue, "--daily-limit", "1", "--report", report],
      { env: { GITHUB_OUTPUT: ci.output, GITHUB_STEP_SUMMARY: ci.summary } },
    );
    assert.equal(noKeys.code, 0, noKeys.stderr);
    assert.match(noKeys.stderr, /^SIMULATING: /m);
    assert.equal(await Deno.readTextFile(queue), today, "the queue is left as it was");
    assert.match(
      noKeys.stderr,
      new RegExp(
        `^SIMULATED: left ${queue} \\(--remaining\\) as it was: a simulated run writes no ` +
          "state\\.$",
        "m",
      ),
    );
    assert.doesNotMatch(noKeys.stdout + noKeys.stderr, /Deferred|written to/);
    // What it may write is a report, marked as a simulation wherever it goes.
    assert.equal(JSON.parse(await Deno.readTextFile(report)).simulated, true);
    const outputs = await Deno.readTextFile(ci.output);
    assert.match(outputs, /^simulated=true$/m);
    assert.match(outputs, /^deferred=0$/m, "nothing was deferred to a file");
    const summary = await Deno.readTextFile(ci.summary);
    assert.match(summary, /^> \*\*Simulated:\*\* nothing was sent to Tencent Cloud/m);
    assert.match(summary, /^SIMULATED: left .*queue\.txt \(--remaining\) as it was/m);
    assert.doesNotMatch(summary, /\*\*Deferred:\*\*/);

    // --simulate on purpose, with keys set: the manifest and the queue are not made either.
    const manifest = `${tmp}/manifest.json`;
    const later = `${tmp}/later.txt`;
    const args = [
      ...folderArgs(tmp),
      ...["--changed-manifest", manifest, "--remaining", later, "--limit", "4"],
    ];
    const simulated = await runCli(["--simulate", "--json", ...args], { env: SIMULATOR_ENV });
    assert.equal(simulated.code, 0, simulated.stderr);
    assert.equal(
      (JSON.parse(simulated.stdout) as JsonReport).tasks.flatMap((t) => t.urls).length,
      4,
    );
    await assert.rejects(Deno.stat(manifest), Deno.errors.NotFound);
    await assert.rejects(Deno.stat(later), Deno.errors.NotFound);
    assert.match(
      simulated.stderr,
      /^SIMULATED: left .*later\.txt \(--remaining\) and .*manifest\.json \(--changed-manifest\) as they were: a simulated run writes no state\.$/m,
    );
    assert.match(simulated.stderr, /^Held back by --limit 4: 5 URLs\.$/m);
    assert.doesNotMatch(simulated.stderr, /Manifest .* updated/);

    // The same run for real writes both: the next real run starts from them.
    await using served = serveSimulator();
    const real = await runCli([...args, "--endpoint", served.endpoint], { env: SIMULATOR_ENV });
    assert.equal(real.code, 0, real.stderr);
    assert.equal((await Deno.readTextFile(later)).split("\n").filter(Boolean).length, 5);
    assert.match(real.stdout, /^Manifest .*manifest\.json updated \(9 files\)\.$/m);
    assert.doesNotMatch(real.stderr, /SIMULATED/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("cli: an empty sitemap is nothing to do, run or dry run, and a warning says so; the sitemap limits have flags", async () => {
  await using sim = serveSimulator();
  const documents: Record<string, { body: string }> = {};
  await using served = serveDocuments(documents);
  await using elsewhere = serveDocuments({ "/s.xml": { body: urlset([{ loc: `${SITE}/b` }]) } });
  documents["/empty.xml"] = { body: urlset([]).replace(/\n\n/, "\n") };
  documents["/two.xml"] = { body: urlset([{ loc: `${SITE}/a` }, { loc: `${SITE}/b` }]) };
  documents["/index.xml"] = { body: sitemapIndex([`${elsewhere.origin}/s.xml`]) };
  const warning = `warning: ${served.origin}/empty.xml: the sitemap lists no URLs (an empty ` +
    "<urlset>)\n";
  for (const mode of [["--dry-run"], []]) {
    // Without keys the run is simulated: nothing leaves this machine.
    const result = await runCli([...mode, "--sitemap", `${served.origin}/empty.xml`]);
    assert.equal(result.code, 0, `${mode.join(" ")}: ${result.stderr}`);
    assert.ok(result.stdout.includes(`Sources: 0 from 1 sitemap.\n${warning}`), result.stdout);
    assert.doesNotMatch(result.stderr, /No URLs/);
  }

  const tooMany = await runCli([
    "--dry-run",
    "--sitemap",
    `${served.origin}/two.xml`,
    "--sitemap-max-urls",
    "1",
  ]);
  assert.equal(tooMany.code, 2);
  assert.equal(
    tooMany.stderr,
    `error: ${served.origin}/two.xml: takes this read past 1 URL, its limit ` +
      "(--sitemap-max-urls); raise --sitemap-max-urls to read more.\n",
  );
  const offHost = await runCli(["--dry-run", "--json", "--sitemap", `${served.origin}/index.xml`]);
  assert.equal(offHost.code, 2);
  assert.match(
    offHost.stderr,
    /on another host than the index .* allow its host with --sitemap-host\)\.\n$/,
  );
  assert.deepEqual(elsewhere.requested, []);
  const allowed = await runCli([
    ...["--dry-run", "--json", "--sitemap", `${served.origin}/index.xml`],
    ...["--sitemap-host", new URL(elsewhere.origin).host, "--sitemap-max-files", "2"],
  ]);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.deepEqual((JSON.parse(allowed.stdout) as Plan).batches.flatMap((b) => b.urls), [
    `${SITE}/b`,
  ]);
  const mistakes: [string[], RegExp][] = [
    [["--sitemap-max-files", "0"], /--sitemap-max-files must be an integer of at least 1 or "off"/],
    [["--sitemap-host", "https://cdn/"], /Invalid --sitemap-host: expected host names/],
  ];
  for (const [args, message] of mistakes) {
    const result = await runCli([
      "--sitemap",
      `${served.origin}/two.xml`,
      ...args,
      "--endpoint",
      sim.endpoint,
    ], { env: SIMULATOR_ENV });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, message);
  }
  const notSitemap = await runCli(["--sitemap-max-bytes", "9", `${SITE}/a`]);
  assert.match(notSitemap.stderr, /--sitemap-max-bytes applies to sitemap URLs: add --sitemap/);
  assert.equal(sim.sim.requests.length, 0, "nothing was sent");
});

Deno.test("cli: a sitemap URL holding an option's name is printed as it is, not rewritten to a flag", async () => {
  const documents: Record<string, { body: string }> = {};
  await using served = serveDocuments(documents);
  documents["/maxUrls/allowedHosts.xml"] = { body: urlset([]).replace(/\n\n/, "\n") };
  documents["/maxUrls.xml"] = { body: urlset([{ loc: `${SITE}/a` }, { loc: `${SITE}/b` }]) };
  const empty = await runCli([
    "--dry-run",
    "--sitemap",
    `${served.origin}/maxUrls/allowedHosts.xml`,
  ]);
  assert.equal(empty.code, 0, empty.stderr);
  assert.ok(
    empty.stdout.includes(
      `warning: ${served.origin}/maxUrls/allowedHosts.xml: the sitemap lists no URLs (an empty ` +
        "<urlset>)\n",
    ),
    empty.stdout,
  );
  const tooMany = await runCli([
    ...["--dry-run", "--sitemap", `${served.origin}/maxUrls.xml`, "--sitemap-max-urls", "1"],
  ]);
  assert.equal(tooMany.code, 2);
  assert.equal(
    tooMany.stderr,
    `error: ${served.origin}/maxUrls.xml: takes this read past 1 URL, its limit ` +
      "(--sitemap-max-urls); raise --sitemap-max-urls to read more.\n",
  );
});
