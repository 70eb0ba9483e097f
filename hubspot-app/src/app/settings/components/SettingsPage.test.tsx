import { Alert, Button, NumberInput, StatusTag, Toggle } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../cards/api/client.ts";
import { allText, fakeFetch, IDS } from "../../cards/components/test-support.ts";
import { audit, dryRun, dryRunInvalid, reviewQueue, settings, versions } from "../../cards/fixtures/settings-fixtures.ts";
import { SettingsPage } from "./SettingsPage.tsx";

const base = {
  "GET /api/settings": settings,
  "GET /api/settings/versions": versions,
  "GET /api/settings/audit": audit,
  "GET /api/settings/review-queue": reviewQueue,
} as const;

function renderPage(answers: Parameters<typeof fakeFetch>[0]) {
  const fetchJson = fakeFetch({ ...base, ...answers });
  const renderer = createRenderer("settings");
  renderer.render(<SettingsPage {...IDS} fetchJson={fetchJson} />);
  return { ...renderer, fetchJson };
}

describe("SettingsPage", () => {
  it("keeps Save locked until a dry run of the current draft passes, then saves on top of the loaded version", async () => {
    const { findByTestId, waitFor, fetchJson } = renderPage({
      "POST /api/settings/dry-run": dryRun,
      "PUT /api/settings": { version: 8, updatedAt: "2026-03-14T10:00:00Z" },
    });
    await waitFor(() => expect(findByTestId(Button, "settings-save").props.disabled).toBe(true));
    findByTestId(Toggle, "settings-automation-dedupe").trigger("onChange", true as never);
    findByTestId(Button, "settings-dry-run-button").trigger("onClick");
    await waitFor(() => expect(findByTestId(Button, "settings-save").props.disabled).toBe(false));
    const draft = { ...settings.document, automations: { ...settings.document.automations, dedupe: true } };
    expect(fetchJson).toHaveBeenCalledWith("POST /api/settings/dry-run", IDS, { document: draft });
    findByTestId(Button, "settings-save").trigger("onClick");
    await waitFor(() => expect(fetchJson).toHaveBeenCalledWith("PUT /api/settings", IDS, { baseVersion: 7, document: draft, note: null }));
  });

  it("shows the dry run's problems on the fields they name and keeps Save locked", async () => {
    const { findByTestId, waitFor } = renderPage({ "POST /api/settings/dry-run": dryRunInvalid });
    await waitFor(() => findByTestId(Button, "settings-dry-run-button"));
    findByTestId(Button, "settings-dry-run-button").trigger("onClick");
    await waitFor(() =>
      expect(findByTestId(NumberInput, "settings-review-threshold").props.validationMessage).toBe(
        "the review threshold must not exceed the merge threshold",
      ),
    );
    expect(findByTestId(Button, "settings-save").props.disabled).toBe(true);
  });

  it("shows the Worker's problems inline when a save is refused as invalid", async () => {
    const problems = [{ path: "permissions.mergeUserIds", message: "a HubSpot user id is digits" }];
    const { findByTestId, waitFor } = renderPage({
      "POST /api/settings/dry-run": dryRun,
      "PUT /api/settings": new ApiError(422, "invalid_settings", "Invalid settings", problems),
    });
    await waitFor(() => findByTestId(Button, "settings-dry-run-button"));
    findByTestId(Button, "settings-dry-run-button").trigger("onClick");
    await waitFor(() => expect(findByTestId(Button, "settings-save").props.disabled).toBe(false));
    findByTestId(Button, "settings-save").trigger("onClick");
    await waitFor(() => expect(allText(findByTestId(Alert, "settings-failed"))).toBe("Invalid settings"));
  });

  it("is read-only for users who may not edit", async () => {
    const { findByTestId, waitFor } = renderPage({ "GET /api/settings": { ...settings, permissions: { canEdit: false, canUndo: false } } });
    await waitFor(() => expect(allText(findByTestId(Alert, "settings-read-only"))).toContain("Only the portal's admins"));
    expect(findByTestId(Button, "settings-dry-run-button").props.disabled).toBe(true);
  });

  it("says observe-only when every automation is off, and the kill switch when it is on", async () => {
    const off = {
      ...settings,
      document: { ...settings.document, automations: { hygiene: false, dedupe: false, routing: false, stageGates: false } },
    };
    const quiet = renderPage({ "GET /api/settings": off });
    await quiet.waitFor(() => expect(quiet.findByTestId(StatusTag, "settings-status").text).toBe("Observe-only"));
    const stopped = renderPage({ "GET /api/settings": { ...settings, document: { ...settings.document, killSwitch: true } } });
    await stopped.waitFor(() => expect(stopped.findByTestId(StatusTag, "settings-status").text).toBe("Kill switch on"));
  });
});
