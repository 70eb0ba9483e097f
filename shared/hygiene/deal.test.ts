import { describe, expect, it } from "vitest";
import type { Deal } from "../domain/types.ts";
import { scoreDeal } from "./deal.ts";
import { defaultHygieneSettings, HygieneSettingsSchema } from "./settings.ts";
import type { HygieneContext } from "./types.ts";

const NOW = Date.parse("2026-06-01T12:00:00Z");
const settings = defaultHygieneSettings();

function deal(overrides: Partial<Deal> = {}): Deal {
  return {
    id: "d1",
    name: "Acme renewal",
    pipelineId: "default",
    stageId: "qualifiedtobuy",
    amount: 12000,
    closeDate: "2026-07-15",
    ownerId: "7",
    createdAt: "2026-03-01T00:00:00Z",
    updatedAt: "2026-05-30T00:00:00Z",
    properties: {},
    ...overrides,
  };
}

const codes = (d: Deal, ctx: HygieneContext = { now: NOW, dealIsClosed: false }) =>
  scoreDeal(d, settings, ctx).findings.map((f) => `${f.field}:${f.code}`);

describe("scoreDeal", () => {
  it("finds nothing wrong with a complete open deal closing in the future", () => {
    expect(codes(deal())).toEqual([]);
  });

  it.each<[Partial<Deal>, HygieneContext, string[]]>([
    [{ amount: -5 }, { now: NOW }, ["amount:amount_invalid"]],
    [{ closeDate: "next quarter" }, { now: NOW }, ["closeDate:date_invalid"]],
    [{ closeDate: "2026-05-01" }, { now: NOW, dealIsClosed: false }, ["closeDate:close_date_passed"]],
    [{ closeDate: "2026-05-01" }, { now: NOW, dealIsClosed: true }, []],
    [{ closeDate: "2026-06-01" }, { now: NOW, dealIsClosed: false }, []],
    [{ closeDate: "2026-02-01" }, { now: NOW, dealIsClosed: true }, ["closeDate:close_date_before_created"]],
    [{ closeDate: String(Date.parse("2026-07-15")) }, { now: NOW, dealIsClosed: false }, []],
    [{ amount: null, ownerId: null }, { now: NOW }, ["amount:missing_required", "ownerId:missing_required"]],
    [{ name: " Acme  renewal" }, { now: NOW }, ["name:whitespace"]],
  ])("with %j and %j finds %j", (overrides, ctx, expected) => {
    expect(codes(deal(overrides), ctx)).toEqual(expected);
  });

  it("skips the close-date cross-check when it is not known whether the deal is closed", () => {
    const report = scoreDeal(deal({ createdAt: null }), settings, { now: NOW });
    expect(report.skipped.map((s) => s.part)).toEqual(["consistency", "uniqueness"]);
  });

  it("reads required custom properties from the deal's properties", () => {
    const custom = HygieneSettingsSchema.parse({ required: { deals: { hs_next_step: 1 } } });
    expect(scoreDeal(deal(), custom, { now: NOW }).parts[0]?.score).toBe(0);
    expect(scoreDeal(deal({ properties: { hs_next_step: "Call Tuesday" } }), custom, { now: NOW }).parts[0]?.score).toBe(100);
  });

  it("ignores a part whose weight is set to 0", () => {
    const noFresh = HygieneSettingsSchema.parse({ partWeights: { freshness: 0 } });
    const report = scoreDeal(deal({ updatedAt: "2020-01-01" }), noFresh, { now: NOW, dealIsClosed: false });
    expect(report.skipped).toContainEqual({ part: "freshness", reason: "weight is 0" });
    expect(report.parts.map((p) => p.part)).not.toContain("freshness");
  });
});
