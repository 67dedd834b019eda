/**
 * `prewarmRouter()`: which route answers which method, behind which gate, and the 405/404
 * answers.
 * @module
 */
import { type Context, type Env, Hono } from "hono";
import { authenticate } from "./auth.ts";
import { renderError, RouterError } from "./errors.ts";
import { type PrewarmRouterOptions, resolveRouterOptions } from "./options.ts";
import { prewarmHandler, quotaHandler, tasksHandler } from "./routes.ts";
import { planHandler } from "./plan.ts";
import { taskListHandler } from "./task_list.ts";
import { consoleHandler } from "./console.ts";
import { verifyHandler } from "./verify.ts";

/** The routes and the methods each answers (HEAD comes with GET); the console sits under none. */
const ROUTES: ReadonlyArray<readonly [path: string, allow: string]> = [
  ["/prewarm", "POST"],
  ["/prewarm/plan", "POST"],
  ["/verify", "POST"],
  ["/quota", "GET, HEAD"],
  ["/tasks", "GET, HEAD"],
  ["/tasks/:id", "GET, HEAD"],
  ["/health", "GET, HEAD"],
];

function notFound(c: Context): RouterError {
  return new RouterError(
    404,
    "not-found",
    `No route for ${c.req.method} ${c.req.path.slice(0, 200)}; this router serves ` +
      "POST /prewarm, POST /prewarm/plan, POST /verify, GET /quota, GET /tasks?ids=, " +
      "GET /tasks/:id and " +
      "GET /health",
  );
}

/**
 * Makes a Hono app that submits CDN prefetch tasks on behalf of callers holding a bearer
 * token, so the Tencent Cloud credentials stay in one place (a Worker's secrets, a server's
 * environment) and CI jobs get a revocable token instead.
 *
 * Routes (relative to where it is mounted):
 * - `POST /prewarm`: `{"urls": [...], "area"?: ...}` as JSON, or `text/plain` with one URL per
 *   line (blank and `#` lines skipped; `?area=` works with both). Answers the
 *   `PrewarmReport`: 200 when every URL was submitted, 207 when only some were, 400 when the
 *   body is malformed or no URL can be sent, 413 over `maxUrls`/`maxBodyBytes`, 415 for other
 *   content types, 429 when the daily budget is spent (`Retry-After`), 502 when every batch
 *   failed upstream. The report is in every answer once `prewarm()` has run.
 * - `POST /prewarm/plan`: the dry run of `POST /prewarm` (same body): what would be sent and
 *   rejected, and how much of today's budget it would spend. Sends nothing.
 * - `POST /verify`: is it warm? The same body; `verifyWarm()` of its URLs from the server, only
 *   for hosts in `allowedHosts` (403 `allowed-hosts-required` without a list), bounded by the
 *   `verify` option; answers the `VerifyResult`.
 * - `GET /quota`: today's budget (`?area=` to pick one), with Tencent's count on API 3.0.
 * - `GET /tasks?ids=a,b`: where every URL of these tasks stands, one `pollTasks()` round (API
 *   3.0).
 * - `GET /tasks/:id`: the status of a task's URLs (`?offset=`, `?limit=`; API 3.0).
 * - `GET /health`: 200 `{"status":"ok"}`, no authentication.
 * - With `console`: `GET /` (or `console.path`), a web page to do all of the above with a
 *   token; the page needs none and reveals nothing of the configuration.
 *
 * Errors are JSON `{"error": {"code", "message"}}`: 401 without an accepted token
 * (`WWW-Authenticate: Bearer`), 404 for unknown paths, 405 with `Allow` for a wrong method,
 * and 503 `not-configured` while no token or no credentials are set, or the configuration is
 * malformed (the detail goes to the log, once): the router fails closed.
 *
 * @param options Credentials, tokens, allow-list, limits and `prewarm()` defaults; all optional.
 * @returns A Hono app: `app.route("/cdn", router)`, `app.mount("/cdn", router.fetch)` (when
 * your Hono copy differs from this module's), or `export default router` as a Worker.
 * @throws {TypeError} for an option of the wrong type (the message names it).
 * @throws {RangeError} for a number out of range or a malformed host pattern.
 *
 * @example
 * ```ts
 * import { prewarmRouter } from "@qcdn/prewarm/hono";
 *
 * // Credentials from TENCENTCLOUD_SECRET_ID/_KEY, tokens from PREWARM_TOKENS.
 * export default prewarmRouter({ allowedHosts: ["www.example.com", "*.static.example.com"] });
 * ```
 */
export function prewarmRouter<E extends Env = Env>(options?: PrewarmRouterOptions<E>): Hono<E> {
  const resolved = resolveRouterOptions(options);
  const page = resolved.consolePath;
  // A parent route comes first in ROUTES: the one named is the route the page would shadow.
  const taken = page && ROUTES.find(([api]) => page === api || page.startsWith(`${api}/`));
  if (taken) {
    throw new RangeError(
      `Invalid option console.path: ${JSON.stringify(page)} is under the API route ${taken[0]}`,
    );
  }
  const auth = authenticate(resolved);
  const app = new Hono<E>();

  app.use("*", async (c, next) => {
    // Reports and quotas are per request: no cache may keep or share them.
    c.header("Cache-Control", "no-store");
    await next();
  });
  app.get("/health", (c) => c.json({ status: "ok" }, 200));
  app.post("/prewarm", auth, prewarmHandler(resolved));
  app.post("/prewarm/plan", auth, planHandler(resolved));
  app.post("/verify", auth, verifyHandler(resolved));
  app.get("/quota", auth, quotaHandler(resolved));
  app.get("/tasks", auth, taskListHandler(resolved));
  app.get("/tasks/:id", auth, tasksHandler(resolved));
  const routes = [...ROUTES];
  if (page !== undefined) {
    app.get(page, consoleHandler(page));
    routes.push([page, "GET, HEAD"]);
  }
  for (const [path, allow] of routes) {
    app.options(path, (c) => c.body(null, 204, { Allow: `${allow}, OPTIONS` }));
    app.all(path, (c) => {
      throw new RouterError(
        405,
        "method-not-allowed",
        `${c.req.method} is not allowed here; use ${allow}`,
        { headers: { Allow: `${allow}, OPTIONS` } },
      );
    });
  }
  app.all("*", (c) => {
    throw notFound(c);
  });
  app.notFound((c) => renderError(c, notFound(c)));
  app.onError((error, c) => renderError(c, error));
  return app;
}
