import { describe, expect, it } from "vitest";
import { isInPeriod, isValidTimeZone, isWithinHours, localClock, parseHourRange } from "./hours.ts";

describe("hour ranges", () => {
  it.each<[string, { start: number; end: number } | null]>([
    ["09:00-17:00", { start: 540, end: 1020 }],
    [" 00:00-24:00 ", { start: 0, end: 1440 }],
    ["13:30-13:45", { start: 810, end: 825 }],
    ["17:00-09:00", null],
    ["09:00-09:00", null],
    ["24:00-24:00", null],
    ["22:00-24:01", null],
    ["9:00-17:00", null],
    ["09:60-17:00", null],
    ["", null],
  ])("parses %j", (text, expected) => {
    expect(parseHourRange(text)).toEqual(expected);
  });
});

describe("time zones", () => {
  it.each([
    ["Europe/Berlin", true],
    ["America/Argentina/Buenos_Aires", true],
    ["UTC", true],
    ["Mars/Olympus_Mons", false],
    ["", false],
  ])("%s is valid: %s", (zone, expected) => {
    expect(isValidTimeZone(zone)).toBe(expected);
  });
});

const WEEKDAY = { mon: ["09:00-17:00"], tue: ["09:00-17:00"], wed: ["09:00-17:00"], thu: ["09:00-17:00"], fri: ["09:00-17:00"] };

describe("working hours in the rep's zone, across daylight-saving changes", () => {
  it.each<[string, string, string, string, boolean]>([
    // US springs forward on Sunday 8 March 2026: 13:45 UTC is 08:45 EST before, 09:45 EDT after.
    ["New York before spring-forward", "America/New_York", "2026-03-06T13:45:00Z", "Fri 2026-03-06 08:45", false],
    ["New York after spring-forward", "America/New_York", "2026-03-09T13:45:00Z", "Mon 2026-03-09 09:45", true],
    // US falls back on Sunday 1 November 2026: 21:30 UTC is 17:30 EDT before, 16:30 EST after.
    ["New York before fall-back", "America/New_York", "2026-10-30T21:30:00Z", "Fri 2026-10-30 17:30", false],
    ["New York after fall-back", "America/New_York", "2026-11-02T21:30:00Z", "Mon 2026-11-02 16:30", true],
    // Europe springs forward on 29 March 2026, three weeks after the US.
    ["Berlin in the gap weeks", "Europe/Berlin", "2026-03-23T07:30:00Z", "Mon 2026-03-23 08:30", false],
    ["Berlin after spring-forward", "Europe/Berlin", "2026-03-30T07:30:00Z", "Mon 2026-03-30 09:30", true],
    // Sydney's daylight saving ends on 5 April 2026 (southern hemisphere).
    ["Sydney in daylight time", "Australia/Sydney", "2026-04-02T22:30:00Z", "Fri 2026-04-03 09:30", true],
    ["Sydney in standard time", "Australia/Sydney", "2026-04-09T22:30:00Z", "Fri 2026-04-10 08:30", false],
    ["Kolkata's half-hour offset", "Asia/Kolkata", "2026-11-23T03:30:00Z", "Mon 2026-11-23 09:00", true],
    ["a UTC Sunday that is already Monday in Auckland", "Pacific/Auckland", "2026-11-22T21:00:00Z", "Mon 2026-11-23 10:00", true],
    ["the end of the range is exclusive", "UTC", "2026-11-23T17:00:00Z", "Mon 2026-11-23 17:00", false],
    ["the start of the range is inclusive", "UTC", "2026-11-23T09:00:00Z", "Mon 2026-11-23 09:00", true],
  ])("%s", (_name, zone, iso, label, inHours) => {
    const clock = localClock(zone, new Date(iso));
    expect(clock.label).toBe(label);
    expect(isWithinHours(clock, WEEKDAY)).toBe(inHours);
  });

  it.each([
    ["America/New_York", "2026-03-08T06:59:00Z", "Sun 2026-03-08 01:59"],
    ["America/New_York", "2026-03-08T07:00:00Z", "Sun 2026-03-08 03:00"],
    ["America/New_York", "2026-11-01T05:59:00Z", "Sun 2026-11-01 01:59"],
    ["America/New_York", "2026-11-01T06:00:00Z", "Sun 2026-11-01 01:00"],
    ["Australia/Lord_Howe", "2026-04-04T14:59:00Z", "Sun 2026-04-05 01:59"],
    ["Australia/Lord_Howe", "2026-04-04T15:00:00Z", "Sun 2026-04-05 01:30"],
    ["Asia/Kathmandu", "2026-11-23T03:14:00Z", "Mon 2026-11-23 08:59"],
  ])("switches at the transition minute itself: %s %s", (zone, iso, label) => {
    expect(localClock(zone, new Date(iso)).label).toBe(label);
  });

  it("agrees with Intl at every instant sampled across a year in many zones", () => {
    const zones = [
      "America/New_York",
      "America/Santiago",
      "Europe/London",
      "Asia/Kolkata",
      "Asia/Kathmandu",
      "Australia/Lord_Howe",
      "Pacific/Chatham",
      "Africa/Casablanca",
    ];
    const mismatches: string[] = [];
    for (const zone of zones) {
      const f = new Intl.DateTimeFormat("en-CA", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
      });
      for (let t = Date.parse("2026-01-01T00:00:00Z"); t < Date.parse("2027-01-01T00:00:00Z"); t += 7 * 3_600_000 + 13 * 60_000) {
        const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
        const expected = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
        const got = localClock(zone, new Date(t)).label.slice(4);
        if (got !== expected) mismatches.push(`${zone} ${new Date(t).toISOString()}: ${got} vs ${expected}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("uses every range of a split day", () => {
    const hours = { mon: ["08:00-12:00", "13:00-17:00"] };
    const at = (hhmm: string) => isWithinHours(localClock("UTC", new Date(`2026-11-23T${hhmm}:00Z`)), hours);
    expect([at("08:00"), at("12:30"), at("13:00"), at("16:59")]).toEqual([true, false, true, true]);
  });
});

describe("time off", () => {
  const at = new Date("2026-12-24T23:30:00Z");
  it.each<[string, string, { start: string; end: string }, boolean]>([
    ["whole days use the rep's local date", "UTC", { start: "2026-12-24", end: "2026-12-26" }, true],
    ["whole days end with the local day", "Europe/Berlin", { start: "2026-12-20", end: "2026-12-24" }, false],
    ["whole days start with the local day", "Europe/Berlin", { start: "2026-12-25", end: "2026-12-25" }, true],
    ["date-times compare instants", "Asia/Tokyo", { start: "2026-12-24T23:00:00Z", end: "2026-12-25T00:00:00Z" }, true],
    ["a date-time end is exclusive", "UTC", { start: "2026-12-24T09:00:00+01:00", end: "2026-12-25T00:30:00+01:00" }, false],
  ])("%s", (_name, zone, period, expected) => {
    expect(isInPeriod(period, localClock(zone, at), at)).toBe(expected);
  });
});
