import assert from "node:assert/strict";
import type { RouterErrorBody } from "../src/hono/mod.ts";
import { AUTH, setup } from "./router/setup.ts";

async function post(
  app: ReturnType<typeof setup>["app"],
  body: BodyInit | null,
  contentType?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: RouterErrorBody }> {
  const init: RequestInit & { duplex?: string } = {
    method: "POST",
    headers: { ...AUTH, ...(contentType && { "content-type": contentType }), ...headers },
    body,
  };
  if (body instanceof ReadableStream) init.duplex = "half";
  const response = await app.request("/prewarm", init);
  return { status: response.status, body: await response.json() };
}

Deno.test("malformed JSON bodies: 400 saying what was wrong and where", async () => {
  const { app, sim } = setup();
  const cases: Array<[string, RegExp]> = [
    ['{"urls": [', /not valid JSON/],
    ["", /body is empty/],
    ["   ", /body is empty/],
    ['["https://www.example.com/a.js"]', /Expected a JSON object with "urls"; got an array/],
    ['"https://www.example.com/a.js"', /got a string/],
    ["null", /got null/],
    ["{}", /Expected "urls" to be an array of strings; it is missing/],
    ['{"urls": "https://www.example.com/a.js"}', /"urls" to be an array of strings; got a string/],
    [
      '{"urls": ["https://www.example.com/a.js", "b", "c", 3]}',
      /Expected "urls" to be an array of strings; item 3 is a number/,
    ],
    ['{"urls": [null]}', /item 0 is null/],
    ['{"urls": [{"url": "x"}]}', /item 0 is an object/],
    [
      '{"urls": [], "url": "x"}',
      /Unexpected field "url"; the body takes "urls", optionally "area", and the options/,
    ],
    ['{"urls": ["https://www.example.com/a.js"], "area": 3}', /"area" to be one of .*got a number/],
  ];
  for (const [text, message] of cases) {
    const { status, body } = await post(app, text, "application/json");
    assert.equal(status, 400, text);
    assert.equal(body.error.code, "invalid-body", text);
    assert.match(body.error.message, message, text);
    assert.equal(body.report, undefined);
  }
  assert.equal(sim.requests.length, 0, "nothing was sent for a malformed body");
});

Deno.test("no URLs at all: 400 no-urls, in either format", async () => {
  const { app } = setup();
  for (
    const [text, type] of [['{"urls": []}', "application/json"], ["# nothing\n\n", "text/plain"], [
      "",
      "text/plain",
    ]]
  ) {
    const { status, body } = await post(app, text!, type);
    assert.equal(status, 400);
    assert.equal(body.error.code, "no-urls");
  }
});

Deno.test("a body that is not UTF-8: 400", async () => {
  const { app } = setup();
  const { status, body } = await post(app, new Uint8Array([0x68, 0xff, 0xfe, 0x0a]), "text/plain");
  assert.equal(status, 400);
  assert.match(body.error.message, /not valid UTF-8/);
});

Deno.test("content types: JSON (also +json and charset=utf-8) or text/plain, else 415", async () => {
  const { app, sim } = setup();
  const json = JSON.stringify({ urls: ["https://www.example.com/a.js"] });
  for (
    const type of [
      "application/json; charset=utf-8",
      "application/vnd.prewarm+json",
      "Application/JSON",
    ]
  ) {
    assert.equal((await post(app, json, type)).status, 200, type);
  }
  const refused: Array<[string | undefined, RegExp]> = [
    ["application/x-www-form-urlencoded", /got "application\/x-www-form-urlencoded"/],
    [undefined, /got no Content-Type/],
    ["text/html", /application\/json .* text\/plain/],
    ["multipart/form-data; boundary=x", /multipart/],
    ["text/plain; charset=iso-8859-1", /UTF-8; got charset "iso-8859-1"/],
  ];
  const before = sim.requests.length;
  for (const [type, message] of refused) {
    // Bytes, not a string: fetch labels a string body text/plain by itself.
    const bytes = new TextEncoder().encode("https://www.example.com/a.js");
    const { status, body } = await post(app, bytes, type);
    assert.equal(status, 415, String(type));
    assert.equal(body.error.code, "unsupported-media-type");
    assert.match(body.error.message, message);
  }
  assert.equal(sim.requests.length, before);
});

