import type { z } from "zod";
import { COMPANY_PROPERTIES, CONTACT_PROPERTIES, NUMERIC_PROPERTIES } from "./properties.ts";

type Ctx = z.RefinementCtx;
type Shape = {
  reps: readonly { ownerId: string }[];
  queues: readonly { id: string; members: readonly string[] }[];
  rules: readonly {
    id: string;
    queue: string;
    conditions: readonly { property: string; source: "contact" | "company"; operator: string }[];
  }[];
  fallbackQueue: string | null;
};

const CONTACT: ReadonlySet<string> = new Set(CONTACT_PROPERTIES);
const COMPANY: ReadonlySet<string> = new Set(COMPANY_PROPERTIES);
const NUMERIC_OPERATORS = new Set(["between", "gte", "lte"]);

/** Cross-references zod cannot see field by field: unique ids, queue members, rule targets, property names. */
export function checkRoutingReferences(s: Shape, ctx: Ctx): void {
  const repIds = uniqueIds(
    s.reps.map((r) => r.ownerId),
    ["reps"],
    "ownerId",
    "rep",
    ctx,
  );
  const queueIds = uniqueIds(
    s.queues.map((q) => q.id),
    ["queues"],
    "id",
    "queue",
    ctx,
  );
  uniqueIds(
    s.rules.map((r) => r.id),
    ["rules"],
    "id",
    "rule",
    ctx,
  );
  s.queues.forEach((q, i) => {
    checkMembers(q.members, repIds, ["queues", i, "members"], ctx);
  });
  s.rules.forEach((rule, i) => {
    if (!queueIds.has(rule.queue)) ctx.addIssue({ code: "custom", message: `unknown queue "${rule.queue}"`, path: ["rules", i, "queue"] });
    rule.conditions.forEach((c, j) => {
      checkCondition(c, ["rules", i, "conditions", j], ctx);
    });
  });
  if (s.fallbackQueue !== null && !queueIds.has(s.fallbackQueue)) {
    ctx.addIssue({ code: "custom", message: `unknown queue "${s.fallbackQueue}"`, path: ["fallbackQueue"] });
  }
}

function uniqueIds(ids: readonly string[], path: (string | number)[], field: string, what: string, ctx: Ctx): Set<string> {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) ctx.addIssue({ code: "custom", message: `${what} "${id}" is listed twice`, path: [...path, i, field] });
    seen.add(id);
  });
  return seen;
}

function checkMembers(members: readonly string[], repIds: ReadonlySet<string>, path: (string | number)[], ctx: Ctx): void {
  if (members.length === 0) ctx.addIssue({ code: "custom", message: "a queue needs at least one rep", path });
  const seen = new Set<string>();
  members.forEach((m, j) => {
    if (!repIds.has(m)) ctx.addIssue({ code: "custom", message: `unknown rep "${m}" (not in reps)`, path: [...path, j] });
    else if (seen.has(m)) ctx.addIssue({ code: "custom", message: `rep "${m}" is listed twice`, path: [...path, j] });
    seen.add(m);
  });
}

function checkCondition(c: Shape["rules"][number]["conditions"][number], path: (string | number)[], ctx: Ctx): void {
  const known = c.source === "company" ? COMPANY : CONTACT;
  if (!known.has(c.property)) {
    const list = [...known].join(", ");
    ctx.addIssue({ code: "custom", message: `unknown ${c.source} property "${c.property}" (known: ${list})`, path: [...path, "property"] });
  } else if (NUMERIC_OPERATORS.has(c.operator) && !NUMERIC_PROPERTIES.has(c.property)) {
    ctx.addIssue({
      code: "custom",
      message: `${c.operator} compares numbers; "${c.property}" is not numeric`,
      path: [...path, "operator"],
    });
  }
}
