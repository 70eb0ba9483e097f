import { describe, expect, it } from "vitest";
import { clusterLinks, type Link } from "./cluster.ts";

const T = { merge: 0.9, review: 0.5 };
const link = (a: number, b: number, score: number, veto: string | null = null): Link => ({ a, b, score, veto });
const decisions = (links: Link[], unscored = 0.01) =>
  Object.fromEntries(clusterLinks(links, T, () => ({ score: unscored, veto: null })).map((v) => [`${v.a}-${v.b}`, v.decision]));

describe("clusterLinks", () => {
  it.each([
    ["merges a strong pair", [link(0, 1, 0.99)], { "0-1": "merge" }],
    ["keeps a review-level pair as review", [link(0, 1, 0.7)], { "0-1": "review" }],
    ["drops pairs below review", [link(0, 1, 0.3)], {}],
    ["never merges a vetoed pair", [link(0, 1, 0.99, "first names differ")], { "0-1": "review" }],
    ["does not chain two strangers through a shared link", [link(0, 1, 0.99), link(1, 2, 0.98)], { "0-1": "merge", "1-2": "review" }],
    [
      "joins a triangle whose every pair is consistent",
      [link(0, 1, 0.99), link(1, 2, 0.98), link(0, 2, 0.6)],
      { "0-1": "merge", "1-2": "merge", "0-2": "merge" },
    ],
    [
      "refuses a join when a pair across is vetoed",
      [link(0, 1, 0.99), link(1, 2, 0.98), link(0, 2, 0.95, "last names differ")],
      { "0-1": "merge", "1-2": "review", "0-2": "review" },
    ],
  ])("%s", (_name, links, expected) => {
    expect(decisions(links)).toEqual(expected);
  });

  it("scores pairs across clusters that blocking never compared, and writes them as merge", () => {
    expect(decisions([link(0, 1, 0.99), link(1, 2, 0.98)], 0.8)).toEqual({ "0-1": "merge", "1-2": "merge", "0-2": "merge" });
  });
});
