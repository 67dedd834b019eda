// One exit-status rule for the command line, the same the router's status codes follow: a
// duplicate is harmless (its first copy was sent), and no URLs at all is a usage mistake.
import assert from "node:assert/strict";
import { urlsOn } from "./_helpers.ts";
import { type JsonReport, runCli, serveSimulator, SIMULATOR_ENV } from "./cli/run.ts";

Deno.test("cli: a list whose only problem is a duplicate exits 0, as the router answers 200", async () => {
  await using served = serveSimulator();
  const [a, b] = urlsOn("www.example.com", 2);
  const input = [a!, b!, a!];
  const result = await runCli([...input, "--endpoint", served.endpoint, "--json"], {
    env: SIMULATOR_ENV,
  });
  assert.equal(result.code, 0, result.stderr);
  const report: JsonReport = JSON.parse(result.stdout);
  assert.deepEqual(report.rejected.map((r) => [r.url, r.reason]), [[a, "duplicate"]]);
  assert.equal(report.counts.submitted, 2);

  // The same list planned: exit 0 too.
  const plan = await runCli(["--dry-run", ...input]);
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /^ {2}duplicate: 1 URL\. Each appears earlier/m);

  // A duplicate beside any other rejection is still exit 1.
  const mixed = await runCli([...input, "not a url", "--endpoint", served.endpoint], {
    env: SIMULATOR_ENV,
  });
  assert.equal(mixed.code, 1, mixed.stderr);
  const mixedPlan = await runCli(["--dry-run", ...input, "not a url"]);
  assert.equal(mixedPlan.code, 1, mixedPlan.stderr);
});

Deno.test("cli: no URLs at all is a usage mistake (exit 2), however the input was empty", async () => {
  await using served = serveSimulator();
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/comments.txt`, "# nothing to send today\n\n   \n");
    await Deno.writeTextFile(`${dir}/empty.txt`, "");
    const cases: { args: string[]; stdin?: string; env?: Record<string, string> }[] = [
      { args: ["--file", "-"], stdin: "" },
      { args: ["--file", "-"], stdin: "\n# only a comment\n" },
      { args: ["--file", `${dir}/empty.txt`] },
      { args: ["--file", `${dir}/comments.txt`, "--file", `${dir}/empty.txt`] },
      { args: ["--file", "-", "--endpoint", served.endpoint], stdin: "", env: SIMULATOR_ENV },
      { args: ["--file", "-", "--dry-run"], stdin: "" },
      { args: ["--file", "-", "--simulate", "--json"], stdin: "" },
    ];
    for (const { args, stdin, env } of cases) {
      const result = await runCli(args, { stdin, env });
      const what = `${args.join(" ")}: ${result.stderr}`;
      assert.equal(result.code, 2, what);
      assert.match(
        result.stderr,
        /^error: No URLs in the input: it held only blank lines and # comments, or nothing at all; pass them as arguments/m,
        what,
      );
      assert.doesNotMatch(result.stderr, /sending/, what);
      if (args.includes("--json")) {
        assert.equal(JSON.parse(result.stdout).error.code, "Usage", what);
      } else assert.equal(result.stdout, "", what);
    }
    assert.equal(served.sim.requests.length, 0, "nothing is sent for an empty input");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
