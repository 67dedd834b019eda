/**
 * The console page in a real browser: Chromium (the system's; nothing is downloaded), driven
 * over the DevTools protocol, in front of the router served on 127.0.0.1 before the simulator,
 * whose clock the test moves. Screenshots go to tools/out/ for a person to look at.
 */
import assert from "node:assert/strict";
import { Browser, findChromium, type Page } from "./browser/cdp.ts";
import type { SimulatorOptions } from "../src/testing/mod.ts";
import { setup, TOKEN } from "./router/setup.ts";

const OUT = new URL("../tools/out/", import.meta.url);
const TASK_MS = 60_000;
const XSS = 'https://www.example.com/"><img src=x onerror=alert(1)>';
// The same without spaces: a valid URL, so it is sent and comes back in the report and the
// task statuses, where it must be text as well.
const XSS_SENT = 'https://www.example.com/"><img/src=x/onerror=alert(2)>';
const INVALID_AT_ORIGIN = "https://static.example.com/gone.css";

const chromium = await findChromium();

/** The router with its console, served on 127.0.0.1 before a simulator on a clock the test moves. */
function serveRouter(sim: SimulatorOptions, simulated: boolean) {
  const { app, sim: simulator, edge, advance } = setup(
    { console: true, allowedHosts: ["*.example.com", "*.example.net"], simulated },
    {},
    sim,
    // The cache check (step 6) asks the simulator's edge: the site.css URL is uncacheable.
    { rules: [{ match: /site\.css/, cache: "uncacheable" }] },
  );
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  return {
    sim: simulator,
    edge,
    origin: `http://127.0.0.1:${server.addr.port}`,
    advance,
    shutdown: () => server.shutdown(),
  };
}

type Router = ReturnType<typeof serveRouter>;

