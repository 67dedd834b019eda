// The command line masks every upstream string it prints or writes, success answers too: an
// endpoint whose answers echo the SecretId and the token in TaskId, RequestId, the URLs and
// statuses of DescribePushTasks and an error message, through every output: stdout, stderr,
// --json, --report, the job summary and the step outputs.
import assert from "node:assert/strict";
import { runMain } from "./cli/in_process.ts";
import { REDACTED } from "../src/rules/redact.ts";

const SECRET_ID = "AKIDecho7Kq2Zr9Lw4Xy1Nm6Pb3Vt8Hs5Jd0";
const SECRET_KEY = "echoKeyQ4w7E2r9T1y6U3i8O5p0A";
// Shaped like a temporary token (long, with characters Markdown and URLs treat specially).
const TOKEN = `echoToken_Vb3+Nm8/Qw2=Zx7-Lk4_Po1.Rt6~Yu9_Gh5+Jk2/Df8=${"x".repeat(200)}_tokenTail9`;
const ENV: Record<string, string> = {
  TENCENTCLOUD_SECRET_ID: SECRET_ID,
  TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
  TENCENTCLOUD_SESSION_TOKEN: TOKEN,
};
const ECHO = `${SECRET_ID}.${TOKEN}.${encodeURIComponent(TOKEN)}`;

/**
 * What of a secret text holds: each whole, in any case, percent-encoded, or a piece of its
 * start or end (each begins and ends with a marker no other text has), as a shortened line
 * would show it.
 */
function leaks(text: string): string[] {
  const lower = text.toLowerCase();
  return [SECRET_ID, SECRET_KEY, TOKEN, encodeURIComponent(TOKEN), "AKIDecho", "echoKey"]
    .concat(["echoToken", "tokenTail"])
    .filter((secret) => lower.includes(secret.toLowerCase()));
}

function answer(response: Record<string, unknown>): Response {
  return new Response(JSON.stringify({ Response: response }), {
    headers: { "content-type": "application/json" },
  });
}

/**
 * An API 3.0 endpoint that takes every push and echoes the secrets into every string it can:
 * TaskId and RequestId; DescribePushTasks' Url and Status; an error's message and RequestId for
 * URLs under /refused/.
 */
function echoingFetch(_input: string, init: RequestInit): Promise<Response> {
  return Promise.resolve(echoingAnswer(init));
}

function echoingAnswer(init: RequestInit): Response {
  const action = new Headers(init.headers).get("X-TC-Action");
  const body = JSON.parse(String(init.body));
  switch (action) {
    case "PushUrlsCache":
      if ((body.Urls as string[]).some((url) => url.includes("/refused/"))) {
        return answer({
          Error: {
            Code: "InvalidParameter.ParamError",
            Message: `Urls rejected for key ${SECRET_ID} with token ${TOKEN}`,
          },
          RequestId: `req-${ECHO}`,
        });
      }
      return answer({ TaskId: `task-${ECHO}`, RequestId: `req-${ECHO}` });
    case "DescribePushTasks":
      if (body.TaskId === "t-refused") {
        // As Tencent words it: the message quotes the key id.
        return answer({
          Error: {
            Code: "AuthFailure.SecretIdNotFound",
            Message: `The SecretId ${SECRET_ID} is not found, token ${TOKEN}`,
          },
          RequestId: `req-${ECHO}`,
        });
      }
      return answer({
        TotalCount: 2,
        PushLogs: [
          {
            TaskId: body.TaskId ?? `task-${ECHO}`,
            Url: `https://www.example.com/a.js?echo=${encodeURIComponent(TOKEN)}`,
            Status: "fail",
            Percent: 0,
            CreateTime: "2026-11-28 10:00:00",
            UpdateTime: "2026-11-28 10:00:01",
            Area: "overseas",
          },
          {
            TaskId: body.TaskId ?? `task-${ECHO}`,
            Url: `https://www.example.com/b.js#${SECRET_ID}`,
            Status: `process ${SECRET_ID}`,
            Percent: 50,
            CreateTime: "2026-11-28 10:00:00",
            UpdateTime: "2026-11-28 10:00:01",
            Area: `overseas-${TOKEN}`,
          },
        ],
        RequestId: `req-${ECHO}`,
      });
    case "DescribePushQuota":
      return answer({
        UrlPush: [{ Area: `overseas ${SECRET_ID}`, Batch: 500, Total: 1000, Available: 990 }],
        RequestId: `req-${ECHO}`,
      });
    default:
      return answer({ Error: { Code: "InvalidAction", Message: `no ${action}` } });
  }
}

