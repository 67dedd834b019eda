/**
 * Masks the account's secrets in what the router sends back. The core already keeps the
 * secret key, the session token and signatures out of its errors; a proxy also keeps the
 * `SecretId` to itself, since its callers need not know which account it spends. Every string
 * that came from upstream is scrubbed; the caller's own URLs are returned as given.
 * @module
 */
import type { Credentials } from "../credentials.ts";
import { scrubSecrets, TencentCloudError } from "../errors.ts";
import { secretRedactor } from "../redact.ts";
import type { PrewarmReport } from "../report.ts";

/** Masks the credentials' id, key and token (and any `Signature=`) in answers. */
export class AnswerRedactor {
  readonly #secrets: ReadonlyArray<string | undefined>;
  readonly #text: (text: string) => string;

  /** Prepares the masks for one set of credentials. */
  constructor(credentials: Credentials) {
    this.#secrets = [credentials.secretId, credentials.secretKey, credentials.token];
    this.#text = secretRedactor(this.#secrets);
  }

  /** The error with every upstream string field masked. */
  error(error: TencentCloudError): TencentCloudError {
    return scrubSecrets(error, this.#secrets);
  }

  /** Plain upstream data (a read's result) with every string in it masked. */
  data<T>(value: T): T {
    if (typeof value === "string") return this.#text(value) as T;
    if (value instanceof TencentCloudError) return this.error(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.data(item)) as T;
    if (typeof value !== "object" || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) out[key] = this.data(field);
    return out as T;
  }

  /** The report with every upstream string masked; the URLs stay as the caller sent them. */
  report(report: PrewarmReport): PrewarmReport {
    const text = this.#text;
    return {
      ...report,
      tasks: report.tasks.map(({ urls, ...task }) => ({ ...this.data(task), urls })),
      rejected: report.rejected.map((r) => ({ ...r, detail: text(r.detail) })),
      failed: report.failed.map((f) => ({ ...f, error: this.error(f.error) })),
    };
  }
}
