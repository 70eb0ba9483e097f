import { describe, expect, it } from "vitest";
import { defaultPortalSettings, mayWrite, parsePortalSettings } from "./portal-settings.ts";

describe("PortalSettings", () => {
  it("starts a new portal observe-only: every automation off", () => {
    const settings = defaultPortalSettings();
    expect(settings.automations).toEqual({ hygiene: false, dedupe: false, routing: false, stageGates: false });
    expect(mayWrite(settings, "hygiene")).toBe(false);
  });

  it("lets an automation write once it is on, until the kill switch is pressed", () => {
    const on = parsePortalSettings({ automations: { hygiene: true } });
    expect(on.ok && mayWrite(on.value, "hygiene")).toBe(true);
    expect(on.ok && mayWrite(on.value, "routing")).toBe(false);
    const killed = parsePortalSettings({ automations: { hygiene: true }, killSwitch: true });
    expect(killed.ok && mayWrite(killed.value, "hygiene")).toBe(false);
  });

  it("lists every problem of an invalid document with its path", () => {
    const result = parsePortalSettings({ automations: { hygiene: "yes" }, apiBudget: { perTenSeconds: 0 }, surprise: 1 });
    expect(result.ok).toBe(false);
    expect(result.problems?.map((p) => p.path).sort()).toEqual(["(root)", "apiBudget.perTenSeconds", "automations.hygiene"]);
    expect(result.ok === false && result.error.message).toContain("surprise");
  });
});
