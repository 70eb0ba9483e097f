import { describe, expect, it } from "vitest";
import { normalizePhone } from "../normalize/phone.ts";
import { nanpE164 } from "./prepare.ts";

describe("the North American phone fast path", () => {
  it.each([
    ["(415) 555-2671", "US", "+14155552671"],
    ["415.555.2671", "CA", "+14155552671"],
    ["1-617-995-0080", "US", "+16179950080"],
    ["+1 646 255 2042", "GB", "+16462552042"],
    ["+12125550100", "DE", "+12125550100"],
  ])("reads %s (region %s) as libphonenumber does", (raw, region, e164) => {
    expect(nanpE164(raw, region)).toBe(e164);
    expect(normalizePhone(raw, region).e164).toBe(e164);
  });

  it.each([
    ["415 555 2671", "GB", "another region's national number"],
    ["07836 332535", "US", "a leading trunk zero"],
    ["+44 20 7946 0958", "US", "another calling code"],
    ["(212) 555-0100 ext 12", "US", "an extension"],
    ["+1 212 055 0100", "US", "an exchange starting with 0"],
    ["212-555-01000", "US", "eleven national digits"],
    ["1-800-FLOWERS", "US", "letters"],
  ])("leaves %s (region %s) to libphonenumber: %s", (raw, region) => {
    expect(nanpE164(raw, region)).toBeNull();
  });
});
