/**
 * `deno doc --lint` over the package's entry points (the arguments, by default every export in
 * deno.json),
 * minus one known false positive: Deno reports
 * `private-type-ref` for types the router's signatures take from Hono (`Hono`, `Context`,
 * `Env`), although they are Hono's public API (denoland/deno#27364). Re-exporting them would
 * make `deno doc` lint all of Hono instead. Every other diagnostic fails the check.
 *
 *   deno run --allow-run --allow-env --allow-read --config deno.json tools/doc_lint.ts
 *
 * The entry points are linted together so that types one exports count as public in the others.
 */
const HONO_TYPES = new Set(["Hono", "Context", "Env"]);
const config = JSON.parse(
  await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
);
const ENTRIES: string[] = Deno.args.length > 0
  ? Deno.args
  : Object.values(config.exports as Record<string, string>);

const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
  args: ["doc", "--lint", ...ENTRIES],
  env: { NO_COLOR: "1" },
  cwd: new URL("../", import.meta.url),
}).output();
const output = new TextDecoder().decode(stdout) +
  new TextDecoder().decode(stderr);
const diagnostics = output.split(/^(?=error\[)/m).filter((block) => block.startsWith("error["));
const remaining = diagnostics.filter((block) => {
  const match = /^error\[private-type-ref\]: public type '[^']+' references private type '([^']+)'/
    .exec(block);
  return !(match && HONO_TYPES.has(match[1]!));
});

if (remaining.length > 0 || (code !== 0 && diagnostics.length === 0)) {
  console.error(remaining.length > 0 ? remaining.join("") : output);
  console.error(
    `deno doc --lint ${ENTRIES.join(" ")}: ${remaining.length} problem(s)`,
  );
  Deno.exit(1);
}
console.log(
  `deno doc --lint ${
    ENTRIES.join(" ")
  }: ok (${diagnostics.length} private-type-ref to Hono's own types ignored)`,
);
