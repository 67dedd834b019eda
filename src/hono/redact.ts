/**
 * Masks the account's identifiers in what the router sends back. The core already keeps the
 * secret key, the session token and signatures out of its errors; a proxy also keeps the
 * `SecretId` to itself, since its callers need not know which account it spends.
 * @module
 */
import type { Credentials } from "../credentials.ts";
import { scrubSecrets, type TencentCloudError } from "../errors.ts";
import type { PrewarmReport } from "../report.ts";

/** The error with the credentials' id, key and token masked in its message. */
export function redactError(error: TencentCloudError, credentials: Credentials): TencentCloudError {
  return scrubSecrets(error, [credentials.secretId, credentials.secretKey, credentials.token]);
}

/** The report with {@linkcode redactError} applied to every failed batch's error. */
export function redactReport(report: PrewarmReport, credentials: Credentials): PrewarmReport {
  if (report.failed.length === 0) return report;
  const failed = report.failed.map((f) => ({ ...f, error: redactError(f.error, credentials) }));
  return { ...report, failed };
}
