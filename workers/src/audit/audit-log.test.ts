import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { recordDeadLetters } from "../queue/producer.ts";
import { appendAudit } from "./audit-log.ts";

describe("multi-row inserts stay inside D1's 100 bound values", () => {
  it("appends 50 audit entries in one call", async () => {
    const entry = (i: number) => ({
      portalKey: "hubspot:9" as const,
      automation: "hygiene",
      action: "update_properties",
      objectType: "contacts",
      objectId: String(i),
      status: "observed" as const,
      rule: "r",
      reason: "x",
      before: { a: "1" },
      after: { a: "2" },
    });
    await appendAudit(
      env.DB,
      Array.from({ length: 50 }, (_, i) => entry(i)),
      1,
    );
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE portal_key = 'hubspot:9'").first()).toEqual({ n: 50 });
  });

  it("records 60 dead letters in one call", async () => {
    await recordDeadLetters(
      env.DB,
      Array.from({ length: 60 }, (_, i) => ({
        portalKey: "hubspot:9" as const,
        source: "hubspot" as const,
        reasonCode: "x",
        reason: `r${i}`,
        payload: { i },
      })),
    );
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM dead_letters WHERE portal_key = 'hubspot:9'").first()).toEqual({ n: 60 });
  });
});
