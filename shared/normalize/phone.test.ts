import minMetadata from "libphonenumber-js/min/metadata";
import { describe, expect, it } from "vitest";
import { createPhoneNormalizer, normalizePhone } from "./phone.ts";

describe("normalizePhone", () => {
  it.each([
    ["(415) 555-2671", "US", "+14155552671", "US"],
    ["415.555.2671", "US", "+14155552671", "US"],
    ["+1 416 555 0199", "DE", "+14165550199", "CA"],
    ["+44 20 7946 0958", undefined, "+442079460958", "GB"],
    ["020 7946 0958", "GB", "+442079460958", "GB"],
    ["0049 30 901820", "US", "+4930901820", "DE"],
    ["030 901820", "DE", "+4930901820", "DE"],
    ["+49 (0)30 901820", "GB", "+4930901820", "DE"],
    ["06 12 34 56 78", "FR", "+33612345678", "FR"],
    ["+33 6 12 34 56 78", undefined, "+33612345678", "FR"],
    ["+81 3-1234-5678", undefined, "+81312345678", "JP"],
    ["+91 98765 43210", undefined, "+919876543210", "IN"],
    ["+61 2 9374 4000", undefined, "+61293744000", "AU"],
    ["+55 11 91234-5678", undefined, "+5511912345678", "BR"],
    ["tel: +49 30 901820", "us", "+4930901820", "DE"],
  ])("reads %j (region %s) as %s in %s", (raw, region, e164, country) => {
    const info = normalizePhone(raw, region);
    expect(info).toMatchObject({ e164, country, valid: true, possible: true, input: raw });
  });

  it("keeps the extension apart", () => {
    expect(normalizePhone("+44 20 7946 0958 ext. 12")).toMatchObject({ e164: "+442079460958", extension: "12" });
    expect(normalizePhone("(415) 555-2671 x305", "US")).toMatchObject({ e164: "+14155552671", extension: "305" });
  });

  it("marks a number of plausible length but impossible digits as possible, not valid", () => {
    expect(normalizePhone("+1 123 456 7890")).toMatchObject({ e164: "+11234567890", possible: true, valid: false });
  });

  it.each([
    [null, undefined],
    ["", "US"],
    ["n/a", "US"],
    ["12", "US"],
    ["555-0100", "US"],
    ["+49 1", undefined],
    ["0049", undefined],
  ])("gives no E.164 for %j", (raw, region) => {
    expect(normalizePhone(raw, region)).toMatchObject({ e164: null, valid: false });
  });

  it("needs a region or a calling code for a national number", () => {
    expect(normalizePhone("030 901820").e164).toBeNull();
    expect(normalizePhone("030 901820", "not-a-region").e164).toBeNull();
  });

  it("with min metadata checks lengths only, so digit patterns max rejects pass", () => {
    const minPhone = createPhoneNormalizer(minMetadata);
    expect(minPhone("+44 20 7946 0958").valid).toBe(true);
    expect(normalizePhone("+1 123 456 7890").valid).toBe(false);
  });
});
