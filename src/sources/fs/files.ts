/**
 * Hashing files, and reading and replacing whole files, for runtimes with a file system.
 * @module
 */
import { nodeBuiltin } from "./builtin.ts";

type FsPromises = typeof import("node:fs/promises");
const fs = () => nodeBuiltin<FsPromises>("node:fs/promises");

const CHUNK_BYTES = 256 * 1024;

/** The SHA-256 of a file's contents, in lower-case hex, read a chunk at a time. */
export async function sha256File(path: string): Promise<string> {
  const { createHash } = nodeBuiltin<typeof import("node:crypto")>("node:crypto");
  const hash = createHash("sha256");
  const handle = await fs().open(path, "r");
  try {
    const buffer = new Uint8Array(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

/** `dir` joined with a `/`-separated relative path. */
export function within(dir: string, path: string): string {
  return nodeBuiltin<typeof import("node:path")>("node:path").join(dir, ...path.split("/"));
}

/** A file's text, or `undefined` when it does not exist. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await fs().readFile(path, "utf8");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Replaces a file's contents all at once: written beside it, then renamed over it, so that a
 * crash or a full disk leaves the old contents, never half of the new. Missing folders are made.
 */
export async function replaceFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${Date.now().toString(36)}${
    Math.random().toString(36).slice(2, 8)
  }.tmp`;
  try {
    const { dirname } = nodeBuiltin<typeof import("node:path")>("node:path");
    await fs().mkdir(dirname(path), { recursive: true });
    await fs().writeFile(temporary, text, "utf8");
    await fs().rename(temporary, path);
  } catch (error) {
    await fs().rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
}