Deno.test("413 too-many-urls: counted before anything is sent, in both formats", async () => {
  const { app, sim } = setup({ maxUrls: 3 });
  const urls = ["a", "b", "c", "d"].map((x) => `https://www.example.com/${x}.js`);
  let result = await post(app, JSON.stringify({ urls }), "application/json");
  assert.equal(result.status, 413);
  assert.equal(result.body.error.code, "too-many-urls");
  assert.match(result.body.error.message, /lists 4 URLs; at most 3/);
  assert.equal(
    result.body.error.message,
    "The body lists 4 URLs; at most 3 are accepted per request (maxUrls): split them",
  );
  result = await post(app, urls.join("\n"), "text/plain");
  assert.equal(result.status, 413);
  assert.equal(sim.requests.length, 0);
  result = await post(app, urls.slice(0, 3).join("\n"), "text/plain");
  assert.equal(result.status, 200);
});

/** A body stream that counts the bytes pulled from it and whether it was cancelled. */
function countingStream(chunkSize: number, chunks = Infinity) {
  const state = { pulled: 0, cancelled: false };
  const line = new TextEncoder().encode("https://www.example.com/x.js\n");
  const chunk = new Uint8Array(chunkSize);
  for (let i = 0; i < chunkSize; i++) chunk[i] = line[i % line.length]!;
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ >= chunks) return controller.close();
      state.pulled += chunk.length;
      controller.enqueue(chunk.slice());
    },
    cancel() {
      state.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, state };
}

Deno.test("413 at once for a Content-Length over the cap: not a byte is read", async () => {
  const { app } = setup({ maxBodyBytes: 1024 });
  const { stream, state } = countingStream(512);
  const { status, body } = await post(app, stream, "text/plain", { "content-length": "1025" });
  assert.equal(status, 413);
  assert.equal(body.error.code, "body-too-large");
  assert.match(body.error.message, /larger than 1024 bytes \(maxBodyBytes\)/);
  assert.equal(state.pulled, 0);
});

Deno.test("413 while streaming: reading stops at the cap and the stream is cancelled", async () => {
  const { app, sim } = setup({ maxBodyBytes: 4096 });
  const { stream, state } = countingStream(1000);
  const { status, body } = await post(app, stream, "text/plain");
  assert.equal(status, 413);
  assert.equal(body.error.code, "body-too-large");
  assert.ok(state.pulled <= 4096 + 1000, `read ${state.pulled} bytes of an endless body`);
  assert.equal(state.cancelled, true);
  assert.equal(sim.requests.length, 0);
});

Deno.test("a body of exactly maxBodyBytes is read; one byte more is refused", async () => {
  const { app } = setup({ maxBodyBytes: 29 * 4 });
  const body = "https://www.example.com/x.js\n".repeat(4); // 29 bytes a line
  assert.equal((await post(app, body, "text/plain")).status, 200);
  assert.equal((await post(app, body + "\n", "text/plain")).status, 413);
});

/**
 * A client on a real socket that sends the request head at once, then `body` one byte at a
 * time, a byte every `everyMs`, until it is all sent or, once an answer came, `after` more
 * bytes went out. Calls `onAnswer` when a whole answer (head, and as many bytes as its
 * Content-Length says) has arrived, and returns it with how many body bytes went out before.
 */
