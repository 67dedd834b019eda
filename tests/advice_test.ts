// The one advice table (src/rules/advice.ts) in each reader's words: the library's error
// messages name options and functions, the command line names flags and the commands to type,
// the router and its console name the operator's options and the routes. Every category, every
// code with advice of its own, every status and every reason, each in every vocabulary.

import { KNOWN_ERROR_ROWS } from "../src/apis/spec.ts";
import assert from "node:assert/strict";
import {
  adviceFor,
  CATEGORY_ADVICE,
  CODE_ADVICE,
  errorAdvice,
  errorText,
  LIBRARY_WORDS,
  REJECT_ADVICE,
  rejectAdvice,
  STATUS_ADVICE,
  statusAdvice,
  type Words,
} from "../src/rules/advice.ts";
import { type ErrorCategory, OUTCOME_POLICY } from "../src/rules/outcome.ts";
import { localError, scrubSecrets, upstreamError } from "../src/rules/errors.ts";
import type { RejectReason } from "../src/rules/report.ts";
import { URL_STATUSES } from "../src/engine/wait.ts";
import { cliWords, COMMAND } from "../src/cli/words.ts";
import { CONSOLE_WORDS, ROUTER_WORDS } from "../src/hono/words.ts";
import { setup } from "./router/setup.ts";

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);
const CLI = cliWords(NOW);

/** Names only the library uses: its options and functions. */
const LIBRARY_NAMES =
  /\b(batchSize|maxRequestsPerSecond|retryAmbiguous|dailyLimit|purgeDailyLimit|zoneId|purgeThenPrewarm|waitForTasks|describePushTasks|describePushQuota)\b|edgeOne\(|api "teo"/;
/** Words only the command line uses: flags, and the commands to type. */
const CLI_NAMES = new RegExp(`(^|[\\s(])--[a-z]|\\b${COMMAND} (status|quota)\\b|\\bthe CLI\\b`);

const CATEGORIES = Object.keys(OUTCOME_POLICY).filter((c) => c !== "success") as ErrorCategory[];
// The shared codes' advice, and every API's own (as the command line and the router read it).
const CODE_TEMPLATES: Record<string, string> = { ...CODE_ADVICE, ...KNOWN_ERROR_ROWS.advice };

/** Every template with the words it names. */
function wordsIn(template: string): (keyof Words)[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as keyof Words);
}

/** Each piece of advice: its template, and how it reads in some words. */
function everyAdvice(words: Readonly<Words>): { template: string; text: string; what: string }[] {
  const all: { template: string; text: string; what: string }[] = [];
  for (const category of CATEGORIES) {
    for (const spentNothing of [false, true]) {
      // Requests that spent nothing get the same text whatever the category may have spent.
      const own = !spentNothing || OUTCOME_POLICY[category].spent !== "maybe";
      all.push({
        template: own ? CATEGORY_ADVICE[category] : "",
        text: adviceFor(category, "", spentNothing, words),
        what: `category ${category}${spentNothing ? " (spent nothing)" : ""}`,
      });
    }
  }
  for (const [code, template] of Object.entries(CODE_TEMPLATES)) {
    all.push({
      template,
      text: adviceFor("unknown", code, false, words, KNOWN_ERROR_ROWS),
      what: `code ${code}`,
    });
  }
  for (const status of URL_STATUSES) {
    all.push({
      template: STATUS_ADVICE[status],
      text: statusAdvice(status, words),
      what: `status ${status}`,
    });
  }
  for (const reason of Object.keys(REJECT_ADVICE) as RejectReason[]) {
    all.push({
      template: REJECT_ADVICE[reason],
      text: rejectAdvice({ reason }, words),
      what: `reason ${reason}`,
    });
  }
  const local = "{dailyLimit} {describePushQuota}";
  all.push({
    template: local,
    text: rejectAdvice({ reason: "daily-limit", by: "local", option: "dailyLimit" }, words),
    what: "reason daily-limit, by the local dailyLimit",
  });
  return all;
}

Deno.test("advice: the command line's advice names flags and commands, never the library's names", () => {
  const advice = everyAdvice(CLI);
  assert.ok(advice.length > CATEGORIES.length + Object.keys(CODE_TEMPLATES).length);
  for (const { template, text, what } of advice) {
    assert.doesNotMatch(text, LIBRARY_NAMES, what);
    assert.doesNotMatch(text, /\{\w+\}/, `${what}: every word filled in`);
    for (const word of wordsIn(template)) {
      assert.ok(CLI[word] !== undefined && CLI[word] !== "", `${what}: the CLI names ${word}`);
      assert.ok(text.includes(CLI[word]), `${what}: says ${CLI[word]}`);
    }
  }
  // The ones people act on, spelled out.
  assert.match(adviceFor("batch-limit", ""), /lower batchSize\.$/);
  assert.match(adviceFor("batch-limit", "", false, CLI), /lower --batch-size\.$/);
  assert.match(adviceFor("domain", "", false, CLI), /use --api teo --zone ZONE\./);
  assert.match(
    adviceFor("timeout", "", false, CLI),
    /prewarm status --url URL --since 1h.*--retry-ambiguous/,
  );
  assert.match(statusAdvice("pending", CLI), /check again later \(prewarm status TASK_ID\)/);
  assert.match(
    adviceFor("account", "ResourceNotFound.ZoneNotFound", false, CLI, KNOWN_ERROR_ROWS),
    /^Check --zone:/,
  );
  assert.match(
    adviceFor("daily-limit", "", false, CLI),
    /00:00 Beijing time \(UTC\+8\), in 12 h 00 min/,
  );
});

