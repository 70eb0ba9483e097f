import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { parsePortalSettings } from "../../../shared/settings/portal-settings.ts";
import { clearTables, localCrm, PORTAL } from "../../test/local-crm.ts";
import { runScanPage, type ScanPage, startScan } from "./scan.ts";
import { DEDUPE_TABLES, JON, JONATHAN, PRIYA, PRIYA_AGAIN } from "./test-support.ts";

let local: ReturnType<typeof localCrm>;
beforeEach(async () => {
  await clearTables(...DEDUPE_TABLES, "dedupe_scans");
  local = localCrm();
});

const parsed = parsePortalSettings({});
if (!parsed.ok) throw new Error(parsed.error.message);
const settings = parsed.value;

describe("the portal scan", () => {
  it("rebuilds the index from every contact through paged CRM reads, then matches them from D1 alone", async () => {
    for (const properties of [JONATHAN, PRIYA, JON, PRIYA_AGAIN, { firstname: "Ada", lastname: "Lovelace", email: "ada@example.org" }]) {
      await local.asUser("POST", "/crm/v3/objects/contacts", { properties });
    }
    let page: ScanPage | null = await startScan(env.DB, PORTAL, Date.now());
    const phases: string[] = [];
    while (page) {
      phases.push(page.phase);
      if (page.phase === "match") local.calls.length = 0;
      const step = await runScanPage(page, { db: env.DB, crm: local.crm, settings, now: Date.now() });
      if (page.phase === "match") expect(local.calls).toEqual([]);
      page = step.next;
    }
    expect(phases).toEqual(["index", "match"]);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM dedupe_contacts").first()).toEqual({ n: 5 });
    expect(await env.DB.prepare("SELECT n FROM dedupe_terms WHERE term = 'population'").first()).toEqual({ n: 5 });
    const decisions = await env.DB.prepare("SELECT decision FROM dedupe_suggestions ORDER BY decision").all();
    expect(decisions.results).toEqual([{ decision: "merge" }, { decision: "review" }]);
  });

  it("runs a second time without counting anyone twice", async () => {
    await local.asUser("POST", "/crm/v3/objects/contacts", { properties: PRIYA });
    for (let run = 0; run < 2; run++) {
      let page: ScanPage | null = await startScan(env.DB, PORTAL, Date.now());
      while (page) page = (await runScanPage(page, { db: env.DB, crm: local.crm, settings, now: Date.now() })).next;
    }
    expect(await env.DB.prepare("SELECT n FROM dedupe_terms WHERE term = 'population'").first()).toEqual({ n: 1 });
  });

  it("is started by an admin and refused without the admin token", async () => {
    const refused = await exports.default.fetch("https://autopilot.test/api/admin/portals/880001/dedupe/scan", { method: "POST" });
    expect(refused.status).toBe(401);
  });
});