/** Runs `test` against the console in a fresh Chromium tab, in Berlin, in British English. */
function browserTest(
  name: string,
  sim: SimulatorOptions & { simulated: boolean },
  test: (page: Page, router: Router) => Promise<void>,
) {
  Deno.test(
    { name, ignore: chromium === undefined && Deno.env.get("CI") === undefined },
    async () => {
      assert.ok(
        chromium,
        "Chromium is missing: apt-get install -y chromium (or set CHROMIUM to a binary)",
      );
      const { simulated, ...options } = sim;
      const router = serveRouter(options, simulated);
      const browser = await Browser.launch(chromium);
      try {
        const page = await browser.newPage();
        await page.send("Emulation.setTimezoneOverride", { timezoneId: "Europe/Berlin" });
        await page.send("Emulation.setLocaleOverride", { locale: "en-GB" });
        await page.viewport(900, 1200);
        await page.goto(`${router.origin}/`);
        await test(page, router);
        // No placeholder of a missing value made it to the screen.
        assert.doesNotMatch(
          await page.evaluate<string>("document.body.innerText"),
          /\b(?:false|undefined|null|NaN)\b|\[object /,
        );
        // And none of an engineer's words in the page's own text (the server's details, URLs
        // and task ids aside): it is for people who know neither HTTP nor this router.
        const words = await page.evaluate<string>(`(() => {
          for (const e of document.querySelectorAll(".detail, .url, code")) e.remove();
          return document.body.innerText + [...document.querySelectorAll("option")].map((o) => o.text);
        })()`);
        assert.doesNotMatch(words, /\b(?:bearer|token|router|default|sessionStorage|HTTP)\b/i);
        assert.doesNotMatch(words, /Tencent's count|\b401\b/);
        // Whatever happened, nothing ran that should not have, and nothing left the origin.
        assert.deepEqual(page.log.dialogs, []);
        assert.deepEqual(page.log.errors, []);
        const foreign = page.log.requests.filter((url) =>
          !url.startsWith(`${router.origin}/`) && !url.startsWith("data:")
        );
        assert.deepEqual(foreign, []);
      } finally {
        await browser.close();
        await router.shutdown();
      }
    },
  );
}

/** Pastes the token and waits for the budget it unlocks. */
async function signIn(page: Page): Promise<void> {
  await page.focus("token");
  await page.insertText(TOKEN);
  await page.press("Enter");
  await page.waitFor(visible("quota-section"), "today's budget");
}

const text = (page: Page, id: string) =>
  page.evaluate<string>(`document.getElementById(${JSON.stringify(id)}).textContent`);
/**
 * Scrolls to the end of the page, as after a long report; the headline must still be on the
 * screen, saying how the send went.
 */
async function assertHeadlineInView(page: Page): Promise<void> {
  const [scrolled, top, bottom, height] = await page.evaluate<number[]>(`(() => {
    scrollTo(0, document.documentElement.scrollHeight);
    const box = document.getElementById("status").getBoundingClientRect();
    const seen = [scrollY, box.top, box.bottom, innerHeight];
    scrollTo(0, 0); // Back to the top, for the screenshots.
    return seen;
  })()`);
  assert.ok(scrolled! > 0, "the page is long enough to scroll");
  assert.ok(top! >= 0 && bottom! <= height!, `the headline is on the screen (${top}–${bottom})`);
}
const visible = (id: string) => `!document.getElementById(${JSON.stringify(id)}).hidden`;
/** An expression: the `.url` texts inside the element with this id. */
const urlTexts = (id: string) =>
  `[...document.querySelectorAll(${JSON.stringify(`#${id} .url`)})].map((e) => e.textContent)`;

browserTest(
  "console in Chromium: token, dry run, send, progress to done; data stays text",
  {
    taskDurationMs: TASK_MS,
    taskOutcomes: [{ match: INVALID_AT_ORIGIN, status: "invalid" }],
    simulated: true,
  },
  async (page, router) => {
    assert.equal(await page.evaluate("document.title"), "CDN prewarm console");

    // A wrong token, by keyboard: a clear message, and the token is not kept.
    await page.focus("token");
    await page.insertText("wrong-token-0123456789abcdef");
    await page.press("Enter");
    await page.waitFor(`${visible("alert")} && ${visible("token-form")}`, "the 401 message");
    assert.equal(
      await text(page, "alert"),
      "That access code was not accepted. Check it and paste it again in step 1.",
    );
    assert.equal(await page.evaluate(`sessionStorage.length`), 0);

    // The right token: kept in this tab's sessionStorage only; the budget shows.
    await signIn(page);
    assert.equal(await page.evaluate(`sessionStorage.getItem("prewarm-token")`), TOKEN);
    assert.deepEqual(
      await page.evaluate(
        `[localStorage.length, document.cookie, location.href.includes(${JSON.stringify(TOKEN)})]`,
      ),
      [0, "", false],
    );
    assert.equal(await page.evaluate(`document.getElementById("token").value`), "");
    const quota = await text(page, "quota");
    assert.match(quota, /Used today0 of 1000, 1000 left/);
    assert.match(
      quota,
      /Tencent Cloud saysmainland: 1000 of 1000 left; overseas: 1000 of 1000 left/,
    );
    // The area the server picks when the page does not, in plain words, named once known.
    assert.equal(
      await page.evaluate(`document.getElementById("area").options[0].textContent`),
      "Server setting (overseas)",
    );
    // 00:00 Beijing on the 29th is 17:00 in Berlin on the 28th.
    assert.match(quota, /00:00 Beijing time \(UTC\+8\) on 2026-11-29, which is .*28 Nov.*17:00/);
    assert.equal(await text(page, "alert"), "");
    // The router says it fronts a simulator: the page says so, first thing under the title.
    assert.equal(await page.evaluate(visible("simulated")), true);
    assert.equal(
      await text(page, "simulated"),
      "Practice mode: this server is connected to a simulator, not to Tencent Cloud. Nothing " +
        "you send here reaches the CDN or uses the real daily quota.",
    );
    assert.equal(
      await page.evaluate(`document.querySelector("h1").nextElementSibling.id`),
      "simulated",
    );

    // URLs pasted, and one more from a dropped text file.
    await page.focus("urls");
    await page.insertText(
      [
        "# campaign",
        "https://www.example.com/",
        "https://www.example.com/app.js",
        "https://www.example.com/app.js",
        XSS,
        XSS_SENT,
        "https://elsewhere.example.org/x.js",
        INVALID_AT_ORIGIN,
      ].join("\n"),
    );
    await page.evaluate(`(() => {
      const data = new DataTransfer();
      data.items.add(new File(["https://static.example.com/site.css\\n"], "more.txt", { type: "text/plain" }));
      document.getElementById("urls").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    })()`);
    await page.waitFor(
      `/Loaded more\\.txt: 1 line/.test(document.getElementById("status").textContent)`,
      "the file",
    );
    assert.match(await page.evaluate(`document.getElementById("urls").value`), /site\.css\n$/);

    // The dry run, by keyboard: what would be sent and rejected, and nothing is sent.
    await page.focus("preview");
    await page.press("Enter");
    await page.waitFor(visible("plan-section"), "the preview");
    // The budget read DescribePushQuota; the preview asked Tencent nothing.
    assert.deepEqual(router.sim.requests.map((r) => r.action), ["DescribePushQuota"]);
    const plan = await text(page, "plan");
    assert.match(plan, /Would send 5 URLs in 2 requests to area overseas/);
    assert.match(plan, /Spends 5 from the overseas area \(1000 of 1000 left today\)/);
    assert.match(plan, /Would not send: 3 URLs/);
    assert.deepEqual(await page.evaluate(urlTexts("plan")), [
      "https://elsewhere.example.org/x.js",
      "https://www.example.com/app.js",
      XSS,
    ]);
    assert.match(plan, /host-not-allowed.*duplicate.*invalid-url/);
    assert.equal(await text(page, "send"), "Send 5 URLs");

    // Send, with the mouse: the report, then the tasks' progress.
    await page.click("send");
    await page.waitFor(visible("report-section"), "the report");
    assert.match(
      await text(page, "report"),
      /Submitted 5 of 8 URLs in 2 tasks; 3 rejected; 0 failed/,
    );
    assert.deepEqual(
      router.sim.accepted.flatMap((t) => t.urls).sort(),
      [
        "https://static.example.com/gone.css",
        "https://static.example.com/site.css",
        "https://www.example.com/",
        XSS_SENT,
        "https://www.example.com/app.js",
      ].sort(),
    );
    assert.equal(await page.evaluate(visible("plan-section")), false, "a plan is sent once");
    await page.waitFor(
      `/Progress: 5 pending/.test(document.getElementById("status").textContent)`,
      "the first poll",
    );
    assert.deepEqual(
      (await page.evaluate<string[]>(urlTexts("progress"))).sort(),
      router.sim.accepted.flatMap((t) => t.urls).sort(),
    );

    // The simulated tasks finish; the page's next poll shows it without being asked.
    router.advance(TASK_MS);
    await page.waitFor(
      `/^Finished/.test(document.getElementById("status").textContent)`,
      "the tasks to finish",
    );
    // The headline counts every outcome, the URLs that never reached a task included.
    assert.equal(
      await text(page, "status"),
      "Finished, but not everything worked: 4 done, 1 invalid, 1 duplicate skipped, 2 rejected. " +
        "Details below.",
    );
    assert.equal(await page.evaluate(`document.getElementById("status").className`), "bad");
    assert.equal(await text(page, "progress-summary"), "5 of 5 URLs final: 4 done, 1 invalid.");
    const rows = await page.evaluate<string[][]>(
      `[...document.querySelectorAll("#progress li")].map((li) => [li.querySelector(".tag").textContent, li.querySelector(".url").textContent])`,
    );
    assert.deepEqual(
      rows.find(([, url]) => url === INVALID_AT_ORIGIN),
      ["invalid", INVALID_AT_ORIGIN],
    );
    assert.equal(rows.filter(([status]) => status === "done").length, 4);
    assert.match(await text(page, "advice"), /invalid: The origin answered 4xx\/5xx/);
    // Step 6: the server asked the edge about the four URLs that ended done, in words and tags.
    await page.waitFor(
      `/^From the server/.test(document.getElementById("warm-summary").textContent)`,
      "the cache check",
    );
    assert.equal(
      await text(page, "warm-summary"),
      "From the server: 3 hit, 1 miss. A hit means the cache the server reached holds the file; " +
        "other regions may still be cold.",
    );
    const warm = await page.evaluate<string[][]>(
      `[...document.querySelectorAll("#warm li")].map((li) => [li.querySelector(".tag").textContent, li.querySelector(".url").textContent, li.querySelector(".detail").textContent])`,
    );
    assert.deepEqual(
      warm.map(([state, url]) => [state, url]).sort(),
      [
        ["hit", "https://www.example.com/"],
        ["hit", "https://www.example.com/app.js"],
        ["hit", XSS_SENT],
        ["miss", "https://static.example.com/site.css"],
      ].sort(),
    );
    assert.ok(warm.every(([, , detail]) => /^X-Cache-Lookup: Cache (Hit|Miss)$/.test(detail!)));
    // What the page asked the edge about: the done URLs only, one byte each, no redirect followed.
    assert.deepEqual(
      router.edge.requests.map((r) => r.url).sort(),
      warm.map(([, url]) => new URL(url!).href).sort(),
    );
    assert.equal(router.edge.bodyBytesRead, 0);
    // Spent: the budget now says so.
    await page.waitFor(
      `/5 of 1000, 995 left/.test(document.getElementById("quota").textContent)`,
      "the budget",
    );

    // Nothing the URLs carried became markup or ran; the page talked to its own origin only.
    assert.equal(await page.evaluate(`document.querySelectorAll("img").length`), 0);
    assert.ok(page.log.requests.some((url) => url.startsWith(`${router.origin}/tasks?ids=`)));

    await Deno.mkdir(OUT, { recursive: true });
    await Deno.writeFile(new URL("console.png", OUT), await page.screenshot());
    // On a phone: nothing wider than the screen.
    await page.viewport(390, 844, true);
    assert.equal(
      await page.evaluate(`document.documentElement.scrollWidth <= window.innerWidth`),
      true,
      "the page fits a 390 px wide phone",
    );
    await assertHeadlineInView(page);
    await Deno.writeFile(new URL("console-phone.png", OUT), await page.screenshot());
  },
);

browserTest(
  "console in Chromium: failed batches, and one that may have been submitted, marked in words",
  { simulated: false },
  async (page, router) => {
    // The two-URL batch (img.example.com) is processed, but its answer breaks off, and the
    // lookup of its task fails too (its read and the 3 retries of a read, before any poll):
    // it may have been submitted.
    let lookups = 0;
    router.sim.faultPolicy = ({ action, urlCount }) =>
      action === "PushUrlsCache" && urlCount === 2
        ? { type: "reset" }
        : action === "DescribePushTasks" && lookups++ < 4
        ? { type: "error", code: "InternalError" }
        : undefined;
    await signIn(page);
    await page.focus("urls");
    await page.insertText(
      [
        "https://www.example.com/ok.js",
        "https://img.example.com/a.png",
        "https://img.example.com/b.png",
        "https://missing.example.net/c.js",
      ].join("\n"),
    );
    // Not said to front a simulator: the page claims nothing.
    assert.equal(await page.evaluate(visible("simulated")), false);
    await page.click("preview");
    await page.waitFor(visible("plan-section"), "the preview");
    // Changing the URLs drops the preview: what is sent is always what was previewed.
    await page.insertText("\n");
    await page.waitFor(`document.getElementById("plan-section").hidden`, "the stale preview to go");
    assert.match(await text(page, "status"), /changed: preview again/);
    await page.click("preview");
    await page.waitFor(visible("plan-section"), "the new preview");
    await page.click("send");
    await page.waitFor(visible("report-section"), "the report");
    const report = await text(page, "report");
    assert.match(
      report,
      /Submitted 1 of 4 URLs in 1 task; 0 rejected; 3 failed \(2 MAY HAVE BEEN SUBMITTED\)/,
    );
    const failed = await page.evaluate<string[][]>(
      `[...document.querySelectorAll("#report li")].filter((li) => li.querySelector(".tag").textContent !== "task").map((li) => [li.querySelector(".tag").textContent, li.textContent])`,
    );
    assert.equal(failed.length, 2);
    const [maybe, notSent] = failed[0]![1]!.includes("img.example.com")
      ? failed
      : [failed[1]!, failed[0]!];
    assert.equal(maybe![0], "may have been submitted");
    assert.match(
      maybe![1]!,
      /Check the task progress or Tencent's records before sending these again/,
    );
    assert.match(maybe![1]!, /https:\/\/img\.example\.com\/a\.png/);
    assert.equal(notSent![0], "failed, not submitted");
    assert.match(notSent![1]!, /missing\.example\.net.*ResourceNotFound\.CdnHostNotExists/);
    // The tags say it in words; colour only repeats it.
    assert.notEqual(
      await page.evaluate(
        `getComputedStyle(document.querySelector("#report .tag.warn")).textTransform`,
      ),
      "none",
    );
    assert.equal(
      router.sim.accepted.flatMap((t) => t.urls).length,
      3,
      "the reset batch was processed",
    );
    // The one task is done at once; the headline counts the failed batches too, in words.
    await page.waitFor(
      `/^Finished/.test(document.getElementById("status").textContent)`,
      "the task to finish",
    );
    assert.equal(
      await text(page, "status"),
      "Finished, but not everything worked: 1 done, 1 not sent (error), " +
        "2 MAY HAVE BEEN SUBMITTED. Details below.",
    );
    await page.viewport(900, 600);
    await assertHeadlineInView(page);
    await Deno.mkdir(OUT, { recursive: true });
    await Deno.writeFile(new URL("console-failed.png", OUT), await page.screenshot());
  },
);
