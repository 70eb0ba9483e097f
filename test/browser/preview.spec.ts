// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText() is what a person sees, the point of this test
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPreview } from "../../preview/serve.ts";
import { CHROMIUM_PATH, frame, launchChromium, shoot } from "./browser.ts";

let browser: Browser;
let page: Page;
let close: () => Promise<void>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const preview = await startPreview({ port: 0 });
  close = preview.close;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto(preview.url);
  await page.getByTestId("data-health-score").first().waitFor();
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await close?.();
});

describe("the local preview, as a person sees it in Chromium", () => {
  it("says it is an approximation of HubSpot's look", async () => {
    await expect(page.getByTestId("approximation-notice").innerText()).resolves.toContain("An approximation of HubSpot's look");
  });

  it("shows the contact's score, findings with Fix buttons, the observe-only notice and likely duplicates", async () => {
    const card = frame(page, "data-health-ready");
    await card.getByText("Bob McDonald").first().waitFor();
    const text = await card.innerText();
    expect(text).toContain("Score 72 / 100");
    expect(text).toContain("Observe-only");
    expect(text).toContain("“(415) 555-0100” is not in international format.");
    expect(text).toContain("97% to review");
    await expect(card.getByRole("button", { name: "Fix", exact: true }).count()).resolves.toBe(2);
    await expect(card.getByRole("button", { name: "Apply all 2 safe fixes" }).isVisible()).resolves.toBe(true);
    await expect(card.getByRole("button", { name: "Merge", exact: true }).count()).resolves.toBe(2);
    await card.getByText("Merge preview").first().click();
    await expect(card.getByTestId("duplicate-101-2207-preview").innerText()).resolves.toContain(
      "bob.mcdonald@northwind.example (both kept)",
    );
    await shoot(page, "data-health-ready");
  });

  it("applies a fix and a merge from the card and shows what the Worker answered", async () => {
    const card = frame(page, "data-health-ready");
    await card.getByTestId("data-health-finding-phone_not_e164:phone-fix").click();
    await card.getByText("Score 81 / 100").waitFor();
    await expect(card.getByTestId("data-health-outcome").innerText()).resolves.toContain("Fixed Phone number.");
    await card.getByTestId("duplicate-101-2207-merge").click();
    await card.getByText("Merged into Bob McDonald.").waitFor();
    await expect(card.getByTestId("duplicate-101-2207").count()).resolves.toBe(0);
    await shoot(page, "data-health-ready", "data-health-after-fix-and-merge");
  });

  it("shows the no-permission, empty, error and loading states of the data health card", async () => {
    const denied = frame(page, "data-health-no-permission");
    await denied.getByText("only users an admin allows can apply fixes").waitFor();
    await expect(denied.getByRole("button", { name: "Fix", exact: true }).count()).resolves.toBe(0);
    await expect(denied.getByRole("button", { name: "Merge", exact: true }).count()).resolves.toBe(0);
    await expect(frame(page, "data-health-empty").innerText()).resolves.toContain("Nothing to score yet");
    await expect(frame(page, "data-health-error").innerText()).resolves.toContain("The request signature expired; reload the record.");
    await expect(frame(page, "data-health-loading").innerText()).resolves.toContain("Scoring this record");
    for (const id of ["data-health-no-permission", "data-health-empty", "data-health-error", "data-health-loading"]) await shoot(page, id);
  });

  it("explains the routing decision and re-routes for an admin", async () => {
    const card = frame(page, "routing-ready");
    await card.getByTestId("routing-owner").waitFor();
    const text = await card.innerText();
    expect(text).toContain("Dana Reyes");
    expect(text).toContain("Rule: US West, 50+ employees");
    expect(text).toContain("42 s");
    expect(text).toContain("SLA running");
    expect(text).toContain("Sam Okafor: on time off until 2026-03-16");
    await shoot(page, "routing-ready");
    await card.getByRole("button", { name: "Re-route" }).click();
    await card.getByText("Now owned by Lee Chen (next in the queue).").waitFor();
    await expect(card.getByTestId("routing-owner").innerText()).resolves.toBe("Lee Chen");
  });

  it("shows routing's observe-only, no-permission, empty and error states", async () => {
    const observe = frame(page, "routing-observe");
    await observe.getByText("SLA breached").waitFor();
    expect(await observe.innerText()).toContain("Observe-only");
    await expect(observe.getByRole("button", { name: "Re-route" }).count()).resolves.toBe(0);
    await expect(frame(page, "routing-empty").innerText()).resolves.toContain("Not routed yet");
    await expect(frame(page, "routing-error").innerText()).resolves.toContain("Could not load routing");
    for (const id of ["routing-observe", "routing-empty", "routing-error"]) await shoot(page, id);
  });

  it("shows the company's hygiene and ownership", async () => {
    const card = frame(page, "account-health-ready");
    await card.getByText("Ownership").waitFor();
    await card.getByTestId("routing-owner").waitFor();
    const text = await card.innerText();
    expect(text).toContain("Score 88 / 100");
    expect(text).toContain("Company domain");
    expect(text).not.toContain("Likely duplicates");
    await shoot(page, "account-health-ready");
  });

  it("shows the deal's checklist, qualification score and blocked moves, including a refused revert", async () => {
    const card = frame(page, "stage-exit-ready");
    await card.getByTestId("stage-exit-progress").waitFor();
    const text = await card.innerText();
    expect(text).toContain("To leave Qualified to buy for Presentation scheduled");
    expect(text).toContain("1 of 4 met · enforced");
    expect(text).toContain("MEDDICC (needs 60)");
    expect(text).toContain("The CRM refused the move back: HubSpot refused: property “Loss reason” is required by the portal");
    await expect(card.getByRole("link", { name: "Fill Close date" }).isVisible()).resolves.toBe(true);
    await shoot(page, "stage-exit-ready");
    await expect(frame(page, "stage-exit-observe").innerText()).resolves.toContain("Ready to move");
    await expect(frame(page, "stage-exit-empty").innerText()).resolves.toContain("No exit criteria here");
    await expect(frame(page, "stage-exit-error").innerText()).resolves.toContain("Could not load exit criteria");
    for (const id of ["stage-exit-observe", "stage-exit-empty", "stage-exit-error"]) await shoot(page, id);
  });

  it("validates settings inline, runs a dry run, then saves a new version", async () => {
    const settings = frame(page, "settings");
    await settings.getByText("Kill switch: stop every write now").waitFor();
    await shoot(page, "settings", "settings-automations");
    await settings.getByRole("tab", { name: "Duplicates & fixes" }).click();
    await settings.getByLabel("Review threshold (0–1)").fill("0.999");
    await settings.getByRole("button", { name: "Dry run" }).click();
    await settings.getByText("the review threshold must not exceed the merge threshold").first().waitFor();
    await expect(settings.getByRole("button", { name: /Save as version/ }).isDisabled()).resolves.toBe(true);
    await shoot(page, "settings", "settings-inline-problem");
    await settings.getByLabel("Review threshold (0–1)").fill("0.6");
    await settings.getByRole("button", { name: "Dry run" }).click();
    await settings.getByText("Dry run passed").waitFor();
    await settings.getByRole("button", { name: "Save as version 8" }).click();
    await settings.getByText("Saved as version 8.").waitFor();
  });

  it("lists the audit log with Undo, bulk undo and CSV export, and the review queue", async () => {
    const settings = frame(page, "settings");
    await settings.getByRole("tab", { name: "Audit log" }).click();
    await settings.getByTestId("audit-table").waitFor();
    const text = await settings.innerText();
    expect(text).toContain("refused");
    expect(text).toContain("phone: (415) 555-0100 → +14155550100");
    await settings.getByTestId("audit-a-31-undo").click();
    await settings.getByText("Undid 1 change(s).").waitFor();
    await settings.getByRole("button", { name: "Export CSV" }).click();
    await settings.getByRole("link", { name: "Download CSV" }).waitFor();
    await expect(settings.getByRole("button", { name: "Undo everything this rule did" }).isVisible()).resolves.toBe(true);
    await shoot(page, "settings", "settings-audit-log");
    await settings.getByRole("tab", { name: "Review queue" }).click();
    await settings.getByText("Robert McDonald ↔ Bob McDonald").waitFor();
    await shoot(page, "settings", "settings-review-queue");
  });

  it("draws the leaders' dashboard with its numbers and charts", async () => {
    const dashboard = frame(page, "dashboard");
    await dashboard.getByTestId("dashboard-stats").waitFor();
    const text = await dashboard.innerText();
    expect(text).toContain("Worked within 30 min");
    expect(text).toContain("93%");
    expect(text).toContain("Leads per rep against their weights");
    await expect(dashboard.locator("svg").count()).resolves.toBe(7);
    await shoot(page, "dashboard");
  });
});
