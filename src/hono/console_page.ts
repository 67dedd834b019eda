/**
 * The console page's source: markup, style and script, written by hand (no build step, no
 * framework, no request to any other origin). The script inserts every value from an answer
 * or a URL as text (`append(string)`, `textContent`), never as HTML; `console.ts` serves the
 * page with a Content-Security-Policy that admits exactly this style and this script by hash.
 * @module
 */
import { statusAdvice } from "../rules/advice.ts";
import { URL_STATUSES, type UrlStatus } from "../engine/wait.ts";
import { CONSOLE_WORDS, ROUTER_WORDS } from "./words.ts";

/** What to do about the statuses whose advice the console words otherwise than the router's
 * answers (those that name a route): the script shows it instead. */
const CONSOLE_ADVICE = Object.fromEntries(
  URL_STATUSES.map((status) => [status, statusAdvice(status, CONSOLE_WORDS)])
    .filter(([status, advice]) => advice !== statusAdvice(status as UrlStatus, ROUTER_WORDS)),
);

/** Text as the value of a double-quoted HTML attribute. */
function attribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/** The page's style sheet. */
export const CONSOLE_STYLE: string = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--mute:#57606a;--line:#c9ced6;--ok:#116329;--bad:#a40e26;--warn:#7a4d00;--accent:#0b57d0;--on:#fff}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--bg:#15171a;--mute:#a3abb5;--line:#3d434b;--ok:#6fdd8b;--bad:#ff9492;--warn:#f0c060;--accent:#8ab4f8;--on:#15171a}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:52rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.25rem 0 .75rem}
h2{font-size:1.15rem;margin:0 0 .5rem}
h3{font-size:1rem;margin:1rem 0 .25rem}
section{border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input,select,textarea,button{font:inherit;color:inherit}
input,select,textarea{width:100%;padding:.5rem;border:1px solid var(--line);border-radius:.375rem;background:var(--bg)}
textarea,.url,code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem}
textarea{min-height:9rem}
textarea.drop{outline:3px dashed var(--accent)}
button{margin:.75rem .5rem 0 0;padding:.5rem 1rem;border:2px solid var(--accent);border-radius:.375rem;background:var(--accent);color:var(--on);font-weight:600;cursor:pointer}
button.quiet{background:transparent;color:var(--accent)}
button:disabled{opacity:.5;cursor:not-allowed}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
p{margin:.5rem 0}
.hint{color:var(--mute);font-size:.9rem}
.url{overflow-wrap:anywhere}
ul{padding:0;margin:.25rem 0;list-style:none}
li{padding:.375rem 0;border-top:1px solid var(--line)}
.tag{display:inline-block;font-size:.8rem;font-weight:700;border:1px solid;border-radius:.25rem;padding:0 .3rem;margin-right:.4rem;text-transform:uppercase}
.ok{color:var(--ok)}.bad{color:var(--bad)}.warn{color:var(--warn)}
.detail{display:block;color:var(--mute);font-size:.9rem}
#alert,#simulated{border:2px solid var(--bad);color:var(--bad);border-radius:.375rem;padding:.5rem .75rem;font-weight:600}
#simulated{border-color:var(--warn);color:var(--warn)}
#status{font-weight:600;min-height:1.5em;position:sticky;top:0;z-index:1;background:var(--bg);padding:.25rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600}dd{margin:0}
progress{width:100%;height:1rem}
[hidden]{display:none!important}
@media (max-width:32rem){main{padding:.5rem}section{padding:.75rem}dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}
`;

/** The page's script. It finds the API next to the page and keeps the token in this tab. */
export const CONSOLE_SCRIPT: string = String.raw`
"use strict";
(() => {
  const KEY = "prewarm-token";
  const $ = (id) => document.getElementById(id);
  // Advice in the page's words.
  const ADVICE = JSON.parse(document.documentElement.dataset.advice);
  // The API routes are siblings of the page, wherever the router is mounted.
  const own = (document.documentElement.dataset.page || "/").replace(/\/$/, "");
  let path = location.pathname.replace(/\/$/, "");
  if (own && path.endsWith(own)) path = path.slice(0, path.length - own.length);
  const base = path + "/";

  // Every value is appended as a string, which the DOM makes a text node: never markup.
  const h = (tag, cls, ...kids) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    for (const k of kids) if (k !== null && k !== undefined && k !== false) e.append(k instanceof Node ? k : String(k));
    return e;
  };
  const fill = (id, ...kids) => $(id).replaceChildren(...kids.filter(Boolean));
  const say = (text, bad) => { $("status").textContent = text; $("status").className = bad ? "bad" : ""; };
  const alarm = (text) => { $("alert").textContent = text || ""; $("alert").hidden = !text; };
  const n = (count, word) => count + " " + word + (count === 1 ? "" : "s");
  const tag = (text, cls) => h("span", "tag " + cls, text);
  const url = (u) => h("span", "url", u === "" ? "(no URL listed)" : u);

  class Problem extends Error {}
  const token = () => sessionStorage.getItem(KEY);
  const showToken = () => {
    $("token-form").hidden = !!token();
    $("token-set").hidden = !token();
  };

  async function call(method, route, body, spends) {
    const t = token();
    if (!t) throw new Problem("Paste your access code first (step 1).");
    const headers = { authorization: "Bearer " + t };
    if (body !== undefined) headers["content-type"] = "text/plain; charset=utf-8";
    let res;
    try {
      res = await fetch(base + route, { method, headers, body, cache: "no-store", credentials: "omit" });
    } catch (e) {
      throw new Problem(spends
        ? "The connection failed while sending: the URLs MAY HAVE BEEN SUBMITTED. Check the budget (step 1) before sending them again."
        : "Could not reach the server (" + e.message + "). Check the connection and try again.");
    }
    let data = null;
    try { data = await res.json(); } catch { /* not JSON */ }
    if (res.status === 401) {
      sessionStorage.removeItem(KEY);
      showToken();
      stopPolling();
      throw new Problem("That access code was not accepted. Check it and paste it again in step 1.");
    }
    return { status: res.status, data };
  }
  const message = (r) => (r.data && r.data.error && r.data.error.message) || "The server answered with error " + r.status + ".";

  async function run(button, what, work) {
    if (button) button.disabled = true;
    alarm("");
    try { await work(); } catch (e) {
      alarm(e instanceof Problem ? e.message : what + " failed: " + e.message);
      say(what + " failed.");
    } finally { if (button) button.disabled = false; }
  }
  const areaQuery = (area) => area ? "?area=" + encodeURIComponent(area) : "";

  // Step 1: the token, and today's budget (which also proves the token).
  async function loadQuota() {
    const r = await call("GET", "quota" + areaQuery($("area").value));
    if (r.status !== 200) throw new Problem(message(r));
    const q = r.data;
    $("simulated").hidden = !q.simulated;
    const reset = new Date(q.resetsAt);
    const beijingDay = new Date(reset.getTime() + 8 * 3600e3).toISOString().slice(0, 10);
    const local = reset.toLocaleString(undefined, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
    const rows = [
      ["Area", q.area],
      ["Used today", q.limit === null ? q.used + " (no daily limit set on this server)" : q.used + " of " + q.limit + ", " + q.remaining + " left"],
      ["Resets", "00:00 Beijing time (UTC+8) on " + beijingDay + ", which is " + local + " for you"],
    ];
    const up = q.upstream;
    if (up && up.quotas) {
      rows.push(["Tencent Cloud says", up.quotas.map((x) => x.area + ": " + x.available + " of " + x.total + " left").join("; ")]);
    } else if (up && up.error) rows.push(["Tencent Cloud says", "nothing this time: " + up.error.message]);
    // The area the server uses when none is picked, named once it is known.
    $("area").options[0].textContent = "Server setting" + ($("area").value ? "" : " (" + q.area + ")");
    fill("quota", ...rows.flatMap(([k, v]) => [h("dt", "", k), h("dd", "", v)]));
    $("quota-section").hidden = false;
  }
  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const value = $("token").value.trim();
    $("token").value = "";
    if (!value) return alarm("Paste an access code first.");
    sessionStorage.setItem(KEY, value);
    showToken();
    run(null, "Checking the access code", async () => {
      say("Checking the access code…");
      await loadQuota();
      say("Access code accepted; it is kept in this tab only.");
    }).then(() => { if (!token()) $("token").focus(); });
  });
  $("forget").addEventListener("click", () => {
    sessionStorage.removeItem(KEY);
    stopPolling();
    showToken();
    $("quota-section").hidden = true;
    say("Access code forgotten.");
    $("token").focus();
  });
  $("quota-refresh").addEventListener("click", (e) => run(e.target, "Reading the budget", async () => {
    await loadQuota();
    say("Budget updated.");
  }));

  // Step 2: the URLs, pasted or from a text file.
  let planned = null;
  const stale = () => {
    if (!planned) return;
    planned = null;
    $("plan-section").hidden = true;
    say("The URLs or the area changed: preview again before sending.");
  };
  $("urls").addEventListener("input", stale);
  $("area").addEventListener("change", () => {
    stale();
    if (token()) run(null, "Reading the budget", loadQuota);
  });
  async function load(file) {
    if (!file) return;
    const text = await file.text();
    const box = $("urls");
    box.value += (box.value && !box.value.endsWith("\n") ? "\n" : "") + text;
    stale();
    say("Loaded " + file.name + ": " + n(text.split("\n").filter((l) => l.trim()).length, "line") + ".");
  }
  $("file").addEventListener("change", (e) => run(null, "Loading the file", () => load(e.target.files[0])));
  // A file dropped anywhere else must not replace the page (and lose the report).
  for (const type of ["dragover", "drop"]) document.addEventListener(type, (e) => e.preventDefault());
  $("urls").addEventListener("dragover", (e) => e.target.classList.add("drop"));
  $("urls").addEventListener("dragleave", (e) => e.target.classList.remove("drop"));
  $("urls").addEventListener("drop", (e) => {
    e.target.classList.remove("drop");
    run(null, "Loading the file", () => load(e.dataTransfer.files[0]));
  });

  const rejectedList = (list) => h("ul", "", ...list.map((r) =>
    h("li", "", tag(r.reason, "bad"), url(r.url), h("span", "detail", r.detail))));

  // Step 3: the dry run. Nothing is sent; Send sends exactly what was previewed.
  $("urls-form").addEventListener("submit", (e) => {
    e.preventDefault();
    run($("preview"), "The preview", async () => {
      const text = $("urls").value;
      if (!text.trim()) throw new Problem("Paste some URLs first (step 2).");
      const area = $("area").value;
      say("Previewing…");
      const r = await call("POST", "prewarm/plan" + areaQuery(area), text);
      if (r.status !== 200) throw new Problem(message(r));
      const p = r.data;
      const b = p.budget;
      planned = p.counts.wouldSend > 0 ? { text, area } : null;
      const left = b.remaining === null ? "no local limit" : b.remaining + " of " + b.limit + " left today";
      fill("plan",
        h("p", "", "Would send " + n(p.counts.wouldSend, "URL") + " in " + n(p.counts.requests, "request") +
          " to area " + p.area + (p.hosts.length ? " (" + p.hosts.map((x) => x.host + ": " + x.urls).join(", ") + ")" : "") + "."),
        h("p", "", "Spends " + b.wouldSpend + " from " + p.quota + " (" + left + ")."),
        p.rejected.length && h("h3", "", "Would not send: " + n(p.rejected.length, "URL")),
        p.rejected.length && rejectedList(p.rejected));
      $("send").hidden = !planned;
      $("send").textContent = "Send " + n(p.counts.wouldSend, "URL");
      $("plan-section").hidden = false;
      $("plan-heading").focus();
      say("Preview ready: " + n(p.counts.wouldSend, "URL") + " would be sent, " + p.rejected.length + " would not.");
    });
  });

  // Step 4: send, and show the report.
  $("send").addEventListener("click", () => run(null, "Sending", async () => {
    if (!planned) throw new Problem("Preview the URLs first (step 2).");
    const { text, area } = planned;
    // A plan is sent once: sending again takes a new preview, so nothing is sent twice by a slip.
    planned = null;
    $("plan-section").hidden = true;
    say("Sending…");
    const r = await call("POST", "prewarm" + areaQuery(area), text, true);
    const report = r.status === 200 || r.status === 207 ? r.data : r.data && r.data.report;
    if (!report) throw new Problem(message(r));
    const c = report.counts;
    fill("report",
      r.status >= 300 && h("p", "bad", message(r)),
      h("p", "", "Submitted " + c.submitted + " of " + n(c.input, "URL") + " in " + n(c.tasks, "task") + "; " +
        c.rejected + " rejected; " + c.failed + " failed" + (c.maybeSubmitted ? " (" + c.maybeSubmitted + " MAY HAVE BEEN SUBMITTED)" : "") + "."),
      report.tasks.length && h("h3", "", "Tasks"),
      report.tasks.length && h("ul", "", ...report.tasks.map((t) =>
        h("li", "", tag("task", "ok"), h("code", "", t.taskId), " " + t.host + ": " + n(t.urls.length, "URL")))),
      report.failed.length && h("h3", "", "Failed"),
      report.failed.length && h("ul", "", ...report.failed.map((f) => h("li", "",
        f.maybeSubmitted ? tag("may have been submitted", "warn") : tag("failed, not submitted", "bad"),
        f.host + " (" + n(f.urls.length, "URL") + "): " + f.error.code,
        h("span", "detail", f.error.message),
        f.maybeSubmitted && h("span", "detail warn", "Check the task progress or Tencent's records before sending these again."),
        ...f.urls.map((u) => h("span", "detail url", u))))),
      report.rejected.length && h("h3", "", "Rejected"),
      report.rejected.length && rejectedList(report.rejected));
    $("report-section").hidden = false;
    $("report-heading").focus();
    const dup = report.rejected.filter((x) => x.reason === "duplicate").length;
    sent = { dup, rejected: c.rejected - dup, lost: c.failed - c.maybeSubmitted, maybe: c.maybeSubmitted };
    if (c.submitted) say("Sent: " + outcomes({ submitted: c.submitted }) + ".", bad({}));
    else finished({});
    loadQuota().catch(() => {});
    startPolling(report.tasks.map((t) => t.taskId));
  }));

  // Step 5: the tasks' progress, one GET /tasks?ids= round at a time, until every URL is final.
  const LOOKS = { done: ["done", "ok"], failed: ["failed", "bad"], invalid: ["invalid", "bad"], pending: ["pending", "warn"], unknown: ["unknown", "warn"] };
  // The headline counts every outcome of the last send: its tasks' URLs by status, and the URLs
  // that never reached a task (rejected, or in a batch that failed), so a problem shows at the top.
  let sent = {};
  const outcomes = (counts) => [
    ...Object.keys(counts).filter((k) => counts[k]).map((k) => counts[k] + " " + k),
    sent.dup && n(sent.dup, "duplicate") + " skipped",
    sent.rejected && sent.rejected + " rejected",
    sent.lost && sent.lost + " not sent (error)",
    sent.maybe && sent.maybe + " MAY HAVE BEEN SUBMITTED",
  ].filter(Boolean).join(", ");
  const bad = (counts) => !!(counts.failed || counts.invalid || counts.unknown || sent.rejected || sent.lost || sent.maybe);
  const finished = (counts) => say(bad(counts)
    ? "Finished, but not everything worked: " + outcomes(counts) + ". Details below."
    : "Finished: " + outcomes(counts) + ".", bad(counts));
  let poll = null;
  function stopPolling() {
    if (poll) clearTimeout(poll.timer);
    poll = null;
  }
  function startPolling(ids) {
    stopPolling();
    if (!ids.length) return;
    poll = { ids, round: 0, timer: 0, busy: false, last: "" };
    $("progress-section").hidden = false;
    fill("progress");
    pollNow();
  }
  async function pollNow() {
    const p = poll;
    if (!p || p.busy) return;
    clearTimeout(p.timer);
    p.busy = true;
    $("poll-now").disabled = true;
    try {
      const urls = [];
      const advice = {};
      let error = null;
      for (let i = 0; i < p.ids.length; i += 100) {
        const r = await call("GET", "tasks?ids=" + p.ids.slice(i, i + 100).map(encodeURIComponent).join(","));
        if (r.status !== 200) throw new Problem("Could not read the progress: " + message(r));
        urls.push(...r.data.urls);
        Object.assign(advice, r.data.advice);
        error = error || r.data.error;
      }
      if (poll !== p) return;
      const counts = {};
      for (const s of Object.keys(LOOKS)) counts[s] = urls.filter((u) => u.status === s).length;
      const open = counts.pending;
      const final = urls.length - open;
      const summary = Object.keys(LOOKS).filter((s) => counts[s]).map((s) => counts[s] + " " + s).join(", ");
      $("progress-bar").max = urls.length;
      $("progress-bar").value = final;
      fill("progress-summary", final + " of " + n(urls.length, "URL") + " final: " + summary + ".");
      fill("progress",
        ...urls.map((u) => h("li", "", tag(LOOKS[u.status][0] + (u.status === "pending" ? " " + u.percent + "%" : ""), LOOKS[u.status][1]),
          url(u.url), h("span", "detail", "task " + u.taskId + (u.updatedAt ? ", updated " + u.updatedAt + " (Beijing)" : "")))));
      fill("advice", ...Object.keys(advice).filter((s) => s !== "done").map((s) => h("p", "hint", s + ": " + (ADVICE[s] || advice[s]))));
      if (error) alarm("Some tasks could not be read this time (" + error.code + "): " + error.message);
      if (!open) {
        finished(counts);
        await verify(urls.filter((u) => u.status === "done" && u.url).map((u) => u.url));
        return;
      }
      if (summary !== p.last) say("Progress: " + outcomes(counts) + ".", bad(counts));
      p.last = summary;
      p.timer = setTimeout(pollNow, Math.min(30e3, 2e3 * 1.5 ** p.round++));
    } catch (e) {
      alarm(e instanceof Problem ? e.message : "Reading the progress failed: " + e.message);
      if (poll === p && token()) p.timer = setTimeout(pollNow, 30e3);
    } finally {
      p.busy = false;
      $("poll-now").disabled = false;
    }
  }
  $("poll-now").addEventListener("click", pollNow);

  // Step 6: once every URL is final, the server asks the cache about those that are done.
  const WARM = { hit: "ok", miss: "warn", bypass: "warn", unknown: "warn", error: "bad" };
  async function verify(urls) {
    if (!urls.length) return;
    $("warm-section").hidden = false;
    fill("warm-summary", "Checking the cache…");
    fill("warm");
    let r;
    try { r = await call("POST", "verify", urls.slice(0, 100).join("\n")); } catch (e) { r = { status: 0, data: { error: e } }; }
    if (r.status !== 200) {
      return fill("warm-summary", "The cache was not checked" + (r.status === 403 ? " (this server is not set up for it)." : "."), h("span", "detail", message(r)));
    }
    const v = r.data;
    fill("warm-summary", "From the server: " + Object.keys(WARM).filter((s) => v.counts[s]).map((s) => v.counts[s] + " " + s).join(", ") +
      ". A hit means the cache the server reached holds the file; other regions may still be cold.");
    fill("warm", ...v.urls.map((u) => h("li", "", tag(u.state, WARM[u.state]), url(u.url),
      h("span", "detail", u.error ? u.error.message : u.decidedBy || "no cache header"))));
  }

  showToken();
  if (token()) run(null, "Reading the budget", loadQuota);
})();
`;

/**
 * The page's markup around the style and the script. `page` is the path it is served at
 * (already checked to be plain path segments), so the script finds the API next to it.
 */
export function consoleHtml(page: string): string {
  return `<!doctype html>
