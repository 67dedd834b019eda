/**
 * Every place that takes an area (cdn(), cdnPurge(), the command line's --area, the router's
 * "area" and ?area=) offers the same three, listed in the same order.
 */
import assert from "node:assert/strict";
import { cdn } from "../mod.ts";
import { cdnPurge } from "../src/purge.ts";
import { apiFromFlags } from "../src/cli/api_flags.ts";
import { Flags } from "../src/cli/flags.ts";
import { checkArea } from "../src/hono/body.ts";

const LISTED = '"overseas" or "mainland" or "global"';

Deno.test("areas: one list, in one order, wherever an area is taken", () => {
  assert.throws(
    () => cdn({ area: "asia" as never }),
    (e: Error) => e.message === `Invalid option area: expected ${LISTED}, got "asia"`,
  );
  assert.throws(
    () => cdnPurge({ area: "asia" as never }),
    (e: Error) => e.message === `Invalid option area: expected ${LISTED}, got "asia"`,
  );
  assert.throws(
    () => apiFromFlags(new Flags(new Map([["area", ["asia"]]]))),
    (e: Error) => e.message === '--area must be overseas or mainland or global, got "asia"',
  );
  for (const source of ["body", "query"] as const) {
    assert.throws(
      () => checkArea("asia", source),
      (e: Error) => e.message.endsWith(' one of "overseas", "mainland", "global"; got "asia"'),
    );
  }
  for (const area of ["overseas", "mainland", "global"] as const) {
    assert.equal(cdn({ area }).area, area);
    assert.equal(cdnPurge({ area }).report.area, area);
    assert.equal(checkArea(area, "body"), area);
    assert.equal(
      (apiFromFlags(new Flags(new Map([["area", [area.toUpperCase()]]]))) as never as {
        area: string;
      }).area,
      area,
    );
  }
});
