import { Hono } from "hono";
import { z } from "zod";
import type { AuditQuery, SettingsResponse, UndoRequest } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import { parsePortalSettings } from "../../../shared/settings/portal-settings.ts";
import { auditView, queryAudit } from "../audit/audit-query.ts";
import { auditExportLink } from "../audit/export.ts";
import { selectUndoable, undoChanges } from "../audit/undo.ts";
import type { CardEnv } from "../auth/middleware.ts";
import { cardDeps } from "../cards/card-context.ts";
import { reviewQueue } from "../dedupe/review-queue.ts";
import { ApiError } from "../http/errors.ts";
import { dashboard, dashboardRange } from "./dashboard.ts";
import { settingsDiff } from "./diff.ts";
import { stageGatesImpact } from "./dry-run-impact.ts";
import { installedBy, mayDo, requireAllowed } from "./permissions.ts";
import { listSettingsVersions, loadSettings, saveSettings } from "./repository.ts";

const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), "not a date");
const UndoRequestSchema = z.object({
  selection: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("entries"), ids: z.array(z.string().regex(/^\d+$/)).min(1).max(90) }),
    z.object({ kind: z.literal("rule"), ruleId: z.string().min(1).max(200), from: isoDate.nullable(), to: isoDate.nullable() }),
    z.object({
      kind: z.literal("window"),
      from: isoDate,
      to: isoDate,
      automation: z.enum(["hygiene", "dedupe", "routing", "stageGates"]).nullable(),
    }),
  ]),
  dryRun: z.boolean().default(false),
});

