/**
 * API 3.0 (`X-TC-Version: 2018-06-06`): version and action checks, TC3 authentication, the
 * per-action rate limit, the JSON body, then the action itself.
 *
 * @module
 */

import { type ApiAnswer, v3Failure } from "./answers.ts";
import type { ApiContext } from "./context.ts";
import { describePushQuota, describePushTasks } from "./v3_describe.ts";
import { pushUrlsCache } from "./v3_push.ts";
import { authenticateTc3, type Tc3SignedRequest } from "./verify_tc3.ts";

/** The API version this simulator speaks. */
export const V3_VERSION = "2018-06-06";

type ActionHandler = (
  context: ApiContext,
  input: Record<string, unknown>,
  now: number,
) => ApiAnswer;

const ACTIONS: ReadonlyMap<string, ActionHandler> = new Map([
  ["PushUrlsCache", pushUrlsCache],
  ["DescribePushTasks", describePushTasks],
  ["DescribePushQuota", describePushQuota],
]);

/** An API 3.0 request: the signed parts plus the `X-TC-Action` it names. */
export interface V3Call extends Tc3SignedRequest {
  /** The `X-TC-Action` header. */
  action: string;
}

/** Answers an API 3.0 request at simulated time `now`. */
export async function answerV3(context: ApiContext, call: V3Call, now: number): Promise<ApiAnswer> {
  const version = call.headers.get("x-tc-version");
  if (version === null) return v3Failure("MissingParameter", "Missing header X-TC-Version");
  if (version !== V3_VERSION) {
    return v3Failure("NoSuchVersion", `Version ${version} does not exist; use ${V3_VERSION}`);
  }
  const handler = ACTIONS.get(call.action);
  if (handler === undefined) {
    return v3Failure("InvalidAction", `The action ${call.action} does not exist`);
  }
  const auth = await authenticateTc3(context, call, now);
  if (!auth.ok) return auth.answer;
  if (!context.limiter.admit(`v3:${call.action}`, now)) {
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
