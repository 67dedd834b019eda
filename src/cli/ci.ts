/**
 * What a run tells CI: a JSON report file, GitHub Actions step outputs (`GITHUB_OUTPUT`) and a
 * Markdown job summary (`GITHUB_STEP_SUMMARY`). Written only when asked (`--report`) or when
 * the runner sets the variables.
 * @module
 */
import { appendFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redactJson } from "../rules/redact.ts";
import type { PrewarmReport, RejectReason } from "../rules/report.ts";
import type { DryRunPlan } from "./dry_run.ts";
import { InputError } from "./input.ts";
import type { SourcesOutcome } from "./sources.ts";
import { failureAdvice, groupFailures } from "./summary.ts";
import { cliWords } from "./words.ts";
import { formatCount, plural } from "./text.ts";
import { type VerifyResult, WARM_STATES } from "../verify/probe.ts";

/** Most tasks listed in the job summary; the report file lists them all. */
const LISTED_TASKS = 20;

/** What the CI files say about a run. */
export interface CiRun {
  /** The report, the plan of a dry run, or nothing but a verify (`verify URL...`). */
  result:
    | { kind: "report"; report: PrewarmReport }
    | { kind: "plan"; plan: DryRunPlan }
    | { kind: "verify" };
  /** What `verify` (or `--wait --verify`) found at the edge. */
  verify?: VerifyResult;
  /** The run went to the simulator. */
  simulated: boolean;
  /** What the sources left for later. */
  sources?: SourcesOutcome;
  /** Wall-clock time now, in ms. */
  now: number;
}

/** Where the CI files go, read from the environment and `--report`. */
export interface CiTargets {
  /** `--report FILE`. */
  report?: string;
  /** Reads an environment variable. */
  env(name: string): string | undefined;
  /** Masks secrets in text (the command line's one redactor, see `maskedIo` in `main.ts`):
   * the outputs and the summary through it, the report string by string (`redactJson`). */
  mask(text: string): string;
}

/** Escapes text for Markdown, so a message or URL cannot break the table it sits in. */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#]/g, "\\$&").replace(/\r?\n/g, " ");
}

/** Inline code for Markdown, however many backticks the text holds. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${longest > 0 ? " " : ""}${text}${longest > 0 ? " " : ""}${fence}`;
}

/** The numbers both outputs and summary give. */
function tallies(run: CiRun) {
  const deferred = run.sources?.deferred ?? 0;
  if (run.result.kind === "verify") {
    return { submitted: 0, failed: 0, rejected: 0, deferred, maybeSubmitted: 0 };
  }
  if (run.result.kind === "plan") {
    const { counts } = run.result.plan;
    return { submitted: 0, failed: 0, rejected: counts.rejected, deferred, maybeSubmitted: 0 };
  }
  const { counts } = run.result.report;
  return {
    submitted: counts.submitted,
    failed: counts.failed,
    rejected: counts.rejected,
    deferred,
    maybeSubmitted: counts.maybeSubmitted,
  };
}

/** The `GITHUB_OUTPUT` lines: `name=value`, one a line. */
export function githubOutputs(run: CiRun, reportPath: string): string {
  const t = tallies(run);
  const values: [string, string | number][] = [
    ["submitted", t.submitted],
    ["failed", t.failed],
    ["rejected", t.rejected],
    ["deferred", t.deferred],
    ["maybe-submitted", t.maybeSubmitted],
    ["report", reportPath],
    // What the edge said, when the run verified.
    ...(run.verify
      ? WARM_STATES.map((state) => [`warm-${state}`, run.verify!.counts[state]] as [string, number])
      : []),
    // Counts of a simulation say what the simulator took: marked, so no later step takes them
    // for what Tencent Cloud did. Absent (empty to GitHub) for a real run.
    ...(run.simulated ? [["simulated", "true"] as [string, string]] : []),
  ];
  return values.map(([name, value]) => {
    const text = String(value);
    if (!/[\r\n]/.test(text)) return `${name}=${text}\n`;
    // A value across lines needs GitHub's delimiter form, with a delimiter no line equals.
    let delimiter = `QCDN_PREWARM_EOF_${text.length}`;
    while (text.split(/\r?\n/).includes(delimiter)) delimiter += "_";
    return `${name}<<${delimiter}\n${text}\n${delimiter}\n`;
  }).join("");
}

