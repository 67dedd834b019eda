// The structure holds (issue 19): every entry point's module graph, as `deno info --json` reads
// it, has no import cycle and no upward import between the layers; no production entry loads
// the simulator statically; and no line outside the API modules branches on an API's name.
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
const ENTRIES = Object.entries(config.exports as Record<string, string>);

/** The layer of a module: lower ones never import higher ones. */
function layer(path: string): number {
  if (path.startsWith("src/rules/")) return 0;
  if (path.startsWith("src/transport/") || path.startsWith("src/coordinator/")) return 1;
  if (path === "src/api.ts") return 2;
  if (path.startsWith("src/apis/")) return 3;
  if (path.startsWith("src/engine/")) return 4;
  // Capabilities built on the engine: purge then prewarm, and verifying the cache.
  if (path.startsWith("src/flows/") || path.startsWith("src/verify/")) return 5;
  if (/^src\/(hono|cli|sources|testing)\//.test(path)) return 6;
  return 7; // the entry files at src/ and mod.ts
}

interface Edge {
  to: string;
  dynamic: boolean;
}

/** Every local module an entry reaches, with its imports (local ones only, by path). */
async function graph(entry: string): Promise<Map<string, Edge[]>> {
  const { stdout, success } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
    stderr: "null",
  }).output();
  assert.ok(success, `deno info --json ${entry}`);
  const info = JSON.parse(new TextDecoder().decode(stdout)) as {
    modules: {
      specifier: string;
      dependencies?: {
        code?: { specifier: string };
        type?: { specifier: string };
        isDynamic?: boolean;
      }[];
    }[];
  };
  const local = (specifier: string) =>
    specifier.startsWith(ROOT.href) ? specifier.slice(ROOT.href.length) : undefined;
  const result = new Map<string, Edge[]>();
  for (const module of info.modules) {
    const from = local(module.specifier);
    if (from === undefined) continue;
    const edges: Edge[] = [];
    for (const dependency of module.dependencies ?? []) {
      for (const target of [dependency.code?.specifier, dependency.type?.specifier]) {
        const to = target && local(target);
        if (to) edges.push({ to, dynamic: dependency.isDynamic === true });
      }
    }
    result.set(from, edges);
  }
  return result;
}

const graphs = await Promise.all(ENTRIES.map(async ([name, path]) => ({
  name,
  path: path.replace(/^\.\//, ""),
  modules: await graph(path),
})));

Deno.test("module graph: no entry point has an import cycle", () => {
  for (const { name, modules } of graphs) {
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (module: string) => {
      state.set(module, "open");
      stack.push(module);
      for (const { to } of modules.get(module) ?? []) {
        if (state.get(to) === "open") {
          assert.fail(`${name}: ${[...stack.slice(stack.indexOf(to)), to].join(" -> ")}`);
        }
        if (!state.has(to)) visit(to);
      }
      stack.pop();
      state.set(module, "done");
    };
    for (const module of modules.keys()) if (!state.has(module)) visit(module);
  }
});

Deno.test("module graph: lower layers never import higher ones", () => {
  for (const { name, modules } of graphs) {
    for (const [from, edges] of modules) {
      for (const { to } of edges) {
        assert.ok(layer(to) <= layer(from), `${name}: ${from} (layer ${layer(from)}) -> ${to}`);
      }
    }
  }
});

Deno.test("module graph: no production entry loads the simulator statically", () => {
  for (const { name, path, modules } of graphs) {
    if (path.startsWith("src/testing/")) continue;
    const reached = new Set([path]);
    const queue = [path];
    for (let module = queue.pop(); module; module = queue.pop()) {
      for (const { to, dynamic } of modules.get(module) ?? []) {
        if (dynamic || reached.has(to)) continue;
        assert.ok(!to.startsWith("src/testing/"), `${name}: ${module} imports ${to}`);
        reached.add(to);
        queue.push(to);
      }
    }
  }
});

Deno.test("no line outside the API modules branches on an API's name", async () => {
  const branch =
    /[!=]==?\s*["'](v2|v3|teo|purge)["']|["'](v2|v3|teo|purge)["']\s*[!=]==?|case\s+["'](v2|v3|teo|purge)["']/;
  const found: string[] = [];
  const walk = async (dir: URL, path: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const child = `${path}${entry.name}`;
      if (entry.isDirectory) {
        // The API modules, and the one mapping (src/apis/spec.ts), are where names decide.
        if (child !== "src/apis" && child !== "src/testing") {
          await walk(new URL(`${entry.name}/`, dir), `${child}/`);
        }
      } else if (entry.name.endsWith(".ts")) {
        const lines = (await Deno.readTextFile(new URL(entry.name, dir))).split("\n");
        lines.forEach((line, i) => {
          if (branch.test(line)) found.push(`${child}:${i + 1}: ${line.trim()}`);
        });
      }
    }
  };
  await walk(new URL("src/", ROOT), "src/");
  assert.deepEqual(found, []);
});
