/**
 * `deno task bench`: measures what a user of this module pays, side by side in one run, and
 * writes the tables to docs/benchmarks.md (and stdout). Timings are from this machine and this
 * run; compare the ratios, not the absolute numbers.
 */
import { measureSizes } from "./bench/sizes.ts";
import { measureClientCost } from "./bench/client_cost.ts";

const kb = (n: number) => (n / 1024).toFixed(1);
const sections: string[] = [];

const sizes = await measureSizes();
const ours = sizes[0]!;
sections.push(
  "## Bundle size\n\nesbuild `--bundle --minify`, then gzip -9; each entry holds what one " +
    "`PushUrlsCache` call needs.\n\n| bundle | minified KB | gzip KB | gzip vs ours |\n|---|---:|---:|---:|\n" +
    sizes.map((r) =>
      `| ${r.name} | ${kb(r.minified)} | ${kb(r.gzip)} | ${(r.gzip / ours.gzip).toFixed(1)}× |`
    ).join("\n"),
);

const cost = await measureClientCost();
const full = cost.find(([name]) => name.startsWith("API 3.0: prewarm(), per 20"))![1];
sections.push(
  "## Client cost per batch\n\nIn-process fetch that answers at once, so this is the " +
    "client's own work (signing, encoding, parsing, bookkeeping). µs on this machine in this " +
    "run; the last column compares with a full API 3.0 20-URL batch.\n\n" +
    "| operation | µs | vs API 3.0 batch |\n|---|---:|---:|\n" +
    cost.map(([name, us]) => `| ${name} | ${us.toFixed(1)} | ${(us / full).toFixed(2)} |`)
      .join("\n"),
);

const doc = `# Benchmarks\n\nProduced by \`deno task bench\` on ${
  new Date().toISOString().slice(0, 10)
} (Deno ${Deno.version.deno}, ${Deno.build.os}/${Deno.build.arch}).\n\n${sections.join("\n\n")}\n`;
await Deno.mkdir(new URL("../docs/", import.meta.url), { recursive: true });
await Deno.writeTextFile(
  new URL("../docs/benchmarks.md", import.meta.url),
  doc,
);
console.log(doc);