/** The Markdown job summary. */
export function stepSummary(run: CiRun): string {
  const t = tallies(run);
  const out: string[] = [];
  const dry = run.result.kind === "plan";
  const title = run.result.kind === "verify"
    ? "CDN verify"
    : `CDN prewarm${dry ? " (dry run)" : ""}`;
  out.push(`### ${title}\n\n`);
  if (run.simulated) {
    out.push(
      "> **Simulated:** nothing was sent to Tencent Cloud; the task ids are the simulator's.\n\n",
    );
  }
  if (run.result.kind === "verify") return out.join("") + verifySection(run.verify);
  if (run.result.kind === "plan") {
    const { counts } = run.result.plan;
    out.push(
      `Nothing was sent. Would send ${plural(counts.wouldSend, "URL")} in ` +
        `${plural(counts.requests, "request")}; ${
          formatCount(counts.rejected)
        } would not be sent.\n`,
    );
    return out.join("");
  }
  const report = run.result.report;
  const words = cliWords(run.now, report.zoneId);
  out.push("| Submitted | Failed | Not sent | Deferred |\n| ---: | ---: | ---: | ---: |\n");
  out.push(
    `| ${formatCount(t.submitted)} | ${formatCount(t.failed)} | ${formatCount(t.rejected)} | ` +
      `${formatCount(t.deferred)} |\n`,
  );
  if (report.tasks.length > 0) {
    out.push(`\n**Tasks** (${formatCount(report.tasks.length)})\n\n`);
    out.push("| Task ID | Host | URLs |\n| --- | --- | ---: |\n");
    for (const task of report.tasks.slice(0, LISTED_TASKS)) {
      out.push(
        `| ${code(task.taskId)} | ${markdownText(task.host)} | ${
          formatCount(task.urls.length)
        } |\n`,
      );
    }
    if (report.tasks.length > LISTED_TASKS) {
      out.push(
        `\n… and ${plural(report.tasks.length - LISTED_TASKS, "more task")} in the report.\n`,
      );
    }
  }
  if (report.failed.length > 0) {
    out.push("\n**Failures**\n\n");
    for (const group of groupFailures(report.failed)) {
      out.push(
        `- ${code(group.code)} (${group.category}): ${plural(group.urls, "URL")} in ` +
          `${plural(group.batches, "batch", "batches")}. ${
            markdownText(failureAdvice(group, words))
          }\n`,
      );
    }
  }
  if (report.rejected.length > 0) {
    const byReason = new Map<RejectReason, number>();
    for (const r of report.rejected) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
    out.push("\n**Not sent**\n\n");
    for (const [reason, n] of byReason) out.push(`- ${reason}: ${plural(n, "URL")}\n`);
  }
  const sources = run.sources;
  if (sources?.remainingFile !== undefined) {
    const file = sources.remainingFile;
    out.push(
      sources.deferred > 0
        ? `\n**Deferred:** ${plural(sources.deferred, "URL")} written to ${code(file)}, in ` +
          `order. Continue after 00:00 Beijing time (UTC+8) with ${
            code(`--file ${file} --remaining ${file}`)
          }.\n`
        : `\n**Deferred:** nothing; ${code(file)} is empty.\n`,
    );
  }
  if (sources?.untouched !== undefined) out.push(`\n${markdownText(sources.untouched.trim())}\n`);
  if (t.maybeSubmitted > 0) {
    out.push(
      `\n**May have been submitted:** ${plural(t.maybeSubmitted, "URL")} got no clear answer. ` +
        `Check them with ${code(words.describePushTasks)} before sending them again` +
        (sources?.remainingFile !== undefined ? "; they are not in the remaining file.\n" : ".\n"),
    );
  }
  if (run.verify) out.push("\n" + verifySection(run.verify));
  return out.join("");
}

/** The verify section of the job summary: the counts, then every URL that is not a hit. */
function verifySection(result: VerifyResult | undefined): string {
  if (!result) return "";
  const out = [
    "**Is it warm?** What the edge node that answered the runner said (one node: other " +
    "regions may still be cold).\n\n",
    `| ${WARM_STATES.map((s) => s[0]!.toUpperCase() + s.slice(1)).join(" | ")} |\n`,
    `| ${WARM_STATES.map(() => "---:").join(" | ")} |\n`,
    `| ${WARM_STATES.map((s) => formatCount(result.counts[s])).join(" | ")} |\n`,
  ];
  const cold = result.urls.filter((u) => u.state !== "hit");
  if (cold.length > 0) out.push("\n");
  for (const u of cold.slice(0, LISTED_TASKS)) {
    const why = u.error ? `${u.error.code}: ${u.error.message}` : u.decidedBy ?? "no cache header";
    out.push(`- ${u.state}: ${code(u.url)} (${markdownText(why)})\n`);
  }
  if (cold.length > LISTED_TASKS) {
    out.push(`\n… and ${plural(cold.length - LISTED_TASKS, "more URL")} in the report.\n`);
  }
  return out.join("");
}

/**
 * Writes the report file (to `--report`, or under `RUNNER_TEMP` when `GITHUB_OUTPUT` asks for
 * its path), appends the outputs and the job summary, and returns the report file's path.
 * @throws {InputError} when a file cannot be written.
 */
export async function writeCiFiles(
  run: CiRun,
  json: unknown,
  targets: CiTargets,
): Promise<string | undefined> {
  const outputFile = targets.env("GITHUB_OUTPUT");
  const summaryFile = targets.env("GITHUB_STEP_SUMMARY");
  let reportPath = targets.report;
  if (reportPath === undefined && outputFile) {
    const dir = targets.env("RUNNER_TEMP") || tmpdir();
    reportPath = join(dir, `qcdn-prewarm-report-${run.now.toString(36)}.json`);
  }
  const write = async (path: string, text: string, append: boolean) => {
    try {
      await (append ? appendFile(path, text, "utf8") : writeFile(path, text, "utf8"));
    } catch (error) {
      throw new InputError(`Cannot write ${path}: ${(error as Error).message}`);
    }
  };
  const { mask } = targets;
  if (reportPath !== undefined) {
    await write(reportPath, JSON.stringify(redactJson(json, mask), null, 2) + "\n", false);
  }
  if (outputFile) await write(outputFile, mask(githubOutputs(run, reportPath ?? "")), true);
  if (summaryFile) await write(summaryFile, mask(stepSummary(run)), true);
  return reportPath;
}
