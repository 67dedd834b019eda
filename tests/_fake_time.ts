// A fake clock for tests whose code waits on real timers the library does not let a caller
// replace (the request gate's pauses, backoffs, request timeouts): setTimeout, clearTimeout,
// performance.now and Date.now are the clock's while it is installed, and `run()` moves it to
// the next timer whenever everything else has settled. A wait of seconds then takes none, and
// the order of events (a 10 ms timeout against a 15 ms answer) is exact instead of racy.
//
// Only for in-process work (the simulator's fetch, app.request()). The one real asynchronous
// work there, WebCrypto (the simulator checks signatures with it), is waited for: the clock never
// moves while a digest is being computed. A real socket or process would be waited on as if
// idle. Each test module runs in its own isolate, so installing it touches no other test file
// run in parallel.

import { setImmediate } from "node:timers";

interface Timer {
  at: number;
  seq: number;
  run: () => void;
}

const real = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  performanceNow: performance.now.bind(performance),
  dateNow: Date.now,
};

/** A turn of the real event loop: every promise reaction queued before it has run. (Not a
 * real setTimeout(0), which is clamped to milliseconds when nested.) */
function realTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The fake clock. Install it with `using time = new FakeTime()`; it is removed at scope end. */
export class FakeTime implements Disposable {
  #now = 0;
  #epoch: number;
  #seq = 0;
  #ids = 1;
  readonly #timers = new Map<number, Timer>();
  readonly #pending = new Set<Promise<unknown>>();
  readonly #subtle: string[] = [];

  /** Installs the clock; `Date.now()` starts at `epoch` (ms). */
  constructor(epoch: number = real.dateNow()) {
    this.#epoch = epoch;
    const timers = this.#timers;
    globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms = 0, ...args: unknown[]) => {
      const id = this.#ids++;
      const delay = Math.max(0, Number(ms) || 0);
      timers.set(id, {
        at: this.#now + delay,
        seq: this.#seq++,
        run: () => fn(...args),
      });
      return id;
    }) as unknown as typeof setTimeout;
    globalThis.clearTimeout = ((id?: number) => {
      if (id !== undefined) timers.delete(id);
    }) as unknown as typeof clearTimeout;
    performance.now = () => this.#now;
    Date.now = () => this.#epoch + this.#now;
    // WebCrypto runs off the event loop: track it, so that its work counts as not idle.
    const subtle = crypto.subtle as unknown as Record<
      string,
      (...args: unknown[]) => unknown
    >;
    for (const name of ["importKey", "sign", "verify", "digest"]) {
      const method = subtle[name]!;
      this.#subtle.push(name);
      subtle[name] = (...args: unknown[]) => {
        const promise = Promise.resolve(method.apply(crypto.subtle, args));
        this.#pending.add(promise);
        const done = () => this.#pending.delete(promise);
        promise.then(done, done);
        return promise;
      };
    }
  }

  /** Milliseconds the clock has moved on since it was installed. */
  get elapsed(): number {
    return this.#now;
  }

  /** Moves the clock on by `ms`, running every timer due on the way, in order. */
  async tick(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (let next = this.#next(); next && next.at <= end; next = this.#next()) {
      this.#now = Math.max(this.#now, next.at);
      this.#fire(next);
      await realTurn();
    }
    this.#now = end;
  }

  /**
   * Settles `work`, moving the clock to the next timer each time nothing else is left to run.
   * @throws what `work` throws; an Error when it waits on nothing the clock can move.
   */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(() => (settled = true), () => (settled = true));
    for (let idle = 0; !settled;) {
      await realTurn();
      if (settled) break;
      if (this.#pending.size > 0) {
        idle = 0;
        await Promise.race([...this.#pending]).catch(() => {});
        continue;
      }
      const next = this.#next();
      if (next === undefined) {
        // Waiting on something real (a stream, a microtask chain longer than a turn).
        if (++idle > 1000) {
          throw new Error("FakeTime.run: the work waits on no timer");
        }
        continue;
      }
      // A few quiet turns first: only then is nothing but the clock left to wait for.
      if (++idle < 3) continue;
      idle = 0;
      this.#now = Math.max(this.#now, next.at);
      this.#fire(next);
    }
    return await work;
  }

  #next(): Timer | undefined {
    let first: Timer | undefined;
    for (const timer of this.#timers.values()) {
      if (
        !first || timer.at < first.at ||
        (timer.at === first.at && timer.seq < first.seq)
      ) {
        first = timer;
      }
    }
    return first;
  }

  #fire(timer: Timer): void {
    for (const [id, t] of this.#timers) {
      if (t === timer) this.#timers.delete(id);
    }
    timer.run();
  }

  /** Puts the real clock back. */
  [Symbol.dispose](): void {
    globalThis.setTimeout = real.setTimeout;
    globalThis.clearTimeout = real.clearTimeout;
    performance.now = real.performanceNow;
    Date.now = real.dateNow;
    // The wrappers are own properties of crypto.subtle, over its prototype's methods.
    for (const name of this.#subtle) {
      delete (crypto.subtle as unknown as Record<string, unknown>)[name];
    }
  }
}
