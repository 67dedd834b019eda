/**
 * Node built-ins for the file-system readers, taken from the runtime with
 * `process.getBuiltinModule()` (Deno, Node 20.16+, Bun) instead of an import statement: a
 * bundle of `@qcdn/prewarm/sources` for Workers then holds no `node:` import at all, and needs
 * no `nodejs_compat`, as long as only sitemap URLs are read.
 * @module
 */

type GetBuiltin = (name: string) => unknown;

/**
 * The built-in module `name` (e.g. `node:fs/promises`).
 * @throws {Error} on a runtime without a file system.
 */
export function nodeBuiltin<T>(name: string): T {
  const get = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process
    ?.getBuiltinModule;
  if (typeof get !== "function") {
    throw new Error(
      `${name} is not available here: files, folders and git need Deno, Node 20.16+ or Bun`,
    );
  }
  return get(name) as T;
}