Deno.test("advice: the library's advice names options and functions, never the command line's", () => {
  for (const { template, text, what } of everyAdvice(LIBRARY_WORDS)) {
    assert.doesNotMatch(text, CLI_NAMES, what);
    assert.doesNotMatch(text, /\{\w+\}/, `${what}: every word filled in`);
    for (const word of wordsIn(template)) {
      assert.ok(text.includes(LIBRARY_WORDS[word] ?? word), `${what}: says ${word}`);
    }
  }
  assert.match(adviceFor("domain", ""), /use api: edgeOne\(\{ zoneId \}\)\./);
  // prewarm() alone has not looked its lost batches up: the advice names the step that does.
  assert.match(
    adviceFor("server", ""),
    /\(recoverLostTasks\(report\), else describePushTasks\(\)\)/,
  );
});

Deno.test("advice: the router and its console name the operator's options and the routes", () => {
  for (const words of [ROUTER_WORDS, CONSOLE_WORDS]) {
    for (const { text, what } of everyAdvice(words)) {
      assert.doesNotMatch(text, CLI_NAMES, what);
      assert.doesNotMatch(text, /\{\w+\}/, what);
    }
  }
  assert.match(
    adviceFor("batch-limit", "", false, ROUTER_WORDS),
    /the router's prewarm\.batchSize/,
  );
  assert.match(statusAdvice("pending", ROUTER_WORDS), /GET \/tasks\?ids=TASK_ID/);
  assert.match(statusAdvice("pending", CONSOLE_WORDS), /check again later \(Check now\)/);
});

Deno.test("advice: with an EdgeOne zone the command line's lookups name it", () => {
  const words = cliWords(NOW, "zone-2x5a");
  assert.equal(words.waitForTasks, "prewarm status TASK_ID --api teo --zone zone-2x5a");
  assert.match(
    adviceFor("network", "", false, words),
    /status --url URL --since 1h --api teo --zone zone-2x5a/,
  );
});

Deno.test("advice: a local budget says which option raises it; Tencent's count does not", () => {
  const tencent = rejectAdvice({ reason: "daily-limit", by: "tencent" }, CLI);
  assert.doesNotMatch(tencent, /raise/);
  assert.match(
    rejectAdvice({ reason: "daily-limit", by: "local", option: "dailyLimit" }, CLI),
    /larger than --daily-limit \(see prewarm quota\), raise --daily-limit\.$/,
  );
  assert.match(
    rejectAdvice({ reason: "daily-limit", by: "local", option: "dailyLimit" }),
    /larger than dailyLimit \(see describePushQuota\), raise dailyLimit\.$/,
  );
  // No flag sets the purge's budget: the command line does not advise raising it.
  assert.equal(
    rejectAdvice({ reason: "daily-limit", by: "local", option: "purgeDailyLimit" }, CLI),
    tencent,
  );
});

Deno.test("advice: an error carries what went wrong apart from the advice; each reader adds its own", () => {
  const error = upstreamError(
    "LimitExceeded.CdnPushExceedBatchLimit",
    "Too many",
    "batch-limit",
    200,
    { requestId: "r-1" },
  );
  assert.equal(error.summary, "Too many (LimitExceeded.CdnPushExceedBatchLimit)");
  // The library's message says what went wrong; errorAdvice() what to do, in its words.
  assert.equal(error.message, error.summary);
  assert.equal(errorAdvice(error), "Too many URLs in one request: lower batchSize.");
  assert.equal(
    errorText(error, CLI),
    `${error.summary}. Too many URLs in one request: lower --batch-size.`,
  );
  assert.equal(error.toJSON().summary, error.summary);
  // A read spent nothing: no "may have been processed", in any words.
  const read = localError("NetworkError.Timeout", "timeout", "No answer", { read: true });
  assert.equal(errorText(read, CLI), "No answer. Nothing was spent: try again later.");
  // Secrets are masked in the summary as in the message.
  const leaky = upstreamError("InternalError", "key AKIDsecret", "server", 500);
  const masked = scrubSecrets(leaky, ["AKIDsecret"]);
  assert.doesNotMatch(JSON.stringify(masked), /AKIDsecret/);
  assert.match(masked.summary!, /\[redacted\]/);
  // An error made without a summary is shown as it is.
  assert.equal(errorText({ ...read.toJSON(), summary: undefined }, CLI), read.message);
});

Deno.test("advice: the router answers failures in its words; its console words the statuses its way", async () => {
  // One domain of the account, one not: the second batch fails with a domain error.
  const { app, postText } = setup({ console: true }, {}, { domains: ["www.example.com"] });
  const response = await postText([
    "https://www.example.com/a.js",
    "https://moved.example.com/b.js",
  ]);
  assert.equal(response.status, 207);
  const { failed } = await response.json();
  const error = failed[0].error;
  assert.equal(error.code, "ResourceNotFound.CdnHostNotExists");
  assert.equal(
    error.message,
    `${error.summary}. ${adviceFor("domain", error.code, true, ROUTER_WORDS)}`,
  );
  assert.match(error.message, /use the router's prewarm\.api: edgeOne\(\{ zoneId \}\)\.$/);

  const page = await (await app.request("/")).text();
  const advice = /data-advice="([^"]*)"/.exec(page)![1]!.replaceAll("&quot;", '"').replaceAll(
    "&amp;",
    "&",
  );
  assert.deepEqual(JSON.parse(advice), { pending: statusAdvice("pending", CONSOLE_WORDS) });
});
