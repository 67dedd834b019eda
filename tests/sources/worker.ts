// A Worker that reads a sitemap by URL: GET /?sitemap=URL&order=priority answers its URLs as
// JSON, or the error. Bundled for workerd by the runtimes test.
import { sitemapUrls, SourceError } from "../../src/sources/mod.ts";

export default {
  async fetch(request: Request): Promise<Response> {
    const params = new URL(request.url).searchParams;
    const urls: string[] = [];
    try {
      const order = (params.get("order") ?? "input") as "input" | "priority" | "lastmod";
      for await (const url of sitemapUrls(params.get("sitemap")!, { order })) urls.push(url);
    } catch (error) {
      const name = error instanceof SourceError ? "SourceError" : String(error);
      return Response.json({ error: name, message: (error as Error).message }, { status: 500 });
    }
    return Response.json({ urls });
  },
};
