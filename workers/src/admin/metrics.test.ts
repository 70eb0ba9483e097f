import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("GET /api/admin/portals/:id/metrics", () => {
  it("counts what the engines decided: blocked moves and flagged duplicates", async () => {
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO stage_gate_decisions (portal_key, object_id, decided_at, pipeline_id, from_stage, to_stage, verdict, mode, actor_user_id, reasons, move_key)
         VALUES ('hubspot:5', '1', ?, 'default', 'a', 'b', 'blocked', 'enforce', '7', '[]', 'k1')`,
      ).bind(now),
      env.DB.prepare(
        "INSERT INTO dedupe_suggestions (portal_key, id_a, id_b, score, decision, evidence, suggested_at) VALUES ('hubspot:5', '1', '2', 0.8, 'review', '[]', ?)",
      ).bind(now),
    ]);
    const res = await exports.default.fetch("https://autopilot.test/api/admin/portals/5/metrics", {
      headers: { authorization: `Bearer ${env.ADMIN_API_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { counters: Record<string, number> };
    expect(body.counters).toMatchObject({ stage_moves_blocked: 1, duplicates_flagged: 1, duplicates_merged: 0, owners_assigned: 0 });
  });
});
