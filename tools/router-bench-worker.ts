/**
 * The Worker the router benchmark serves on workerd: the Cloudflare example's router, with the
 * benchmark's unlimited budget and pacing so that only the router's own cost is compared.
 */
import { prewarmRouter } from "../src/hono/mod.ts";

/** The bindings the benchmark passes. */
interface Bindings {
  TENCENTCLOUD_SECRET_ID: string;
  TENCENTCLOUD_SECRET_KEY: string;
  PREWARM_TOKENS: string;
  TENCENTCLOUD_ENDPOINT: string;
}

export default prewarmRouter<{ Bindings: Bindings }>({
  prewarm: (c) => ({
    endpoint: c.env.TENCENTCLOUD_ENDPOINT,
    dailyLimit: Infinity,
    maxRequestsPerSecond: Infinity,
    retries: 0,
  }),
});
