/**
 * The flags for `PushUrlsCache`'s optional parameters and for purging first: their specs, and
 * the `prewarm()` options they give.
 * @module
 */
import type { PushParameters } from "../apis/push_parameters.ts";
import type { PurgeThenPrewarmOptions } from "../flows/purge_then_prewarm.ts";
import { type FlagSpec, UsageError } from "./args.ts";
import type { Flags } from "./flags.ts";

const PREWARM = ["prewarm"];

/** The flags, for the command line's table. */
export const PUSH_FLAGS: Record<string, FlagSpec> = {
  "user-agent": { takesValue: true, commands: PREWARM },
  "layer": { takesValue: true, commands: PREWARM },
  "parse-m3u8": { takesValue: false, commands: PREWARM },
  "disable-range": { takesValue: false, commands: PREWARM },
  "header": { takesValue: true, repeatable: true, commands: PREWARM },
  "url-encode": { takesValue: false, commands: PREWARM },
  "purge-first": { takesValue: false, commands: PREWARM },
  "purge-wait": { takesValue: true, commands: PREWARM },
};

/** `--header "Name: value"`, repeated: a record of name → value (checked by `prewarm()`). */
function headers(flags: Flags): Record<string, string> | undefined {
  const given = flags.all("header");
  if (given.length === 0) return undefined;
  const record: Record<string, string> = {};
  for (const header of given) {
    const colon = header.indexOf(":");
    const name = header.slice(0, colon).trim();
    if (colon < 1 || name === "") {
      // Not quoted back: a header may carry a token for the origin.
      throw new UsageError('--header takes "Name: value"; one has no name before a colon');
    }
    if (Object.keys(record).some((n) => n.toLowerCase() === name.toLowerCase())) {
      throw new UsageError(`--header ${name} is given twice`);
    }
    record[name] = header.slice(colon + 1).trim();
  }
  return record;
}

/** The `PushUrlsCache` parameters the flags set (only those given). */
export function pushOptions(flags: Flags): PushParameters {
  const options: PushParameters = {
    userAgent: flags.string("user-agent"),
    layer: flags.choice("layer", ["middle"] as const),
    headers: headers(flags),
  };
  if (flags.has("parse-m3u8")) options.parseM3U8 = true;
  if (flags.has("disable-range")) options.disableRange = true;
  if (flags.has("url-encode")) options.urlEncode = true;
  return options;
}

/** `--purge-wait`: how long `--purge-first` waits for the purges. */
export function purgeOptions(flags: Flags): Pick<PurgeThenPrewarmOptions, "purgeWaitMs"> {
  if (!flags.has("purge-wait")) return {};
  if (!flags.has("purge-first")) throw new UsageError("--purge-wait needs --purge-first");
  return { purgeWaitMs: flags.milliseconds("purge-wait") };
}
