import { describe, expect, it } from "vitest";
import { countryName, toCountryCode, toSubdivisionCode } from "./country.ts";

describe("toCountryCode", () => {
  it.each([
    ["USA", "US"],
    ["U.S.A.", "US"],
    ["United States", "US"],
    ["united states of america", "US"],
    ["us", "US"],
    ["America", "US"],
    ["UK", "GB"],
    ["U.K.", "GB"],
    ["Great Britain", "GB"],
    ["England", "GB"],
    ["Deutschland", "DE"],
    ["Germany", "DE"],
    ["Allemagne", "DE"],
    ["DEU", "DE"],
    ["276", "DE"],
    ["de", "DE"],
    ["Schweiz", "CH"],
    ["Suisse", "CH"],
    ["Österreich", "AT"],
    ["osterreich", "AT"],
    ["España", "ES"],
    ["México", "MX"],
    ["Brasil", "BR"],
    ["The Netherlands", "NL"],
    ["Holland", "NL"],
    ["Nederland", "NL"],
    ["Côte d'Ivoire", "CI"],
    ["Ivory Coast", "CI"],
    ["South Korea", "KR"],
    ["대한민국", "KR"],
    ["日本", "JP"],
    ["中国", "CN"],
    ["Россия", "RU"],
    ["Türkiye", "TR"],
    ["Turkey", "TR"],
    ["Sverige", "SE"],
    ["  france  ", "FR"],
    ["Trinidad & Tobago", "TT"],
    ["Bosnia and Herzegovina", "BA"],
  ])("reads %j as %s", (raw, code) => {
    expect(toCountryCode(raw)).toBe(code);
  });

  it.each([null, "", "   ", "XX", "ZZZ", "Atlantis", "n/a", "-", "999"])("gives null for %j", (raw) => {
    expect(toCountryCode(raw)).toBeNull();
  });

  it("names a code for messages", () => {
    expect(countryName("DE")).toBe("Germany");
    expect(countryName("US")).toBe("United States");
    expect(countryName("GB")).toBe("United Kingdom");
    expect(countryName("CN")).toBe("China");
    expect(countryName("QQ")).toBeNull();
  });
});

describe("toSubdivisionCode", () => {
  it.each([
    ["US", "california", "CA"],
    ["US", "Calif.", "CA"],
    ["USA", "CA", "CA"],
    ["United States", "new york", "NY"],
    ["US", "N.Y.", "NY"],
    ["US", "Washington D.C.", "DC"],
    ["CA", "Ontario", "ON"],
    ["Canada", "Québec", "QC"],
    ["Canada", "quebec", "QC"],
    ["AU", "New South Wales", "NSW"],
    ["Deutschland", "Bayern", "BY"],
    ["DE", "Bavaria", "BY"],
    ["DE", "baden wurttemberg", "BW"],
    ["DE", "NRW", "NW"],
    ["GB", "Scotland", "SCT"],
    ["IN", "Maharashtra", "MH"],
  ])("in %s reads %j as %s", (country, raw, code) => {
    expect(toSubdivisionCode(country, raw)).toBe(code);
  });

  it.each([
    [null, "california", "CA"],
    [null, "Ontario", "ON"],
    [null, "WA", "WA"],
    [null, "Bayern", "BY"],
  ])("with no country reads %j only when unambiguous: %j → %s", (country, raw, code) => {
    expect(toSubdivisionCode(country, raw)).toBe(code);
  });

  it.each([
    ["US", "Ontario"],
    ["US", "ZZ"],
    ["FR", "Île-de-France"],
    ["US", ""],
    ["US", null],
    [null, "Île-de-France"],
  ])("in %s gives null for %j", (country, raw) => {
    expect(toSubdivisionCode(country, raw)).toBeNull();
  });
});
