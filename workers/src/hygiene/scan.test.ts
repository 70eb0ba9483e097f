import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { parsePortalSettings } from "../../../shared/settings/portal-settings.ts";
import { clearTables, localCrm, PORTAL } from "../../test/local-crm.ts";
import type { HygieneScanProgress } from "./scan.ts";
import { type HygieneScanPage, HygieneScanRetry, recordHygieneScanStep, runHygieneScanPage, startHygieneScan } from "./scan.ts";

let local: ReturnType<typeof localCrm>;
beforeEach(async () => {
  await clearTables("hygiene_scores", "hygiene_trend", "hygiene_scans");
  local = localCrm();
});

const parsed = parsePortalSettings({});
if (!parsed.ok) throw new Error(parsed.error.message);
const settings = parsed.value;

/** `count` contacts created in batches of 100 as a person would: every third one tidy, the others messy. */
async function contacts(count: number): Promise<void> {
  for (let start = 0; start < count; start += 100) {
    const inputs = Array.from({ length: Math.min(100, count - start) }, (_, k) => {
      const i = start + k;
      return {
        properties:
          i % 3 === 0
            ? { email: `tidy${i}@acme-corp.com`, firstname: "Ana", lastname: "Silva", phone: "+14155550100", country: "United States" }
            : { email: `MESSY${i}@Acme-Corp.com`, firstname: "BOB", phone: "415 555" },
      };
    });
    await local.asUser("POST", "/crm/v3/objects/contacts/batch/create", { inputs });
  }
}

async function scanToTheEnd(): Promise<{ pages: number; calls: number }> {
  let page: HygieneScanPage | null = await startHygieneScan(env.DB, PORTAL, Date.now());
  let pages = 0;
  local.calls.length = 0;
  while (page) {
    const step = await runHygieneScanPage(page, { db: env.DB, crm: local.crm, settings, now: Date.now() });
    await recordHygieneScanStep(env.DB, page, step, Date.now());
    page = step.next;
    pages++;
  }
  return { pages, calls: local.calls.length };
}

const adminGet = (path: string) =>
  exports.default.fetch(`https://autopilot.test/api/admin/portals/880001/${path}`, {
    headers: { authorization: `Bearer ${env.ADMIN_API_TOKEN}` },
  });

describe("the portal-wide hygiene scan", () => {
  it("scores every contact through paged CRM reads (a search per 200, a batch read per 100) and reports progress and distribution", async () => {
    await contacts(450);
    expect(await scanToTheEnd()).toEqual({ pages: 3, calls: 3 + 5 });
    const res = await adminGet("hygiene/scan");
    expect(res.status).toBe(200);
    const progress = (await res.json()) as HygieneScanProgress;
    expect(progress).toMatchObject({ phase: "done", pages: 3, scored: 450, lastError: null });
    // Each messy contact: its email lower-cased and its first name re-cased.
    expect(progress.safeFixes).toBe(600);
    expect(progress.contacts.records).toBe(450);
    expect(progress.contacts.distribution.reduce((s, b) => s + b.count, 0)).toBe(450);
    // Tidy and messy contacts land in different buckets.
    expect(progress.contacts.distribution.filter((b) => b.count > 0).length).toBeGreaterThan(1);
    const trend = await env.DB.prepare("SELECT records FROM hygiene_trend WHERE portal_key = ?").bind(PORTAL).all();
    expect(trend.results).toEqual([{ records: 450 }]);
  });

  it("counts nobody twice when it runs again", async () => {
    await contacts(30);
    await scanToTheEnd();
    await scanToTheEnd();
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM hygiene_scores").first()).toEqual({ n: 30 });
  });

  it("drops the pages of a scan a newer one replaced", async () => {
    const old = await startHygieneScan(env.DB, PORTAL, Date.now());
    await startHygieneScan(env.DB, PORTAL, Date.now());
    expect(await recordHygieneScanStep(env.DB, old, { next: null, scored: 1, safeFixes: 0 }, Date.now())).toBe(false);
  });

  it("asks to retry the page when HubSpot rate-limits", async () => {
    await contacts(5);
    await local.hubspot.app.request("/__control", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ faults: { next429: 1 } }),
    });
    const page = await startHygieneScan(env.DB, PORTAL, Date.now());
    const failure = await runHygieneScanPage(page, { db: env.DB, crm: local.crm, settings, now: Date.now() }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HygieneScanRetry);
    expect((failure as HygieneScanRetry).crmError.retryable).toBe(true);
  });

  it("is started and read only with the admin token", async () => {
    const refused = await exports.default.fetch("https://autopilot.test/api/admin/portals/880001/hygiene/scan", { method: "POST" });
    expect(refused.status).toBe(401);
    expect((await adminGet("hygiene/scan")).status).toBe(404);
  });
});
