import { z } from "zod";
import { err, ok, type Result } from "../result.ts";
import { isDateOnly, isValidTimeZone, parseHourRange } from "./hours.ts";
import { checkRoutingReferences } from "./settings-checks.ts";

export { COMPANY_PROPERTIES, CONTACT_PROPERTIES, NUMERIC_PROPERTIES } from "./properties.ts";

const id = z.string().trim().min(1, "an id is required");
const scalar = z.union([z.string().trim().min(1), z.number().finite()]);
const base = { property: z.string().trim().min(1), source: z.enum(["contact", "company"]).default("contact") };

/** One test on a property; `not_in` matches an empty value, every other operator but `exists` fails on it. */
export const ConditionSchema = z.discriminatedUnion("operator", [
  z.object({ ...base, operator: z.literal("eq"), value: scalar }).strict(),
  z.object({ ...base, operator: z.literal("in"), value: z.array(scalar).min(1, "list at least one value") }).strict(),
  z.object({ ...base, operator: z.literal("not_in"), value: z.array(scalar).min(1, "list at least one value") }).strict(),
  z
    .object({
      ...base,
      operator: z.literal("starts_with"),
      value: z.union([z.string().trim().min(1), z.array(z.string().trim().min(1)).min(1, "list at least one prefix")]),
    })
    .strict(),
  z
    .object({ ...base, operator: z.literal("between"), value: z.tuple([z.number().finite(), z.number().finite()]) })
    .strict()
    .refine((c) => c.value[0] <= c.value[1], { message: "between needs [min, max] with min <= max", path: ["value"] }),
  z.object({ ...base, operator: z.literal("gte"), value: z.number().finite() }).strict(),
  z.object({ ...base, operator: z.literal("lte"), value: z.number().finite() }).strict(),
  z.object({ ...base, operator: z.literal("exists"), value: z.boolean().default(true) }).strict(),
]);

const hourRange = z
  .string()
  .refine((s) => parseHourRange(s) !== null, { message: 'hours are "HH:MM-HH:MM", start before end, within 00:00-24:00' });

const dayHours = z
  .array(hourRange)
  .max(12)
  .superRefine((ranges, ctx) => {
    const parsed = ranges.map(parseHourRange).map((r, i) => ({ r, i }));
    const valid = parsed.filter((p) => p.r !== null).sort((a, b) => (a.r?.start ?? 0) - (b.r?.start ?? 0));
    for (let k = 1; k < valid.length; k++) {
      const prev = valid[k - 1];
      const cur = valid[k];
      if (prev?.r && cur?.r && cur.r.start < prev.r.end) {
        ctx.addIssue({ code: "custom", message: `overlaps "${ranges[prev.i]}"`, path: [cur.i] });
      }
    }
  });

/** Local working hours by weekday; a day left out is not worked. */
const WorkingHoursSchema = z
  .object({
    sun: dayHours.default([]),
    mon: dayHours.default([]),
    tue: dayHours.default([]),
    wed: dayHours.default([]),
    thu: dayHours.default([]),
    fri: dayHours.default([]),
    sat: dayHours.default([]),
  })
  .strict();

const nineToFive = ["09:00-17:00"];
const OFFICE_WEEK = { sun: [], mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive, sat: [] };

const bound = z
  .string()
  .trim()
  .refine((s) => isDateOnly(s) || (/T/.test(s) && /(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s))), {
    message: "a date (YYYY-MM-DD, whole local days) or an ISO date-time with offset",
  });

/** Time away; whole days (inclusive, in the rep's zone) or an instant range (end exclusive). */
export const TimeOffSchema = z
  .object({ start: bound, end: bound, reason: z.string().trim().max(200).optional() })
  .strict()
  .superRefine((p, ctx) => {
    if (isDateOnly(p.start) !== isDateOnly(p.end)) {
      ctx.addIssue({ code: "custom", message: "start and end must both be dates or both be date-times", path: ["end"] });
    } else if (isDateOnly(p.start) ? p.end < p.start : Date.parse(p.end) <= Date.parse(p.start)) {
      ctx.addIssue({ code: "custom", message: "end is before start", path: ["end"] });
    }
  });

