import { z } from "zod";

/** How the surviving record of a merge is chosen. */
export const PRIMARY_RULES = ["oldest", "most_complete", "most_recent_activity", "has_owner"] as const;
/** How each field's surviving value is chosen. */
export const FIELD_RULES = ["most_recent_non_empty", "most_complete", "primary_wins", "keep_all"] as const;

const ThresholdsSchema = z
  .object({
    merge: z.number().gt(0).lte(1).default(0.99),
    review: z.number().gt(0).lte(1).default(0.5),
  })
  .strict()
  .refine((t) => t.review <= t.merge, { message: "the review threshold must not exceed the merge threshold" });

/** The dedupe part of a portal's settings; `{}` parses to the documented defaults (auto-merge off). */
export const DedupeSettingsSchema = z
  .object({
    thresholds: ThresholdsSchema.default({ merge: 0.99, review: 0.5 }),
    /** Merge `merge`-level pairs automatically; review-level pairs are only ever suggested. */
    autoMerge: z.boolean().default(false),
    /** Tie-breaking order for choosing the surviving record. */
    primaryRules: z.array(z.enum(PRIMARY_RULES)).min(1).default(["has_owner", "most_recent_activity", "most_complete", "oldest"]),
    defaultFieldRule: z.enum(FIELD_RULES).default("most_recent_non_empty"),
    /** Per-field overrides by domain field name, e.g. `{ email: "keep_all", ownerId: "primary_wins" }`. */
    fieldRules: z.record(z.string(), z.enum(FIELD_RULES)).default({ email: "keep_all", ownerId: "primary_wins" }),
    /** Learn the match weights from the portal's own data by EM. */
    learnWeights: z.boolean().default(false),
  })
  .strict();

export type DedupeSettings = z.infer<typeof DedupeSettingsSchema>;
export type PrimaryRule = (typeof PRIMARY_RULES)[number];
export type FieldRule = (typeof FIELD_RULES)[number];
