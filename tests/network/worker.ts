// prewarm_once.ts as a Worker, for workerd: POST {"endpoint", "urls"} answers the report.
import { prewarmOnce } from "./prewarm_once.ts";

export default {
  async fetch(request: Request): Promise<Response> {
    const { endpoint, urls } = await request.json() as { endpoint: string; urls: string[] };
    return Response.json(await prewarmOnce(endpoint, urls));
  },
};
