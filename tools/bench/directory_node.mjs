// The Node side of the directory benchmark:
//   node tools/bench/directory_node.mjs SOURCES_BUNDLE DIR FILES
// SOURCES_BUNDLE is src/sources/mod.ts bundled for Node; tinyglobby comes from tools/node_modules
// as its package ships it. Prints one JSON line.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { glob } from "tinyglobby";
import { measureDirectoryWalk } from "./directory_walk.mjs";

const [bundle, dir, files] = process.argv.slice(2);
const { directoryUrls } = await import(
  pathToFileURL(path.resolve(bundle)).href
);
const result = await measureDirectoryWalk(
  directoryUrls,
  glob,
  dir,
  Number(files),
  {
    warmup: 2,
    passes: 9,
  },
);
console.log(JSON.stringify({ runtime: `Node ${process.version}`, ...result }));
