/**
 * Reading API 2.0 parameters from a GET query or a POST form body, decoded, with names in the
 * form they are signed in (`_` read as `.`, the way PHP servers see `urls.0` as `urls_0`).
 *
 * @module
 */

/** The decoded parameters, or why they could not be read (answered as code 4000). */
export type V2ParamsResult =
  | { ok: true; params: ReadonlyMap<string, string> }
  | { ok: false; message: string };

/** Reads the parameters of an API 2.0 request: the query for GET, the body for POST. */
export async function readV2Params(
  method: string,
  url: URL,
  contentType: string | null,
  body: Uint8Array<ArrayBuffer>,
): Promise<V2ParamsResult> {
  if (method === "GET") return collect(url.searchParams);
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType === "application/x-www-form-urlencoded") {
    return collect(new URLSearchParams(new TextDecoder().decode(body)));
  }
  if (mediaType === "multipart/form-data") {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { "content-type": contentType ?? "" } })
        .formData();
    } catch {
      return { ok: false, message: "Malformed multipart/form-data body" };
    }
    const pairs: [string, string][] = [];
    for (const [name, value] of form) {
      if (typeof value !== "string") {
        return { ok: false, message: `Parameter ${name} must be text, not a file` };
      }
      pairs.push([name, value]);
    }
    return collect(pairs);
  }
  return {
    ok: false,
    message: "POST body must be application/x-www-form-urlencoded or multipart/form-data; " +
      `got Content-Type ${JSON.stringify(contentType ?? "")}`,
  };
}

function collect(pairs: Iterable<[string, string]>): V2ParamsResult {
  const params = new Map<string, string>();
  for (const [rawName, value] of pairs) {
    const name = rawName.replaceAll("_", ".");
    // Which of two values a server would take is undefined; a client must never send both.
    if (params.has(name)) return { ok: false, message: `Parameter ${name} is given twice` };
    params.set(name, value);
  }
  return { ok: true, params };
}

/** How many `urls.*` parameters a request carries (for the request log and fault policies). */
export function countV2Urls(params: ReadonlyMap<string, string>): number {
  let count = 0;
  for (const name of params.keys()) if (name.startsWith("urls.")) count++;
  return count;
}
