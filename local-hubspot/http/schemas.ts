import { z } from "zod";

// HubSpot coerces numbers and booleans to strings; null clears a value like "".
const value = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? "" : String(v)));
export const PropertiesSchema = z.record(z.string(), value);

export const AssociationInputSchema = z.object({
  to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
  types: z.array(z.object({ associationCategory: z.string(), associationTypeId: z.number().int() })),
});

export const CreateSchema = z.object({
  properties: PropertiesSchema.default({}),
  associations: z.array(AssociationInputSchema).optional(),
});
export const UpdateSchema = z.object({ properties: PropertiesSchema });
export const MergeSchema = z.object({
  primaryObjectId: z.union([z.string(), z.number()]).transform(String),
  objectIdToMerge: z.union([z.string(), z.number()]).transform(String),
});

const FilterSchema = z.object({
  propertyName: z.string().min(1),
  operator: z.enum([
    "EQ",
    "NEQ",
    "LT",
    "LTE",
    "GT",
    "GTE",
    "BETWEEN",
    "IN",
    "NOT_IN",
    "HAS_PROPERTY",
    "NOT_HAS_PROPERTY",
    "CONTAINS_TOKEN",
    "NOT_CONTAINS_TOKEN",
  ]),
  value: value.optional(),
  highValue: value.optional(),
  values: z.array(value).optional(),
});
export const SearchSchema = z.object({
  filterGroups: z.array(z.object({ filters: z.array(FilterSchema) })).default([]),
  sorts: z.array(z.union([z.string(), z.object({ propertyName: z.string(), direction: z.string().optional() })])).default([]),
  query: z.string().max(3000).optional(),
  properties: z.array(z.string()).default([]),
  limit: z.number().int().min(0).default(10),
  after: z.union([z.string(), z.number()]).transform(String).optional(),
});

const id = z.union([z.string(), z.number()]).transform(String);
export const BatchIdsSchema = z.object({ inputs: z.array(z.object({ id })) });
export const BatchReadSchema = z.object({
  inputs: z.array(z.object({ id })),
  properties: z.array(z.string()).default([]),
  propertiesWithHistory: z.array(z.string()).default([]),
  idProperty: z.string().optional(),
});
export const BatchCreateSchema = z.object({ inputs: z.array(CreateSchema) });
export const BatchUpdateSchema = z.object({
  inputs: z.array(z.object({ id, idProperty: z.string().optional(), properties: PropertiesSchema })),
});
export const BatchUpsertSchema = z.object({
  inputs: z.array(z.object({ id, idProperty: z.string().optional(), properties: PropertiesSchema })),
});

/** zod issues as HubSpot's validation message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
}
