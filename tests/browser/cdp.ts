/**
 * A real Chromium, driven over the Chrome DevTools Protocol with Deno's own WebSocket: no
 * dependency, and nothing downloads a browser. It uses the system's Chromium (Debian's
 * `chromium` package, which `.ci/run` installs when missing; `CHROMIUM` names another binary).
 *
 * Everything the page does is recorded for the test: each request's URL, JavaScript dialogs
 * (an `alert()` from injected markup would show up here), console errors, uncaught exceptions
 * and Content-Security-Policy violations.
 */

// deno-lint-ignore no-explicit-any
type Json = any;

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];

/** The Chromium binary: `$CHROMIUM`, else the first candidate on PATH. */
export async function findChromium(): Promise<string | undefined> {
  const chosen = Deno.env.get("CHROMIUM");
  if (chosen) return chosen;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    for (const name of CANDIDATES) {
      try {
        const path = `${dir}/${name}`;
        if ((await Deno.stat(path)).isFile) return path;
      } catch { /* not here */ }
    }
  }
  return undefined;
}

/** What the page did, as recorded. */
export interface PageLog {
  /** The URL of every request the page made, in order. */
  requests: string[];
  /** Messages of JavaScript dialogs (`alert`, `confirm`, `prompt`) that opened. */
  dialogs: string[];
  /** Uncaught exceptions, console errors and CSP violations (network errors aside). */
  errors: string[];
}

/** One tab, attached through a flat session. */
export class Page {
  readonly log: PageLog = { requests: [], dialogs: [], errors: [] };
  readonly #browser: Browser;
  readonly #session: string;

  constructor(browser: Browser, session: string) {
    this.#browser = browser;
    this.#session = session;
  }

  /** Sends a command to this tab. */
  send(method: string, params: Json = {}): Promise<Json> {
    return this.#browser.send(method, params, this.#session);
  }

