/**
 * Which API a request is for, and its parts read once: API 2.0 at `/v2/index.php` (GET or
 * POST), API 3.0 at `POST /` with an `X-TC-Action` header. Anything else is not routed (404).
 *
 * @module
 */

import { V2_ACTION, type V2Call } from "./api_v2.ts";
import { parseJsonObject, serviceOf, type V3Call, type V3Service } from "./api_v3.ts";
import { countV2Urls, readV2Params } from "./v2_params.ts";

/** The API a request is routed to, known from its method, path and headers alone. */
export type Route = { api: "v2" } | { api: "v3"; action: string };

/** A routed request with its parameters read, plus what the request log shows of it. */
export type RoutedCall =
  | { api: "v2"; action: string; urlCount: number; call: V2Call }
  | {
    api: "v3";
    action: string;
    urlCount: number;
    call: V3Call;
    /** The service `X-TC-Version` names, when the simulator serves it. */
    service: V3Service | undefined;
  };

// Where each API 3.0 action carries its URLs, for the request log and fault policies.
const URL_FIELDS: Readonly<Record<string, string>> = {
  PushUrlsCache: "Urls",
  PurgeUrlsCache: "Urls",
  CreatePrefetchTask: "Targets",
};

/** The API the request is for, or `undefined` for a 404. */
export function routeOf(request: Request, url: URL): Route | undefined {
  if (url.pathname === "/v2/index.php" && (request.method === "GET" || request.method === "POST")) {
    return { api: "v2" };
  }
  const action = request.headers.get("x-tc-action");
  if (url.pathname === "/" && request.method === "POST" && action !== null) {
    return { api: "v3", action };
  }
  return undefined;
}

/** Reads the routed request's headers and body bytes, and its parameters from them. */
export async function readCall(route: Route, request: Request, url: URL): Promise<RoutedCall> {
  // Headers first: Bun derives Content-Type from a FormData body lazily and forgets it once
  // the body has been read.
  const headers = new Headers(request.headers);
  const body = new Uint8Array(await request.arrayBuffer());
  if (route.api === "v3") {
    const call: V3Call = {
      method: request.method,
      url,
      headers,
      body,
      action: route.action,
    };
    const field = Object.hasOwn(URL_FIELDS, route.action) ? URL_FIELDS[route.action] : undefined;
    const urls = field === undefined ? undefined : parseJsonObject(body)?.[field];
    return {
      api: "v3",
      action: route.action,
      urlCount: Array.isArray(urls) ? urls.length : 0,
      call,
      service: serviceOf(headers.get("x-tc-version")),
    };
  }
  const params = await readV2Params(request.method, url, headers.get("content-type"), body);
  const call: V2Call = {
    method: request.method,
    host: url.host,
    path: url.pathname,
    params,
    requestBytes: request.method === "GET" ? url.pathname.length + url.search.length : body.length,
  };
  return {
    api: "v2",
    action: params.ok ? params.params.get("Action") ?? "" : V2_ACTION,
    urlCount: params.ok ? countV2Urls(params.params) : 0,
    call,
  };
}
