import { z } from "zod";
import { DedupeSettingsSchema } from "../dedupe/settings.ts";
import { HygieneSettingsSchema } from "../hygiene/settings.ts";
import { err, ok, type Result } from "../result.ts";
import { RoutingSettingsSchema } from "../routing/settings.ts";
import { StageGateSettingsSchema } from "../stage-gates/settings.ts";

/** The automations an admin turns on one by one; all off means observe-only. */
export const AUTOMATIONS = ["hygiene", "dedupe", "routing", "stageGates"] as const;
export type Automation = (typeof AUTOMATIONS)[number];

const userIds = z.array(z.string().regex(/^\d+$/, "a HubSpot user id is digits")).default([]);

const AutomationSwitchesSchema = z
  .object({
    hygiene: z.boolean().default(false),
    dedupe: z.boolean().default(false),
    routing: z.boolean().default(false),
    stageGates: z.boolean().default(false),
  })
  .strict();

/** Who may press what on cards and the settings page; the installing user is seeded as an admin. */
const PermissionsSchema = z
  .object({
    adminUserIds: userIds,
    fixUserIds: userIds,
    mergeUserIds: userIds,
    undoUserIds: userIds,
    rerouteUserIds: userIds,
    /** When true, any user of the portal may apply fixes (merge, undo and re-route stay restricted). */
    everyoneMayFix: z.boolean().default(true),
  })
  .strict();

/** The CRM's limits for this portal; defaults are HubSpot's for marketplace OAuth apps. */
const ApiBudgetSchema = z
  .object({
    perTenSeconds: z.number().int().min(1).max(1_000).default(110),
    searchesPerSecond: z.number().int().min(1).max(50).default(5),
    perDay: z.number().int().min(1).default(500_000),
  })
  .strict();

export const PortalSettingsSchema = z
  .object({
    schemaVersion: z.literal(1).default(1),
    automations: AutomationSwitchesSchema.default(AutomationSwitchesSchema.parse({})),
    /** Stops every write at once, whatever the automations say. */
    killSwitch: z.boolean().default(false),
    permissions: PermissionsSchema.default(PermissionsSchema.parse({})),
    apiBudget: ApiBudgetSchema.default(ApiBudgetSchema.parse({})),
    stageGates: StageGateSettingsSchema.prefault({}),
    /** Data hygiene: required fields and weights, part weights, fix policy per field (auto only where listed). */
    hygiene: HygieneSettingsSchema.prefault({}),
    /** Contact deduplication: thresholds, auto-merge (off by default) and survivorship rules. */
    dedupe: DedupeSettingsSchema.prefault({}),
    /** Owner routing: reps (hours, time off, weights, caps), queues, rules, account matching, SLA. */
    routing: RoutingSettingsSchema.prefault({}),
  })
  .strict();

export type PortalSettings = z.infer<typeof PortalSettingsSchema>;
export type SettingsProblem = { path: string; message: string };

/** The documented default document: every automation off (observe-only), kill switch off. */
export function defaultPortalSettings(): PortalSettings {
  return PortalSettingsSchema.parse({});
}

/** Validates a settings document, listing every problem with its path. */
export function parsePortalSettings(doc: unknown): Result<PortalSettings, "invalid_settings"> & { problems?: SettingsProblem[] } {
  const parsed = PortalSettingsSchema.safeParse(doc);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message }));
  return { ...err("invalid_settings", problems.map((p) => `${p.path}: ${p.message}`).join("; ")), problems };
}

/** Whether `automation` may write to the CRM now: it is switched on and the kill switch is off. */
export function mayWrite(settings: PortalSettings, automation: Automation): boolean {
  return !settings.killSwitch && settings.automations[automation];
}
