/**
 * `POST /prewarm`: reads and checks the body, screens hosts, runs `prewarm()` and answers
 * with the report under the status the outcome deserves.
 * @module
 */
import type { Context, Env } from "hono";
import { prewarm } from "../prewarm.ts";
import type { Area } from "../report.ts";
import { bodyFormat, checkArea, parseJsonBody, parseTextBody, readCappedText } from "./body.ts";
import type { ResolvedRouterOptions } from "./options.ts";
import { runOutcome } from "./outcome.ts";
import { RouterError } from "./problem.ts";
import { AnswerRedactor } from "./redact.ts";
import { screenHosts, withRejected } from "./screen.ts";

function chooseArea(fromBody: Area | undefined, fromQuery: string | undefined): Area | undefined {
  const query = fromQuery === undefined ? undefined : checkArea(fromQuery, "query");
  if (fromBody !== undefined && query !== undefined && fromBody !== query) {
    throw new RouterError(
      400,
      "invalid-body",
      `The body asks for area "${fromBody}" but the query string for "${query}"; give one`,
    );
  }
  return fromBody ?? query;
}

/** The `POST /prewarm` handler. */
export function prewarmHandler<E extends Env>(
  options: ResolvedRouterOptions<E>,
): (c: Context<E>) => Promise<Response> {
  return async (c) => {
    const credentials = await options.credentials(c);
    const defaults = await options.prewarm(c);
    // Everything about the request is checked before a single upstream call.
    const format = bodyFormat(c.req.header("content-type"));
    const text = await readCappedText(c.req.raw, options.maxBodyBytes);
    const body = format === "json" ? parseJsonBody(text) : parseTextBody(text);
    if (body.urls.length === 0) {
      throw new RouterError(400, "no-urls", "The body lists no URLs");
    }
    if (body.urls.length > options.maxUrls) {
      throw new RouterError(
        413,
        "too-many-urls",
        `The body lists ${body.urls.length} URLs; at most ${options.maxUrls} are accepted per ` +
          "request (maxUrls): split them",
      );
    }
    const area = chooseArea(body.area, c.req.query("area")) ?? defaults.area ?? "overseas";
    if ((defaults.api ?? "v3") === "v2" && area !== "overseas") {
      throw new RouterError(
        400,
        "invalid-body",
        `This router uses API 2.0, which prefetches overseas only; got area "${area}"`,
      );
    }
    const screened = screenHosts(body.urls, await options.allowedHosts(c));
    const run = await prewarm(screened.send, { ...defaults, credentials, area });
    const report = new AnswerRedactor(credentials).report(withRejected(run, screened.rejected));
    const outcome = runOutcome(report, (defaults.now ?? Date.now)());
    if ("error" in outcome) throw outcome.error;
    return c.json(report, outcome.status);
  };
}
