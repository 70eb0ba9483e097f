import { describe, expect, it } from "vitest";
import { compareGivenNames, compareSurnames } from "./names.ts";
import { areNicknames } from "./nicknames.ts";
import { editDistance, jaroWinkler } from "./strings.ts";

describe("string metrics", () => {
  it.each([
    ["martha", "marhta", 0.961],
    ["dwayne", "duane", 0.84],
    ["dixon", "dicksonx", 0.813],
    ["same", "same", 1],
    ["abc", "xyz", 0],
  ])("Jaro-Winkler(%s, %s) ≈ %d", (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 2);
  });

  it.each([
    ["kitten", "sitting", 3],
    ["smith", "smtih", 1],
    ["", "abc", 3],
    ["anna", "anna", 0],
  ])("edit distance(%s, %s) = %d", (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });

  it("stops early past the bound", () => {
    expect(editDistance("abcdefgh", "zyxwvuts", 2)).toBe(3);
  });

  it.each([
    ["robertj", "robertj", 0],
    ["robertj", "robertjo", 1],
    ["robertj", "obertj", 1],
    ["robertj", "robrtj", 1],
    ["robertj", "robetrj", 1],
    ["robertj", "rboertj", 1],
    ["robertj", "robertk", 1],
    ["robertj", "roberjt", 1],
    ["robertj", "rbertjo", 2],
    ["robertj", "trebojr", 2],
    ["ab", "ba", 1],
    ["", "a", 1],
    ["abc", "", 2],
  ])("answers whether %s and %s are a typo apart (bound 1: %d)", (a, b, expected) => {
    expect(editDistance(a, b, 1)).toBe(expected);
  });

  it("gives the same answer within one edit as the full distance on random strings", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const word = () => Array.from({ length: Math.floor(random() * 6) }, () => "abc"[Math.floor(random() * 3)]).join("");
    for (let i = 0; i < 5000; i++) {
      const [a, b] = [word(), word()];
      expect(editDistance(a, b, 1)).toBe(Math.min(2, editDistance(a, b)));
    }
  });
});

describe("given names", () => {
  it.each([
    ["robert", "bob", "nickname"],
    ["elizabeth", "liz", "nickname"],
    ["beth", "liz", "nickname"],
    ["christopher", "chris", "nickname"],
    ["jonathan", "jonathon", "fuzzy"],
    ["j", "james", "initial"],
    ["b", "robert", "initial"],
    ["mary", "mary", "exact"],
    ["mary", "john", "conflict"],
    ["laura", "chloe", "conflict"],
    ["k", "robert", "conflict"],
    ["", "john", "missing"],
  ])("%s vs %s is %s", (a, b, level) => {
    expect(compareGivenNames(a, b, "", "")).toBe(level);
  });

  it("knows nicknames both ways and not across groups", () => {
    expect(areNicknames("bill", "william")).toBe(true);
    expect(areNicknames("william", "bill")).toBe(true);
    expect(areNicknames("bill", "robert")).toBe(false);
  });
});

describe("surnames", () => {
  it.each([
    ["smith", "smith", "exact"],
    ["smith", "smtih", "fuzzy"],
    ["vanderberg", "berg", "fuzzy"],
    ["hoffmann", "hoffmannwood", "conflict"],
    ["smith", "jones", "conflict"],
  ])("%s vs %s is %s", (a, b, level) => {
    expect(compareSurnames(a, b, "", "")).toBe(level);
  });
});
