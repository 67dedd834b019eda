/**
 * How the simulator and its edge answer `fetch` in-process, as a real `fetch` would: the
 * request is built (so a bad one is refused as `fetch` refuses it), nothing is sent when its
 * signal has already aborted, and an abort while it is handled rejects at once with the signal's
 * reason while the handler runs on, as a server does: what it does still happens.
 * @module
 */

/** A handler of one request; `arrivedAt` is when `fetch` was called (`Date.now()`). */
export type InProcessHandler = (request: Request, arrivedAt: number) => Promise<Response>;

/** A drop-in for `globalThis.fetch` that hands each request to `handle`. */
export function inProcessFetch(
  handle: InProcessHandler,
): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    // Arrival is stamped before the Request is built: building the first one is slow.
    const arrivedAt = Date.now();
    let request: Request;
    try {
      request = new Request(input, init);
    } catch (error) {
      return Promise.reject(error);
    }
    const { signal } = request;
    // A real fetch with an aborted signal never sends anything.
    if (signal.aborted) return Promise.reject(signal.reason);
    const handling = handle(request, arrivedAt);
    return new Promise<Response>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      handling.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  };
}