<html lang="en" data-page="${page}" data-advice="${attribute(JSON.stringify(CONSOLE_ADVICE))}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>CDN prewarm console</title>
<link rel="icon" href="data:,">
<style>${CONSOLE_STYLE}</style>
</head>
<body>
<main>
<h1>CDN prewarm console</h1>
<p id="simulated" hidden>Practice mode: this server is connected to a simulator, not to Tencent Cloud. Nothing you send here reaches the CDN or uses the real daily quota.</p>
<p id="status" role="status" aria-live="polite"></p>
<p id="alert" role="alert" hidden></p>
<noscript><p>This page needs JavaScript.</p></noscript>

<section aria-labelledby="token-heading">
<h2 id="token-heading">1. Access code</h2>
<form id="token-form">
<label for="token">Access code</label>
<input id="token" type="password" autocomplete="off" spellcheck="false" aria-describedby="token-hint">
<p id="token-hint" class="hint">Ask the person who runs this server for one. It is kept in this browser tab only, until you close it, and sent only to this server.</p>
<button id="token-use">Use this code</button>
</form>
<p id="token-set" hidden>Your access code is set for this tab. <button type="button" class="quiet" id="forget">Forget it</button></p>
<div id="quota-section" hidden>
<h3>Today's budget</h3>
<dl id="quota"></dl>
<button type="button" class="quiet" id="quota-refresh">Refresh budget</button>
</div>
</section>

