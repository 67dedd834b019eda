// The content manifest twice over a folder, for the runtimes test to run under Node and Bun:
// prints what changed the first time (every file), the files the manifest file holds, and what
// changed the second time (nothing).
import { compareManifest, readManifest, writeManifest } from "../../src/sources/mod.ts";

const [dir, manifest] = [process.argv[2]!, process.argv[3]!];
const first = await compareManifest(dir, await readManifest(manifest));
await writeManifest(manifest, first.current);
const written = await readManifest(manifest);
const second = await compareManifest(dir, written);
console.log(JSON.stringify({
  first: first.changed,
  written: Object.keys(written.files).sort(),
  second: second.changed,
}));