  /** Records what the tab does; called once, before the first navigation. */
  async record(): Promise<void> {
    this.#browser.listen(this.#session, (method, params) => {
      if (method === "Network.requestWillBeSent") this.log.requests.push(params.request.url);
      if (method === "Page.javascriptDialogOpening") {
        this.log.dialogs.push(params.message);
        this.send("Page.handleJavaScriptDialog", { accept: false }).catch(() => {});
      }
      if (method === "Runtime.exceptionThrown") {
        this.log.errors.push(`exception: ${params.exceptionDetails.exception?.description}`);
      }
      if (method === "Runtime.consoleAPICalled" && params.type === "error") {
        this.log.errors.push(`console.error: ${params.args.map((a: Json) => a.value).join(" ")}`);
      }
      // A fetch answered 401 is logged by the network source: expected, not a page error.
      if (method === "Log.entryAdded" && params.entry.source !== "network") {
        this.log.errors.push(`${params.entry.source}: ${params.entry.text}`);
      }
    });
    await Promise.all(["Page", "Runtime", "Network", "Log"].map((d) => this.send(`${d}.enable`)));
  }

  /** Loads `url` and waits for its load event. */
  async goto(url: string): Promise<void> {
    const loaded = this.#browser.next(this.#session, "Page.loadEventFired");
    await this.send("Page.navigate", { url });
    await loaded;
  }

  /** Evaluates an expression in the page (awaiting a promise) and returns its value. */
  async evaluate<T = Json>(expression: string): Promise<T> {
    const result = await this.send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    if (result.exceptionDetails) {
      throw new Error(`In the page: ${result.exceptionDetails.exception?.description ?? ""}`);
    }
    return result.result.value as T;
  }

  /**
   * Resolves when `condition` (an expression) is truthy in the page: checked now and after
   * every change of the document (a MutationObserver), so the test follows the page's own
   * events. `timeoutMs` only guards against a page that never gets there.
   */
  async waitFor<T = Json>(condition: string, what: string, timeoutMs = 30_000): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const guard = new Promise<never>((_, reject) => {
      timer = setTimeout(async () => {
        const status = await this.evaluate(
          `document.getElementById("status")?.textContent + " | " + document.getElementById("alert")?.textContent`,
        ).catch(() => "?");
        reject(new Error(`Timed out waiting for ${what}; the page says: ${status}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([
        guard,
        this.evaluate<T>(`new Promise((resolve) => {
          const check = () => {
            let value;
            try { value = (${condition}); } catch { value = undefined; }
            if (value) { observer.disconnect(); resolve(value); }
            return value;
          };
          const observer = new MutationObserver(check);
          if (!check()) {
            observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
          }
        })`),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Focuses the element with this id. */
  async focus(id: string): Promise<void> {
    await this.evaluate(`document.getElementById(${JSON.stringify(id)}).focus()`);
  }

  /** Inserts text at the focus, as typing or pasting does (input events fire). */
  async insertText(text: string): Promise<void> {
    await this.send("Input.insertText", { text });
  }

  /** Presses and releases a key: `Enter`, `Tab` or ` ` (space). */
  async press(key: "Enter" | "Tab" | " "): Promise<void> {
    const codes = { Enter: [13, "Enter", "\r"], Tab: [9, "Tab", ""], " ": [32, "Space", " "] };
    const [keyCode, code, text] = codes[key];
    await this.send("Input.dispatchKeyEvent", {
      type: "keyDown",
      key,
      code,
      windowsVirtualKeyCode: keyCode,
      ...(text ? { text } : {}),
    });
    await this.send("Input.dispatchKeyEvent", {
      type: "keyUp",
      key,
      code,
      windowsVirtualKeyCode: keyCode,
    });
  }

  /** Clicks the middle of the element with this id with the mouse, as a person would. */
  async click(id: string): Promise<void> {
    const box = await this.evaluate<{ x: number; y: number }>(`(() => {
      const e = document.getElementById(${JSON.stringify(id)});
      e.scrollIntoView({ block: "center" });
      const r = e.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    })()`);
    for (const type of ["mousePressed", "mouseReleased"]) {
      await this.send("Input.dispatchMouseEvent", {
        type,
        x: box.x,
        y: box.y,
        button: "left",
        clickCount: 1,
      });
    }
  }

  /** Sets the viewport (CSS pixels) and whether it is a phone. */
  async viewport(width: number, height: number, mobile = false): Promise<void> {
    await this.send("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: 1,
      mobile,
    });
  }

  /** A PNG of the whole page, not only what the viewport shows. */
  async screenshot(): Promise<Uint8Array> {
    const { cssContentSize } = await this.send("Page.getLayoutMetrics");
    const { data } = await this.send("Page.captureScreenshot", {
      format: "png",
      captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: cssContentSize.width, height: cssContentSize.height, scale: 1 },
    });
    return Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  }
}

type Listener = (method: string, params: Json) => void;

/** A headless Chromium and its DevTools connection. */
export class Browser {
  readonly #child: Deno.ChildProcess;
  readonly #socket: WebSocket;
  readonly #profile: string;
  readonly #pending = new Map<number, { resolve(v: Json): void; reject(e: Error): void }>();
  readonly #listeners = new Map<string, Set<Listener>>();
  #nextId = 1;

  private constructor(child: Deno.ChildProcess, socket: WebSocket, profile: string) {
    this.#child = child;
    this.#socket = socket;
    this.#profile = profile;
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.id !== undefined) {
        const waiter = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.error) {
          waiter?.reject(new Error(`${message.error.message} (${message.error.code})`));
        } else waiter?.resolve(message.result);
        return;
      }
      for (const listener of this.#listeners.get(message.sessionId ?? "") ?? []) {
        listener(message.method, message.params);
      }
    };
  }

  /**
   * Starts Chromium headless with a fresh profile and no network of its own (no updates,
   * no sync, no component downloads), and connects to it.
   */
  static async launch(binary: string): Promise<Browser> {
    const profile = await Deno.makeTempDir({ prefix: "console-chromium-" });
    const child = new Deno.Command(binary, {
      args: [
        "--headless=new",
        "--no-sandbox", // The test runs as root in CI containers.
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--remote-debugging-port=0",
        `--user-data-dir=${profile}`,
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--mute-audio",
        "about:blank",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    let seen = "";
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let endpoint: string | undefined;
    while (endpoint === undefined) {
      const { value, done } = await reader.read();
      if (done) {
        await child.status;
        await Deno.remove(profile, { recursive: true }).catch(() => {});
        throw new Error(`${binary} exited before it listened:\n${seen.slice(-2000)}`);
      }
      seen += value;
      endpoint = /DevTools listening on (ws:\/\/\S+)/.exec(seen)?.[1];
    }
    // Keep draining stderr so Chromium never blocks on a full pipe.
    (async () => {
      while (!(await reader.read()).done) { /* drain */ }
    })().catch(() => {});
    const socket = new WebSocket(endpoint);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error(`Could not connect to ${endpoint}`));
    });
    return new Browser(child, socket, profile);
  }

  /** Sends a command (to the browser, or to a tab's session) and resolves with its result. */
  send(method: string, params: Json = {}, sessionId?: string): Promise<Json> {
    const id = this.#nextId++;
    const answer = new Promise<Json>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
    });
    this.#socket.send(JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) }));
    return answer;
  }

  /** Calls `listener` with every event of a session. */
  listen(sessionId: string, listener: Listener): () => void {
    const set = this.#listeners.get(sessionId) ?? new Set();
    set.add(listener);
    this.#listeners.set(sessionId, set);
    return () => set.delete(listener);
  }

  /** The next event `method` of a session. */
  next(sessionId: string, method: string): Promise<Json> {
    return new Promise((resolve) => {
      const stop = this.listen(sessionId, (m, params) => {
        if (m !== method) return;
        stop();
        resolve(params);
      });
    });
  }

  /** Opens a blank tab, attached and recording. */
  async newPage(): Promise<Page> {
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true });
    const page = new Page(this, sessionId);
    await page.record();
    return page;
  }

  /** Closes Chromium, waits for it to exit and removes its profile. */
  async close(): Promise<void> {
    const exited = this.#child.status;
    await this.send("Browser.close").catch(() => {});
    const grace = setTimeout(() => {
      try {
        this.#child.kill("SIGKILL");
      } catch { /* gone */ }
    }, 5_000);
    await exited;
    clearTimeout(grace);
    this.#socket.close();
    await Deno.remove(this.#profile, { recursive: true }).catch(() => {});
  }
}
