import { z } from "zod";
import { err, ok, type Result } from "../result.ts";
import { FRAMEWORK_ELEMENTS, FRAMEWORKS, type FrameworkName } from "./frameworks.ts";

const property = z.string().trim().min(1, "a property name is required");
/** Overrides the requirement's wording on the card, e.g. "Next step agreed with the buyer". */
const label = z.string().trim().min(1).max(200).optional();

/** Value predicates on one deal property; `equals` and `one_of` compare trimmed values, ignoring case. */
export const PredicateSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("not_empty"), property, label }).strict(),
  z.object({ op: z.literal("equals"), property, value: z.string().trim().min(1), label }).strict(),
  z
    .object({ op: z.literal("one_of"), property, values: z.array(z.string().trim().min(1)).min(1, "list at least one value"), label })
    .strict(),
  z.object({ op: z.literal("number_at_least"), property, min: z.number().finite(), label }).strict(),
  z.object({ op: z.literal("date_in_future"), property, label }).strict(),
  z.object({ op: z.literal("date_in_past"), property, label }).strict(),
  z.object({ op: z.literal("changed_since_stage_entered"), property, label }).strict(),
]);

/** Associations the deal must have; `role` is a contact-to-deal association label, compared ignoring case. */
export const AssociationRuleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("contacts_at_least"), min: z.number().int().min(1).max(100), label }).strict(),
  z.object({ kind: z.literal("contact_with_role"), role: z.string().trim().min(1), label }).strict(),
  z.object({ kind: z.literal("company"), label }).strict(),
]);

/** A minimum score (0–100) on one qualification framework. */
export const QualificationRuleSchema = z
  .object({ framework: z.enum(FRAMEWORKS), minScore: z.number().int().min(0).max(100), label })
  .strict();

/** What a deal needs to LEAVE one stage; every list defaults to empty. */
export const StageCriteriaSchema = z
  .object({
    required: z.array(property).max(100).default([]),
    predicates: z.array(PredicateSchema).max(100).default([]),
    associations: z.array(AssociationRuleSchema).max(20).default([]),
    qualification: z.array(QualificationRuleSchema).max(4).default([]),
  })
  .strict();

const ExemptionsSchema = z
  .object({
    teamIds: z.array(z.string().trim().min(1)).default([]),
    userIds: z.array(z.string().trim().min(1)).default([]),
  })
  .strict();

/** One pipeline's gates. Defaults: warn only, backward moves and closed-lost from any stage allowed, no exemptions. */
export const PipelineGateSchema = z
  .object({
    mode: z.enum(["enforce", "warn"]).default("warn"),
    allowBackward: z.boolean().default(true),
    /** When false, closed-lost is gated like closed-won: a forward move past every remaining open stage. */
    allowClosedLostFromAnyStage: z.boolean().default(true),
    exemptions: ExemptionsSchema.prefault({}),
    /** Exit criteria by stage id. */
    stages: z.record(z.string().min(1), StageCriteriaSchema).default({}),
  })
  .strict();

const ElementMappingSchema = (defaultProperty: string) =>
  z
    .object({
      property: property.default(defaultProperty),
      weight: z.number().positive().max(100).default(1),
      /** For 0–N rating properties: the rating that counts as full. Absent: any non-blank value counts as full. */
      scale: z.number().positive().max(100).optional(),
    })
    .strict()
    .prefault({});

function frameworkMappingSchema(framework: FrameworkName) {
  const shape: Record<string, ReturnType<typeof ElementMappingSchema>> = {};
  for (const e of FRAMEWORK_ELEMENTS[framework]) shape[e.key] = ElementMappingSchema(e.defaultProperty);
  return z.object(shape).strict().prefault({});
}

/** Values that count as "not filled" for framework elements, besides empty. */
export const DEFAULT_BLANK_VALUES = ["no", "none", "unknown", "n/a", "na", "tbd", "false", "-"];

const QualificationSettingsSchema = z
  .object({
    blankValues: z.array(z.string()).default(DEFAULT_BLANK_VALUES),
    MEDDICC: frameworkMappingSchema("MEDDICC"),
    MEDDPICC: frameworkMappingSchema("MEDDPICC"),
    BANT: frameworkMappingSchema("BANT"),
    SPICED: frameworkMappingSchema("SPICED"),
  })
  .strict();

/** The stage-gates part of a portal's settings; `{}` parses to the documented defaults (no gates, warn mode). */
export const StageGateSettingsSchema = z
  .object({
    /** Gates by pipeline id; a pipeline absent here has no criteria. */
    pipelines: z.record(z.string().min(1), PipelineGateSchema).default({}),
    /** Which deal property each framework element reads. */
    qualification: QualificationSettingsSchema.prefault({}),
    /** The property whose history records stage changes (HubSpot `dealstage`; a Salesforce adapter maps `StageName` to it). */
    stageProperty: property.default("dealstage"),
  })
  .strict();

export type StageGateSettings = z.infer<typeof StageGateSettingsSchema>;
export type PipelineGate = z.infer<typeof PipelineGateSchema>;
export type StageCriteria = z.infer<typeof StageCriteriaSchema>;
export type Predicate = z.infer<typeof PredicateSchema>;
export type AssociationRule = z.infer<typeof AssociationRuleSchema>;
export type QualificationRule = z.infer<typeof QualificationRuleSchema>;
export type GateMode = PipelineGate["mode"];
export type SettingsProblem = { path: string; message: string };

/** The documented defaults: no pipeline gated, HubSpot-style framework property names. */
export function defaultStageGateSettings(): StageGateSettings {
  return StageGateSettingsSchema.parse({});
}

/** The gate a pipeline without settings gets: warn mode and no criteria. */
export const DEFAULT_PIPELINE_GATE: PipelineGate = PipelineGateSchema.parse({});

/** Validates a stage-gates document, listing every problem with its path. */
export function parseStageGateSettings(doc: unknown): Result<StageGateSettings, "invalid_settings"> & { problems?: SettingsProblem[] } {
  const parsed = StageGateSettingsSchema.safeParse(doc);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message }));
  return { ...err("invalid_settings", problems.map((p) => `${p.path}: ${p.message}`).join("; ")), problems };
}