/** A rep as routing knows them; the CRM's owners API has no hours, zone, time off, weight or cap, so they live here. */
export const RepSchema = z
  .object({
    ownerId: id,
    name: z.string().trim().min(1, "a name is required"),
    email: z.email().optional(),
    timeZone: z.string().refine(isValidTimeZone, { message: "not an IANA time zone (e.g. Europe/Berlin)" }),
    /** Local working hours by weekday; absent: Monday to Friday 09:00-17:00; given: only the days listed. */
    workingHours: WorkingHoursSchema.prefault(OFFICE_WEEK),
    timeOff: z.array(TimeOffSchema).max(200).default([]),
    /** Share in weighted round robin, relative to the queue's other members. */
    weight: z.number().positive().max(1000).default(1),
    /** Most leads per local day; null for no cap. */
    dailyCap: z.number().int().min(1).nullable().default(null),
    active: z.boolean().default(true),
    /** Told when this rep misses the SLA. */
    managerOwnerId: id.nullable().default(null),
  })
  .strict();

export const STRATEGIES = ["round_robin", "weighted_round_robin", "load_balanced"] as const;

/** A queue or territory: the reps a rule can send leads to, and how it picks among them. */
export const QueueSchema = z
  .object({
    id,
    name: z.string().trim().min(1).optional(),
    strategy: z.enum(STRATEGIES).default("round_robin"),
    members: z.array(id).default([]),
  })
  .strict();

/** An ordered rule: every condition must hold (none: always); the first matching rule picks the queue. */
export const RuleSchema = z
  .object({ id, name: z.string().trim().min(1).optional(), conditions: z.array(ConditionSchema).max(50).default([]), queue: id })
  .strict();

const AccountMatchingSchema = z
  .object({
    enabled: z.boolean().default(true),
    byEmailDomain: z.boolean().default(true),
    byCompanyName: z.boolean().default(true),
    /** gmail.com and the like never match a company. */
    ignoreFreeEmailDomains: z.boolean().default(true),
    /** When true the account owner must also be within hours, not on time off and under cap; otherwise only active. */
    respectAvailability: z.boolean().default(false),
  })
  .strict();

/** The routing part of a portal's settings; `{}` parses to the documented defaults (see README). */
export const RoutingSettingsSchema = z
  .object({
    reps: z.array(RepSchema).max(2000).default([]),
    queues: z.array(QueueSchema).max(500).default([]),
    rules: z.array(RuleSchema).max(500).default([]),
    /** Where leads no rule matches go; null leaves them unassigned. */
    fallbackQueue: id.nullable().default(null),
    /** When the chosen queue has no available rep: try the fallback queue, or leave the lead for a later retry. */
    whenNoRepAvailable: z.enum(["fallback_queue", "leave_unassigned"]).default("fallback_queue"),
    accountMatching: AccountMatchingSchema.prefault({}),
    /** Minutes the assigned rep has to act before the lead is re-routed and the manager told; null turns it off. */
    slaMinutes: z.number().int().min(1).max(10_080).nullable().default(30),
  })
  .strict()
  .superRefine(checkRoutingReferences);

export type RoutingSettings = z.infer<typeof RoutingSettingsSchema>;
export type Rep = z.infer<typeof RepSchema>;
export type Queue = z.infer<typeof QueueSchema>;
export type RoutingRule = z.infer<typeof RuleSchema>;
export type Condition = z.infer<typeof ConditionSchema>;
export type Strategy = (typeof STRATEGIES)[number];
export type SettingsProblem = { path: string; message: string };

/** The documented defaults: no reps, queues or rules; account matching on; 30-minute SLA. */
export function defaultRoutingSettings(): RoutingSettings {
  return RoutingSettingsSchema.parse({});
}

/** Validates a routing document, listing every problem with its path. */
export function parseRoutingSettings(doc: unknown): Result<RoutingSettings, "invalid_settings"> & { problems?: SettingsProblem[] } {
  const parsed = RoutingSettingsSchema.safeParse(doc);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message }));
  return { ...err("invalid_settings", problems.map((p) => `${p.path}: ${p.message}`).join("; ")), problems };
}
