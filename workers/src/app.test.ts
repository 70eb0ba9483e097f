import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("health and routing basics", () => {
  it("answers /healthz with 200 once migrations are applied", async () => {
    const res = await exports.default.fetch("https://autopilot.test/healthz");
    expect(res.status).toBe(200);
    const body = await res.json<{ ok: boolean; schema: string }>();
    expect(body.ok).toBe(true);
    const latest = env.TEST_MIGRATIONS.map((m) => m.name)
      .sort()
      .at(-1);
    expect(body.schema).toBe(latest);
  });

  it("names the unknown route in a 404", async () => {
    const res = await exports.default.fetch("https://autopilot.test/nope", { method: "POST" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "No route for POST /nope" } });
  });
});