const AuditFilterSchema = z
  .object({
    automation: z.enum(["hygiene", "dedupe", "routing", "stageGates"]).optional(),
    status: z.enum(["applied", "observed", "refused", "undone"]).optional(),
    ruleId: z.string().max(200).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strip();

/** `/api/settings/*`: the settings page, behind `requireCardSignature()`; every change is admin-only. */
export const settingsRoutes = new Hono<CardEnv>();

async function access(c: { env: Env; get(key: "card"): CardEnv["Variables"]["card"] }) {
  const card = c.get("card");
  const current = await loadSettings(c.env.DB, card.portalKey);
  const installer = await installedBy(c.env.DB, card.portalKey);
  return { card, current, can: (action: Parameters<typeof mayDo>[3]) => mayDo(current.settings, installer, card.userId, action) };
}

settingsRoutes.get("/", async function getSettings(c) {
  const { current, can } = await access(c);
  requireAllowed(can("admin"), "admin");
  const body: SettingsResponse = {
    version: current.version,
    updatedAt: new Date(current.createdAt).toISOString(),
    updatedBy: current.createdBy.startsWith("user:")
      ? { id: current.createdBy.slice(5), name: `User ${current.createdBy.slice(5)}` }
      : null,
    document: current.settings as unknown as SettingsResponse["document"],
    permissions: { canEdit: true, canUndo: can("undo") },
  };
  return c.json(body);
});

settingsRoutes.put("/save", async function saveSettingsFromPage(c) {
  const { card, current, can } = await access(c);
  requireAllowed(can("admin"), "admin");
  const body = (await c.req.json().catch(() => null)) as { baseVersion?: unknown; document?: unknown; note?: unknown } | null;
  if (!body || typeof body.baseVersion !== "number") throw new ApiError(400, "invalid_request", "Send { baseVersion, document, note }");
  if (body.baseVersion !== current.version) {
    throw new ApiError(
      409,
      "version_conflict",
      `Another admin saved version ${current.version} since you opened version ${body.baseVersion}; reload to see it`,
    );
  }
  const parsed = parsePortalSettings(body.document);
  if (!parsed.ok) throw new ApiError(422, "invalid_settings", "The settings are invalid", { problems: parsed.problems });
  const note = typeof body.note === "string" ? body.note.slice(0, 500) : null;
  const now = Date.now();
  const version = await saveSettings(c.env.DB, card.portalKey, parsed.value, `user:${card.userId}`, note, now);
  return c.json({ version, updatedAt: new Date(now).toISOString() });
});

settingsRoutes.post("/dry-run", async function dryRunSettings(c) {
  const { current, can } = await access(c);
  requireAllowed(can("admin"), "admin");
  const body = (await c.req.json().catch(() => null)) as { document?: unknown } | null;
  const parsed = parsePortalSettings(body?.document);
  if (!parsed.ok) return c.json({ problems: parsed.problems ?? [], changes: [], impact: [] });
  const deps = await cardDeps(c);
  const impact = await stageGatesImpact(c.env.DB, c.get("card").portalKey, current.settings, parsed.value, deps.pipelines, Date.now());
  return c.json({ problems: [], changes: settingsDiff(current.settings, parsed.value), impact });
});

settingsRoutes.get("/dashboard", async function getDashboard(c) {
  const { card, current, can } = await access(c);
  requireAllowed(can("admin"), "admin");
  const range = dashboardRange({ from: c.req.query("from"), to: c.req.query("to") }, Date.now());
  if (!range) throw new ApiError(400, "invalid_range", "from and to must be ISO dates with from before to");
  return c.json(await dashboard(c.env.DB, card.portalKey, current.settings, range));
});

settingsRoutes.get("/versions", async function listVersions(c) {
  const { card, current, can } = await access(c);
  requireAllowed(can("admin"), "admin");
  const versions = await listSettingsVersions(c.env.DB, card.portalKey);
  return c.json({
    versions: versions.map((v) => ({
      version: v.version,
      createdAt: new Date(v.createdAt).toISOString(),
      createdBy: v.createdBy.startsWith("user:") ? { id: v.createdBy.slice(5), name: `User ${v.createdBy.slice(5)}` } : null,
      note: v.note,
      current: v.version === current.version,
    })),
  });
});

settingsRoutes.get("/audit", async function listAudit(c) {
  const { card, can } = await access(c);
  requireAllowed(can("admin") || can("undo"), "admin");
  const q = c.req.query();
  const query: AuditQuery = {
    ...(q.automation ? { automation: q.automation as AuditQuery["automation"] } : {}),
    ...(q.status ? { status: q.status as AuditQuery["status"] } : {}),
    ...(q.ruleId ? { ruleId: q.ruleId } : {}),
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
    ...(q.limit ? { limit: Number(q.limit) } : {}),
  };
  const page = await queryAudit(c.env.DB, card.portalKey, query);
  return c.json({ entries: page.rows.map((r) => auditView(r, () => null)), nextCursor: page.nextCursor, total: page.total });
});

settingsRoutes.post("/audit/export", async function exportAudit(c) {
  const { card, can } = await access(c);
  requireAllowed(can("admin") || can("undo"), "admin");
  const body = (await c.req.json().catch(() => ({}))) as { filter?: unknown };
  const filter = AuditFilterSchema.safeParse(body?.filter ?? {});
  if (!filter.success) throw new ApiError(400, "invalid_request", `filter: ${filter.error.issues[0]?.message ?? "invalid"}`);
  const { total } = await queryAudit(c.env.DB, card.portalKey, { ...filter.data, limit: 1 });
  const link = await auditExportLink(c.env, card.portalKey, filter.data, Date.now());
  return c.json({ ...link, rows: Math.min(total, 10_000) });
});

settingsRoutes.post("/audit/undo", async function undoAudit(c) {
  const { card, can } = await access(c);
  requireAllowed(can("undo"), "undo");
  const parsed = UndoRequestSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(
      400,
      "invalid_request",
      `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"} (send { selection, dryRun })`,
    );
  }
  const body = parsed.data as UndoRequest;
  const rows = await selectUndoable(c.env.DB, card.portalKey, body.selection);
  const deps = await cardDeps(c);
  const crm = await deps.crm();
  if (!crm) throw new ApiError(409, "not_installed", "This portal has not connected the app");
  const outcome = await undoChanges(rows, {
    db: c.env.DB,
    crm,
    portalKey: card.portalKey,
    userId: card.userId,
    now: Date.now(),
    dryRun: body.dryRun === true,
  });
  return c.json({ ...outcome, dryRun: body.dryRun === true });
});

settingsRoutes.get("/review-queue", async function getReviewQueue(c) {
  const { card, current, can } = await access(c);
  requireAllowed(can("admin") || can("merge"), "merge");
  return c.json(await reviewQueue(c.env.DB, card.portalKey, current.settings.dedupe, c.req.query("cursor")));
});
