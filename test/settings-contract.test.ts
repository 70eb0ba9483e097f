import { describe, expect, it } from "vitest";
import { settings } from "../hubspot-app/src/app/cards/fixtures/settings-fixtures.ts";
import { demoSettings } from "../scripts/demo-settings.ts";
import { parsePortalSettings } from "../shared/settings/portal-settings.ts";

describe("the settings page and the Worker agree on the settings document", () => {
  it("accepts the document the page edits in its sample data, field for field", () => {
    const parsed = parsePortalSettings(settings.document);
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  });

  it("names the hygiene policy path the page shows its problems at", () => {
    const parsed = parsePortalSettings({ ...settings.document, hygiene: { fixPolicy: { contacts: { phone: "sometimes" } } } });
    expect(parsed.problems?.map((p) => p.path)).toContain("hygiene.fixPolicy.contacts.phone");
  });

  it("accepts the rules npm start gives the demo portal", () => {
    const parsed = parsePortalSettings(demoSettings([{ id: "101", firstName: "Ana", lastName: "Ortiz" }]));
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  });
});
