/**
 * API 2.0 `CdnOverseaPushser`: overseas URL prefetch, one task per hostname in the request.
 *
 * Business errors answer code 4000 with the module code in the message: 23100 too many URLs,
 * 9105 domain not in the account, 28006 domain offline, 23101 daily quota exhausted. Malformed
 * URLs and wildcards answer 4000 without a module code. An unknown `Action` answers 4000 with
 * `codeDesc` `"InvalidAction"`.
 *
 * @module
 */

import { type ApiAnswer, plainAnswer, v2Failure, v2Success } from "./answers.ts";
import { formatBeijingTime } from "./beijing_time.ts";
import type { ApiContext } from "./context.ts";
import { judgePushUrl } from "./push_url.ts";
import type { V2ParamsResult } from "./v2_params.ts";
import { authenticateV2 } from "./verify_v2.ts";

/** The one action this endpoint serves. */
export const V2_ACTION = "CdnOverseaPushser";

/** An API 2.0 request, parameters already read. */
export interface V2Call {
  /** `GET` or `POST`. */
  method: string;
  /** Host as sent, with the port when it is not the scheme's default. */
  host: string;
  /** `/v2/index.php`. */
  path: string;
  /** The decoded parameters, or why they could not be read. */
  params: V2ParamsResult;
  /** Size of the request: the path and query for GET, the body for POST. */
  requestBytes: number;
}

// The documented size limits, beyond which the server answers HTTP 501.
const MAX_GET_BYTES = 32 * 1024;
const MAX_POST_BYTES = 1024 * 1024;

/** Answers an API 2.0 request at simulated time `now`. */
export async function answerV2(context: ApiContext, call: V2Call, now: number): Promise<ApiAnswer> {
  if (call.requestBytes > (call.method === "GET" ? MAX_GET_BYTES : MAX_POST_BYTES)) {
    return plainAnswer(501, "Not Implemented");
  }
  if (!call.params.ok) return v2Failure(4000, call.params.message);
  const params = call.params.params;
  const action = params.get("Action");
  if (!action) return v2Failure(4000, "Missing required parameter Action");
  if (action !== V2_ACTION) {
    return v2Failure(4000, `Action ${action} does not exist`, undefined, "InvalidAction");
  }
  const auth = await authenticateV2(context, { ...call, params }, now);
  if (!auth.ok) return auth.answer;
  if (!context.limiter.admit(`v2:${action}`, now)) {
    return v2Failure(4400, "Requests are too frequent, please retry later", "9163");
  }
  return pushOverseas(context, params, now);
}

function pushOverseas(
  context: ApiContext,
  params: ReadonlyMap<string, string>,
  now: number,
): ApiAnswer {
  const listed = listUrls(params);
  if (!Array.isArray(listed)) return listed;
  const limit = context.options.v2BatchLimit;
  if (listed.length > limit) {
    return v2Failure(
      4000,
      `Too many URLs in one request: ${listed.length} (at most ${limit})`,
      "23100",
    );
  }

  const urlsByHost = new Map<string, string[]>();
  for (const [index, url] of listed.entries()) {
    const verdict = judgePushUrl(url, context.domains);
    if (!verdict.ok) {
      const message = `urls.${index}: ${verdict.detail}`;
      switch (verdict.problem) {
        case "malformed":
        case "wildcard":
          return v2Failure(4000, message);
        case "unknown-domain":
          return v2Failure(4000, message, "9105");
        case "offline-domain":
          return v2Failure(4000, message, "28006", "CdnHostIsNotOnline");
      }
    }
    const urls = urlsByHost.get(verdict.hostname) ?? [];
    urls.push(url);
    urlsByHost.set(verdict.hostname, urls);
  }

  if (!context.quota.trySpend(["overseas"], listed.length, now)) {
    const left = context.quota.available("overseas", now);
    return v2Failure(
      4000,
      `Daily overseas prefetch quota exhausted: ${listed.length} URLs submitted, ${left} left today`,
      "23101",
      "CdnPushExceedDayLimit",
    );
  }

  // The CDN splits a request by domain: one task per hostname, in order of first appearance.
  const date = formatBeijingTime(now);
  const data = [...urlsByHost].map(([host, urls]) => {
    const taskId = context.tasks.nextV2TaskId();
    context.tasks.add({ api: "v2", taskId: String(taskId), area: "overseas", host, urls, at: now });
    return { task_id: taskId, date };
  });
  return v2Success(data);
}

/** The `urls.0…urls.N` values in order, or the answer rejecting a gap or a bad index. */
function listUrls(params: ReadonlyMap<string, string>): string[] | ApiAnswer {
  const byIndex = new Map<number, string>();
  for (const [name, value] of params) {
    if (!name.startsWith("urls.")) continue;
    const index = name.slice("urls.".length);
    if (!/^(0|[1-9]\d{0,5})$/.test(index)) {
      return v2Failure(4000, `Parameter ${name} is not of the form urls.<n>`);
    }
    byIndex.set(Number(index), value);
  }
  if (byIndex.size === 0) return v2Failure(4000, "Missing required parameter urls.0");
  const urls: string[] = [];
  for (let index = 0; index < byIndex.size; index++) {
    const url = byIndex.get(index);
    if (url === undefined) {
      return v2Failure(
        4000,
        `urls.${index} is missing: urls.n must be numbered from 0 without gaps`,
      );
    }
    urls.push(url);
  }
  return urls;
}
