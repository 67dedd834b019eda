/**
 * Reading a local file as a stream, for runtimes with a file system. Imported lazily, only when
 * a source names a path, so that sitemaps by URL work where there is no `node:fs` (Workers).
 * @module
 */
import { nodeBuiltin } from "./builtin.ts";

type FsPromises = typeof import("node:fs/promises");

const CHUNK_BYTES = 64 * 1024;

/** The file's bytes, 64 KiB at a time; the file is opened now, so a missing one fails here. */
export async function fileStream(path: string | URL): Promise<ReadableStream<Uint8Array>> {
  const { open } = nodeBuiltin<FsPromises>("node:fs/promises");
  const handle = await open(path, "r");
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        // A fresh buffer each time: the reader may still hold the previous chunk.
        const buffer = new Uint8Array(CHUNK_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
        if (bytesRead > 0) {
          controller.enqueue(buffer.subarray(0, bytesRead));
          return;
        }
        await handle.close();
        controller.close();
      } catch (error) {
        await handle.close().catch(() => {});
        controller.error(error);
      }
    },
    async cancel() {
      await handle.close().catch(() => {});
    },
  });
}
