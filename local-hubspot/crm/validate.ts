import type { PortalStore } from "../store/portal-store.ts";
import { OBJECT_TYPES, type ObjectTypeName, READ_ONLY_PROPERTIES } from "./object-types.ts";

/** One invalid property, in the shape HubSpot lists inside a VALIDATION_ERROR message. */
export type PropertyError = { isValid: false; message: string; error: string; name: string; localizedErrorMessage: string };

export type ExtraProperties = Partial<Record<ObjectTypeName, readonly string[]>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const INTEGER = /^-?\d+$/;
const LIFECYCLE = ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"];
const DECIMALS = new Set(["amount", "annualrevenue"]);
const INTEGERS = new Set(["numberofemployees", "associatedcompanyid"]);
const DATES = new Set(["closedate", "hs_timestamp", "createdate", "hs_createdate", "notes_last_updated"]);

const problem = (name: string, error: string, message: string): PropertyError => ({
  isValid: false,
  message,
  error,
  name,
  localizedErrorMessage: message,
});

function isDate(value: string): boolean {
  return INTEGER.test(value) || /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value);
}

/** Checks a write like HubSpot does: known names, writable, and values valid for their property type. */
export function validateProperties(
  store: PortalStore,
  type: ObjectTypeName,
  properties: Record<string, string>,
  current: Record<string, string> | undefined,
  extra: ExtraProperties,
): PropertyError[] {
  const info = OBJECT_TYPES[type];
  const known = new Set<string>([...info.known, ...info.defaults, info.created, info.modified, ...(extra[type] ?? [])]);
  const problems: PropertyError[] = [];
  for (const [name, value] of Object.entries(properties)) {
    if (!known.has(name)) problems.push(problem(name, "PROPERTY_DOESNT_EXIST", `Property "${name}" does not exist`));
    else if (READ_ONLY_PROPERTIES.has(name))
      problems.push(problem(name, "READ_ONLY_VALUE", `${name} is a read only property; its value cannot be set.`));
    else if (value !== "") problems.push(...checkValue(store, type, name, value, { ...current, ...properties }));
  }
  return problems;
}

function checkValue(
  store: PortalStore,
  type: ObjectTypeName,
  name: string,
  value: string,
  merged: Record<string, string>,
): PropertyError[] {
  if (name === "email" && !EMAIL.test(value)) return [problem(name, "INVALID_EMAIL", `Email address ${value} is invalid`)];
  if (DECIMALS.has(name) && !DECIMAL.test(value)) return [problem(name, "INVALID_DECIMAL", `${value} was not a valid decimal.`)];
  if (INTEGERS.has(name) && !INTEGER.test(value)) return [problem(name, "INVALID_INTEGER", `${value} was not a valid integer.`)];
  if (DATES.has(name) && !isDate(value)) return [problem(name, "INVALID_DATE", `${value} was not a valid date.`)];
  if (name === "hubspot_owner_id" && !store.owners.some((o) => o.id === value && !o.archived)) {
    return [problem(name, "INVALID_OPTION", `${value} was not one of the allowed options: the portal's owner ids`)];
  }
  if (name === "lifecyclestage" && !LIFECYCLE.includes(value)) {
    return [problem(name, "INVALID_OPTION", `${value} was not one of the allowed options: [${LIFECYCLE.join(", ")}]`)];
  }
  if (type === "deals" && name === "pipeline" && !store.pipelines.some((p) => p.id === value)) {
    return [
      problem(name, "INVALID_OPTION", `${value} was not one of the allowed options: [${store.pipelines.map((p) => p.id).join(", ")}]`),
    ];
  }
  if (type === "deals" && name === "dealstage") {
    const pipeline = store.pipelines.find((p) => p.id === (merged.pipeline ?? "default"));
    const stages = pipeline?.stages.map((s) => s.id) ?? [];
    if (!stages.includes(value))
      return [problem(name, "INVALID_OPTION", `${value} was not one of the allowed options: [${stages.join(", ")}]`)];
  }
  return [];
}

/** HubSpot's message for a rejected write: the invalid properties as a JSON list inside the text. */
export function describePropertyErrors(problems: PropertyError[]): string {
  return `Property values were not valid: ${JSON.stringify(problems)}`;
}
