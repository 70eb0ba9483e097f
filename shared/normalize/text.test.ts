import { describe, expect, it } from "vitest";
import { cleanText, collapseWhitespace, foldAccents } from "./text.ts";

describe("foldAccents", () => {
  it.each([
    ["Müller", "Muller"],
    ["José Ñúñez", "Jose Nunez"],
    ["Straße", "Strasse"],
    ["Øster Ærø", "Oster AEro"],
    ["Łódź", "Lodz"],
    ["Đorđević", "Dordevic"],
    ["plain ascii", "plain ascii"],
    ["日本", "日本"],
    ["", ""],
  ])("folds %j to %j", (raw, folded) => {
    expect(foldAccents(raw)).toBe(folded);
  });
});

describe("collapseWhitespace", () => {
  it.each([
    ["  a   b  ", "a b"],
    ["a\u00a0\u00a0b", "a b"],
    ["a\t\nb", "a b"],
    ["a\u3000b", "a b"],
    ["a\u200bb", "ab"],
    ["   ", ""],
  ])("tidies %j to %j", (raw, out) => {
    expect(collapseWhitespace(raw)).toBe(out);
  });

  it("cleanText turns empty values into null", () => {
    expect(cleanText(" \u00a0 ")).toBeNull();
    expect(cleanText(null)).toBeNull();
    expect(cleanText(" x ")).toBe("x");
  });
});
