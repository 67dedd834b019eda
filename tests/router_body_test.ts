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