async function trickle(
  port: number,
  path: string,
  body: string,
  options: { everyMs: number; after: number; onAnswer: () => void },
) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const bytes = new TextEncoder().encode(body);
  const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
    `Authorization: ${AUTH.authorization}\r\nContent-Type: text/plain\r\n` +
    `Content-Length: ${bytes.length}\r\n\r\n`;
  await conn.write(new TextEncoder().encode(head));
  let sent = 0;
  let stopAt = bytes.length;
  const writing = (async () => {
    while (sent < stopAt) {
      if (await conn.write(bytes.subarray(sent, sent + 1)).then(() => false, () => true)) return;
      sent++;
      await new Promise((resolve) => setTimeout(resolve, options.everyMs));
    }
  })();
  let received = new Uint8Array();
  const buffer = new Uint8Array(4096);
  const text = () => new TextDecoder().decode(received);
  const complete = () => {
    const [head, ...rest] = text().split("\r\n\r\n");
    const length = /\r\ncontent-length: (\d+)/i.exec(head ?? "")?.[1];
    return rest.length > 0 && length !== undefined &&
      new TextEncoder().encode(rest.join("\r\n\r\n")).length >= Number(length);
  };
  while (!complete()) {
    const n = await conn.read(buffer);
    if (n === null) break;
    received = new Uint8Array([...received, ...buffer.subarray(0, n)]);
  }
  const sentBefore = sent;
  stopAt = Math.min(stopAt, sent + options.after);
  options.onAnswer();
  await writing;
  conn.close();
  return { text: text(), sentBefore, of: bytes.length };
}

Deno.test("a body trickled byte by byte is cut off at bodyTimeoutMs: 408, and no byte more is read", async () => {
  const { app, sim } = setup({ bodyTimeoutMs: 100 });
  // What the router pulls from the request body, counted between the socket and the router.
  let pulled = 0;
  let cancelled = false;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const source = request.body!.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const chunk = await source.read();
        if (chunk.done) return controller.close();
        pulled += chunk.value.byteLength;
        controller.enqueue(chunk.value);
      },
      cancel: (reason) => {
        cancelled = true;
        return source.cancel(reason);
      },
    }, { highWaterMark: 0 });
    return app.fetch(new Request(request, { body, duplex: "half" } as RequestInit));
  });
  // 96 bytes at a byte every 10 ms: no pause is ever long, but the whole body takes at least
  // 960 ms, far past the deadline.
  const body = "https://www.example.com/slow.js\n".repeat(3);
  try {
    for (const path of ["/prewarm", "/prewarm/plan"]) {
      pulled = 0;
      cancelled = false;
      let pulledAtAnswer = -1;
      const { text, sentBefore, of } = await trickle(server.addr.port, path, body, {
        everyMs: 10,
        after: 5,
        onAnswer: () => pulledAtAnswer = pulled,
      });
      const [head = "", json = ""] = text.split("\r\n\r\n");
      assert.match(head, /^HTTP\/1\.1 408 /, text);
      assert.match(head, /\r\nconnection: close\r\n/i);
      const answer: RouterErrorBody = JSON.parse(json);
      assert.equal(answer.error.code, "body-timeout");
      assert.match(answer.error.message, /did not arrive within 100 ms \(bodyTimeoutMs\)/);
      assert.ok(sentBefore > 1 && sentBefore < of, `answered mid-body (${sentBefore} of ${of})`);
      // The router stopped reading: it cancelled the body, and the bytes the client sent
      // after the answer were never pulled.
      assert.equal(cancelled, true);
      assert.ok(pulledAtAnswer > 0 && pulledAtAnswer <= sentBefore);
      assert.equal(pulled, pulledAtAnswer);
    }
    assert.equal(sim.requests.length, 0);
  } finally {
    await server.shutdown();
  }
});

Deno.test("bodyTimeoutMs: a whole body in time is read; the option is checked when the router is made", async () => {
  const { app } = setup({ bodyTimeoutMs: 1 });
  // app.request() hands the body over at once: a deadline of 1 ms is met.
  assert.equal((await post(app, "https://www.example.com/x.js", "text/plain")).status, 200);
  for (const value of [0, -1, 1.5, 2 ** 31]) {
    assert.throws(() => setup({ bodyTimeoutMs: value }), RangeError, String(value));
  }
  assert.throws(() => setup({ bodyTimeoutMs: "10" as unknown as number }), TypeError);
});
