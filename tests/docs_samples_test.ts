/**
 * Every TypeScript sample in README.md and docs/*.md type-checks against this repository's
 * sources: each ```ts block becomes a file whose `@qcdn/prewarm` imports (with or without
 * `jsr:`) point at the local entry points, and one `deno check` reads them all.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

/** The package's entry points, as deno.json exports them. */
const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
/** Every entry point of the package (deno.json `exports`), by the name users import it as. */
const ENTRY_POINTS: Record<string, string> = Object.fromEntries(
  Object.entries(config.exports as Record<string, string>).map((
    [name, path],
  ) => [name === "." ? "@qcdn/prewarm" : `@qcdn/prewarm${name.slice(1)}`, path.slice(2)]),
);

/** Bun's globals that samples use, declared as Bun types them, for `deno check`. */
const BUN_GLOBALS = `declare const Bun: {
  file(path: string): { text(): Promise<string> };
  serve(options: {
    hostname?: string;
    port?: number;
    fetch: (request: Request) => Response | Promise<Response>;
  }): unknown;
};
`;

interface Sample {
  /** Where it comes from, for messages: `docs/api.md:12`. */
  origin: string;
  code: string;
}

/** The ```ts (or ```typescript) blocks of a Markdown text, with the line each starts on. */
function tsBlocks(markdown: string, file: string): Sample[] {
  const samples: Sample[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end]!.startsWith("```")) end++;
    assert.ok(end < lines.length, `${file}:${start}: a code block that never ends`);
    samples.push({ origin: `${file}:${start + 1}`, code: lines.slice(start, end).join("\n") });
    i = end;
  }
  return samples;
}

/** The sample with `@qcdn/prewarm` imports pointed at the local sources. */
function localised(code: string): string {
  return code.replace(
    /(["'])(?:jsr:)?(@qcdn\/prewarm(?:\/[a-z-]+)?)\1/g,
    (whole, quote: string, specifier: string) => {
      const path = ENTRY_POINTS[specifier];
      if (!path) throw new Error(`${whole} is not an entry point of the package`);
      return `${quote}${new URL(path, ROOT).href}${quote}`;
    },
  );
}

async function documents(): Promise<string[]> {
  const files = ["README.md"];
  for await (const entry of Deno.readDir(new URL("docs/", ROOT))) {
    if (entry.isFile && entry.name.endsWith(".md")) files.push(`docs/${entry.name}`);
  }
  return files.sort();
}

Deno.test("docs: every TypeScript sample in README.md and docs/ type-checks", async () => {
  const samples: Sample[] = [];
  for (const file of await documents()) {
    samples.push(...tsBlocks(await Deno.readTextFile(new URL(file, ROOT)), file));
  }
  assert.ok(samples.length >= 8, `found only ${samples.length} samples`);
  assert.ok(samples.some((s) => s.origin.startsWith("README.md")), "the README has samples");

  const dir = await Deno.makeTempDir({ prefix: "docs-samples-" });
  try {
    const files = new Map<string, string>();
    for (const [i, sample] of samples.entries()) {
      const name = `${dir}/sample_${i}.ts`;
      // A sample is a module of its own, so the names of one never clash with another's.
      const prelude = /\bBun\./.test(sample.code) ? BUN_GLOBALS : "";
      await Deno.writeTextFile(name, `${prelude}${localised(sample.code)}\nexport {};\n`);
      files.set(`sample_${i}.ts`, sample.origin);
    }
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--config", new URL("deno.json", ROOT).pathname, ...files.keys()],
      cwd: dir,
      env: { NO_COLOR: "1" },
    }).output();
    let output = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    // Name each failing sample by the document and line it comes from.
    for (const [name, origin] of files) output = output.replaceAll(name, `${name} (${origin})`);
    assert.equal(code, 0, output);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("docs: the sample finder reads ts blocks only, and the rewrite maps entry points", () => {
  const markdown = "text\n```ts\nconst a = 1;\n```\n```sh\nls\n```\n```typescript\nlet b;\n```\n";
  assert.deepEqual(tsBlocks(markdown, "x.md"), [
    { origin: "x.md:3", code: "const a = 1;" },
    { origin: "x.md:9", code: "let b;" },
  ]);
  const rewritten = localised(
    `import { a } from "jsr:@qcdn/prewarm/hono";\nimport "@qcdn/prewarm";`,
  );
  assert.ok(rewritten.includes(new URL("src/hono/mod.ts", ROOT).href), rewritten);
  assert.ok(rewritten.includes(new URL("mod.ts", ROOT).href), rewritten);
  assert.throws(() => localised(`import "@qcdn/prewarm/nope";`), /not an entry point/);
});