<section aria-labelledby="urls-heading">
<h2 id="urls-heading">2. URLs</h2>
<form id="urls-form">
<label for="urls">URLs, one per line</label>
<textarea id="urls" spellcheck="false" autocomplete="off" aria-describedby="urls-hint"></textarea>
<p id="urls-hint" class="hint">Blank lines and lines starting with # are skipped. Drop a text file on the box, or choose one below.</p>
<label for="file">Text file of URLs</label>
<input id="file" type="file" accept=".txt,text/plain">
<label for="area">Area</label>
<select id="area">
<option value="">Server setting</option>
<option value="overseas">Overseas</option>
<option value="mainland">Mainland China</option>
<option value="global">Global (spends both quotas)</option>
</select>
<button id="preview">Preview (sends nothing)</button>
</form>
</section>

<section id="plan-section" aria-labelledby="plan-heading" hidden>
<h2 id="plan-heading" tabindex="-1">3. Preview</h2>
<div id="plan"></div>
<button type="button" id="send">Send</button>
</section>

<section id="report-section" aria-labelledby="report-heading" hidden>
<h2 id="report-heading" tabindex="-1">4. Report</h2>
<div id="report"></div>
</section>

<section id="progress-section" aria-labelledby="progress-heading" hidden>
<h2 id="progress-heading">5. Progress</h2>
<label for="progress-bar">URLs final</label>
<progress id="progress-bar" value="0" max="1"></progress>
<p id="progress-summary"></p>
<button type="button" class="quiet" id="poll-now">Check now</button>
<ul id="progress"></ul>
<div id="advice"></div>
</section>

<section id="warm-section" aria-labelledby="warm-heading" hidden>
<h2 id="warm-heading">6. Is it warm?</h2>
<p id="warm-summary"></p>
<ul id="warm"></ul>
</section>
</main>
<script>${CONSOLE_SCRIPT}</script>
</body>
</html>
`;
}
