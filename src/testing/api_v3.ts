/**
 * API 3.0: the version names the service (`2018-06-06` CDN, `2022-09-01` EdgeOne `teo`), then
 * action checks, TC3 authentication with that service in the scope, the per-action rate limit,
 * the JSON body, then the action itself.
 *
 * @module
 */

import { type ApiAnswer, v3Failure } from "./answers.ts";
import type { ApiContext } from "./context.ts";
import { createPrefetchTask, describeContentQuota, describePrefetchTasks } from "./teo_api.ts";
import { describePushQuota, describePushTasks } from "./v3_describe.ts";
import { describePurgeQuota, describePurgeTasks, purgeUrlsCache } from "./v3_purge.ts";
import { pushUrlsCache } from "./v3_push.ts";
import { authenticateTc3, type Tc3SignedRequest } from "./verify_tc3.ts";

/** The CDN API version this simulator speaks. */
export const V3_VERSION = "2018-06-06";
/** The EdgeOne API version this simulator speaks. */
export const TEO_VERSION = "2022-09-01";

/** The API 3.0 service a request is for: CDN, or EdgeOne. */
export type V3Service = "cdn" | "teo";

type ActionHandler = (
  context: ApiContext,
  input: Record<string, unknown>,
  now: number,
) => ApiAnswer;

const CDN_ACTIONS: ReadonlyMap<string, ActionHandler> = new Map([
  ["PushUrlsCache", pushUrlsCache],
  ["DescribePushTasks", describePushTasks],
  ["DescribePushQuota", describePushQuota],
  ["PurgeUrlsCache", purgeUrlsCache],
  ["DescribePurgeTasks", describePurgeTasks],
  ["DescribePurgeQuota", describePurgeQuota],
]);
const TEO_ACTIONS: ReadonlyMap<string, ActionHandler> = new Map([
  ["CreatePrefetchTask", createPrefetchTask],
  ["DescribePrefetchTasks", describePrefetchTasks],
  ["DescribeContentQuota", describeContentQuota],
]);
const SERVICES: ReadonlyMap<string, [V3Service, ReadonlyMap<string, ActionHandler>]> = new Map([
  [V3_VERSION, ["cdn", CDN_ACTIONS]],
  [TEO_VERSION, ["teo", TEO_ACTIONS]],
]);

/** The service an `X-TC-Version` names, if the simulator serves it. */
export function serviceOf(version: string | null): V3Service | undefined {
  return version === null ? undefined : SERVICES.get(version)?.[0];
}

/** An API 3.0 request: the signed parts plus the `X-TC-Action` it names. */
export interface V3Call extends Tc3SignedRequest {
  /** The `X-TC-Action` header. */
  action: string;
}

/** Answers an API 3.0 request at simulated time `now`. */
export async function answerV3(context: ApiContext, call: V3Call, now: number): Promise<ApiAnswer> {
  const version = call.headers.get("x-tc-version");
  if (version === null) return v3Failure("MissingParameter", "Missing header X-TC-Version");
  const served = SERVICES.get(version);
  if (served === undefined) {
    return v3Failure(
      "NoSuchVersion",
      `Version ${version} does not exist; use ${V3_VERSION} (cdn) or ${TEO_VERSION} (teo)`,
    );
  }
  const [service, actions] = served;
  const handler = actions.get(call.action);
  if (handler === undefined) {
    return v3Failure("InvalidAction", `The action ${call.action} does not exist in ${service}`);
  }
  const auth = await authenticateTc3(context, call, now, service);
  if (!auth.ok) return auth.answer;
  if (!context.limiter.admit(`${service}:${call.action}`, now)) {
    return v3Failure(
      "RequestLimitExceeded",
      `More than ${context.options.requestsPerSecond} ${call.action} requests in one second`,
    );
  }
  const contentType = call.headers.get("content-type") ?? "";
  if (contentType.split(";")[0]?.trim().toLowerCase() !== "application/json") {
    return v3Failure(
      "InvalidParameter",
      `Content-Type must be application/json; got ${JSON.stringify(contentType)}`,
    );
  }
  const input = parseJsonObject(call.body);
  if (input === undefined) {
    return v3Failure("InvalidParameter", "The request body must be a JSON object");
  }
  return handler(context, input, now);
}

/** The body as a JSON object, or `undefined` when it is not one. */
export function parseJsonObject(
  body: Uint8Array<ArrayBuffer>,
): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(body));
    const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
    return isObject ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}