/** main() in-process against the echoing endpoint on a fake clock, every output kept. */
function run(args: string[], env: Record<string, string> = {}) {
  let clock = Date.UTC(2026, 10, 28, 4);
  return runMain([...args, "--retries", "0"], {
    env: (name) => ({ ...ENV, ...env })[name],
    fetch: echoingFetch,
    now: () => clock,
    sleep: (ms) => Promise.resolve(void (clock += ms)),
  });
}

Deno.test("cli: upstream strings are masked in stdout, stderr, --json, --report, the job summary and the step outputs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = {
      report: `${dir}/report.json`,
      output: `${dir}/github_output`,
      summary: `${dir}/summary.md`,
    };
    const ci = { GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary };
    const urls = ["https://www.example.com/a.js", "https://www.example.com/refused/b.js"];
    const push = ["--batch-size", "1", "--concurrency", "1", "--rate", "off", "--wait"];
    const outputs: Record<string, string> = {};

    const human = await run([...urls, ...push, "--report", files.report], ci);
    assert.equal(human.code, 1, human.stderr);
    // The answers did reach every output, masked.
    assert.match(
      human.stdout,
      /^ {2}task-\[redacted\]\.\[redacted\]\.\[redacted\] +www\.example\.com/m,
    );
    assert.match(human.stdout, /Urls rejected for key \[redacted\] with token \[redacted\]/);
    assert.match(
      human.stdout,
      /^ {4}https:\/\/www\.example\.com\/a\.js\?echo=\[redacted\] {2}task /m,
    );
    Object.assign(outputs, {
      "stdout": human.stdout,
      "stderr": human.stderr,
      "--report": await Deno.readTextFile(files.report),
      "job summary": await Deno.readTextFile(files.summary),
      "GITHUB_OUTPUT": await Deno.readTextFile(files.output),
    });
    const report = JSON.parse(outputs["--report"]!);
    assert.equal(report.tasks[0].taskId, `task-${REDACTED}.${REDACTED}.${REDACTED}`);
    assert.equal(report.tasks[0].requestId, `req-${REDACTED}.${REDACTED}.${REDACTED}`);
    assert.deepEqual(report.tasks[0].urls, [urls[0]], "the caller's URLs as given");
    assert.match(outputs["job summary"]!, /task-\[redacted\]/);

    const json = await run([...urls, ...push, "--json"]);
    assert.equal(json.code, 1, json.stderr);
    assert.equal(JSON.parse(json.stdout).wait.urls.length, 3);
    outputs["--json stdout"] = json.stdout;
    outputs["--json stderr"] = json.stderr;

    const refused = await run(["status", "t-refused"]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^error: .*The SecretId \[redacted\] is not found/m);
    const commands = [
      ["status", "t-1"],
      ["status", "t-1", "--json"],
      ["status", "t-refused"],
      ["status", "t-refused", "--json"],
      ["quota"],
      ["quota", "--json"],
    ];
    for (const args of commands) {
      const answered = await run(args);
      assert.notEqual(answered.code, 2, `${args.join(" ")}: ${answered.stderr}`);
      assert.ok(answered.stdout.length > 0 || answered.stderr.startsWith("error: "));
      outputs[`${args.join(" ")} stdout`] = answered.stdout;
      outputs[`${args.join(" ")} stderr`] = answered.stderr;
    }
    const waited = await run(["status", "t-1", "t-2", "--wait", "--wait-timeout", "1m"]);
    outputs["status --wait stdout"] = waited.stdout;
    assert.match(waited.stdout, /echo=\[redacted\]/);

    for (const [where, text] of Object.entries(outputs)) {
      assert.deepEqual(leaks(text), [], `${where} holds a secret:\n${text.slice(0, 3000)}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
