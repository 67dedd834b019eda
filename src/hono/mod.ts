/**
 * A Hono router that submits Tencent Cloud CDN prefetch ("prewarm") tasks for callers holding
 * a bearer token: put the Tencent credentials in one place (a Worker's secrets, a server's
 * environment) and give CI jobs a revocable token instead.
 *
 * It runs wherever Hono runs: export it as a Cloudflare Worker, serve it with `Deno.serve` or
 * `Bun.serve`, or on Node with `@hono/node-server`. It fails closed: until a token (or
 * `authorize`) and credentials are configured, every authenticated route answers 503.
 *
 * The daily budget and the request rate are the account's: every router and `prewarm()` call
 * of one account in a process or Worker isolate shares them, and `prewarm.coordinator` shares
 * them further (between isolates, with `./cloudflare` or `./deno-kv`).
 *
 * @example As a Cloudflare Worker (secrets TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, PREWARM_TOKENS)
 * ```ts
 * import { prewarmRouter } from "@qcdn/prewarm/hono";
 *
 * export default prewarmRouter({ allowedHosts: ["www.example.com", "*.example.com"] });
 * ```
 *
 * @example Mounted in an existing app
 * ```ts
 * import { Hono } from "hono";
 * import { prewarmRouter } from "@qcdn/prewarm/hono";
 *
 * const app = new Hono();
 * app.route("/cdn", prewarmRouter({ maxUrls: 200 }));
 * // Then: curl -X POST https://host/cdn/prewarm -H "Authorization: Bearer $TOKEN" \
 * //   -H "Content-Type: text/plain" --data-binary @urls.txt
 * ```
 *
 * @module
 */
export { prewarmRouter } from "./router.ts";
export type { FromContext, PrewarmRouterOptions, RouterPrewarmDefaults } from "./options.ts";
export type { RouterErrorBody, RouterErrorCode } from "./errors.ts";
export type { RouterQuota, RouterTaskStatus } from "./routes.ts";
export type { CallerOption } from "./caller_options.ts";
export type { RouterBudget } from "./budget.ts";
export type { RouterPlan } from "./plan.ts";
export type { RouterTaskList } from "./task_list.ts";
export type { RouterVerify } from "./verify.ts";
export type { RouterVerifyOptions } from "./verify_options.ts";
export type {
  ProbeError,
  ProbeErrorCode,
  ProbeMethod,
  SeenHeaderName,
  SkippedUrl,
  VerifyResult,
  WarmResult,
  WarmState,
} from "../verify/probe.ts";
export type { DryRunPlan, PlannedHost } from "../engine/plan.ts";
export type { Batch } from "../rules/urls.ts";
export type { UrlResult, UrlStatus } from "../engine/wait.ts";
export { MIN_TOKEN_LENGTH } from "./tokens.ts";
export { ALLOWED_HOSTS_ENV_VAR, TOKENS_ENV_VAR } from "./options.ts";
