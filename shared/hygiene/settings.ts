import { z } from "zod";
import { err, ok, type Result } from "../result.ts";

/** Per-field fix policy: `off` hides fixes, `suggest` shows them on the card, `auto` applies safe ones on change. */
export const FixPolicySchema = z.enum(["off", "suggest", "auto"]);
export type FixPolicy = z.infer<typeof FixPolicySchema>;

const field = z.string().trim().min(1, "a field name is required");
const weight = z.number().min(0).max(100);
const policies = z.record(field, FixPolicySchema).default({});

/** Default required fields and their weights: what a rep needs to work the record. */
export const DEFAULT_REQUIRED = {
  contacts: { email: 3, firstName: 2, lastName: 2, phone: 1, company: 1, jobTitle: 1, country: 1 },
  companies: { name: 3, domain: 3, industry: 1, country: 1, phone: 1 },
  deals: { name: 2, amount: 3, closeDate: 3, ownerId: 2, pipelineId: 1, stageId: 1 },
} as const;

/** Default part weights (relative; parts without data are left out and the rest re-spread). */
export const DEFAULT_PART_WEIGHTS = { completeness: 35, validity: 30, consistency: 15, freshness: 10, uniqueness: 10 } as const;

const requiredFor = (defaults: Record<string, number>) => z.record(field, weight).default({ ...defaults });

export const HygieneSettingsSchema = z
  .object({
    /** Region for phone numbers written without a calling code when the record has no country (ISO alpha-2). */
    defaultRegion: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, "an ISO 3166-1 alpha-2 code such as US")
      .transform((s) => s.toUpperCase())
      .default("US"),
    /** A record untouched this many days scores 0 on freshness (linear from 100 when just touched). */
    freshnessHorizonDays: z.number().int().min(1).max(3650).default(365),
    /** How country fixes are written: the ISO code ("DE") or the English name ("Germany"). */
    countryFormat: z.enum(["code", "name"]).default("name"),
    /** Fix policy per object and field (domain field names: email, phone, firstName, country…); unlisted fields use `defaultFixPolicy`. */
    fixPolicy: z.object({ contacts: policies, companies: policies, deals: policies }).strict().prefault({}),
    /** `off` or `suggest` only: automatic writes are opted into field by field. */
    defaultFixPolicy: z.enum(["off", "suggest"]).default("suggest"),
    /** Required fields and their weights per object; a listed field absent from the record lowers completeness. */
    required: z
      .object({
        contacts: requiredFor(DEFAULT_REQUIRED.contacts),
        companies: requiredFor(DEFAULT_REQUIRED.companies),
        deals: requiredFor(DEFAULT_REQUIRED.deals),
      })
      .strict()
      .prefault({}),
    partWeights: z
      .object({
        completeness: weight.default(DEFAULT_PART_WEIGHTS.completeness),
        validity: weight.default(DEFAULT_PART_WEIGHTS.validity),
        consistency: weight.default(DEFAULT_PART_WEIGHTS.consistency),
        freshness: weight.default(DEFAULT_PART_WEIGHTS.freshness),
        uniqueness: weight.default(DEFAULT_PART_WEIGHTS.uniqueness),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type HygieneSettings = z.infer<typeof HygieneSettingsSchema>;
export type HygieneObjectType = "contacts" | "companies" | "deals";
export type SettingsProblem = { path: string; message: string };

/** The documented defaults (`{}` parsed). */
export function defaultHygieneSettings(): HygieneSettings {
  return HygieneSettingsSchema.parse({});
}

/** Validates a hygiene settings document, listing every problem with its path. */
export function parseHygieneSettings(doc: unknown): Result<HygieneSettings, "invalid_settings"> & { problems?: SettingsProblem[] } {
  const parsed = HygieneSettingsSchema.safeParse(doc);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message }));
  return { ...err("invalid_settings", problems.map((p) => `${p.path}: ${p.message}`).join("; ")), problems };
}

/** The fix policy for one field of one object. */
export function fixPolicyFor(settings: HygieneSettings, objectType: HygieneObjectType, fieldName: string): FixPolicy {
  return settings.fixPolicy[objectType][fieldName] ?? settings.defaultFixPolicy;
}
