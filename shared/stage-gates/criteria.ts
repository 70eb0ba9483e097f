import type { FrameworkName, QualificationScore } from "./frameworks.ts";
import { checkPredicate, notEmpty, type PredicateContext } from "./predicates.ts";
import type { AssociationRule, QualificationRule, StageCriteria } from "./settings.ts";
import type { CriterionResult, DealAssociations } from "./types.ts";
import { propertyLabel, readDealProperty } from "./values.ts";

/** Everything a stage's criteria are checked against; `score` memoises framework scores across stages. */
export type CriteriaContext = PredicateContext & {
  associations: DealAssociations | undefined;
  score(framework: FrameworkName): QualificationScore;
};

/** Checks every exit criterion of one stage, in settings order: required, predicates, associations, qualification. */
export function checkStageCriteria(criteria: StageCriteria, ctx: CriteriaContext): CriterionResult[] {
  const out: CriterionResult[] = [];
  criteria.required.forEach((property, i) => {
    const o = notEmpty(propertyLabel(property, ctx.propertyLabels), readDealProperty(ctx.deal, property));
    out.push({ id: `required.${i}`, kind: "required", ...o, properties: [property] });
  });
  criteria.predicates.forEach((p, i) => {
    out.push({ id: `predicates.${i}`, kind: "predicate", ...checkPredicate(p, ctx), properties: [p.property] });
  });
  criteria.associations.forEach((a, i) => {
    out.push({ id: `associations.${i}`, kind: "association", ...checkAssociation(a, ctx.associations), properties: [] });
  });
  criteria.qualification.forEach((q, i) => {
    out.push({ id: `qualification.${i}`, ...checkQualification(q, ctx.score(q.framework)) });
  });
  return out;
}

type Outcome = { label: string; met: boolean; reason: string };

function checkAssociation(rule: AssociationRule, associations: DealAssociations | undefined): Outcome {
  const o = associationOutcome(rule, associations);
  return rule.label ? { ...o, label: rule.label } : o;
}

function associationOutcome(rule: AssociationRule, a: DealAssociations | undefined): Outcome {
  const contacts = a?.contacts ?? [];
  switch (rule.kind) {
    case "contacts_at_least": {
      const label = `At least ${rule.min} ${rule.min === 1 ? "contact" : "contacts"} associated`;
      const n = contacts.length;
      const has = `${n} ${n === 1 ? "contact" : "contacts"} associated`;
      return n >= rule.min ? { label, met: true, reason: has } : { label, met: false, reason: `${has}, needs ${rule.min}` };
    }
    case "contact_with_role": {
      const label = `A contact with the "${rule.role}" role`;
      const role = rule.role.toLowerCase();
      const found = contacts.find((c) => c.labels.some((l) => l.trim().toLowerCase() === role));
      if (found) return { label, met: true, reason: `Contact ${found.id} has the "${rule.role}" role` };
      return { label, met: false, reason: `No associated contact has the "${rule.role}" role` };
    }
    case "company": {
      const first = a?.companies[0];
      const label = "An associated company";
      return first
        ? { label, met: true, reason: `Company ${first.id} associated` }
        : { label, met: false, reason: "No company associated" };
    }
  }
}

function checkQualification(rule: QualificationRule, s: QualificationScore): Omit<CriterionResult, "id"> {
  const missing = s.elements.filter((e) => !e.met);
  const met = s.score >= rule.minScore;
  const label = rule.label ?? `${rule.framework} score at least ${rule.minScore}`;
  const gaps = missing.map((e) => e.reason).join("; ");
  const reason = met
    ? `${rule.framework} score ${s.score} (needs ${rule.minScore})`
    : `${rule.framework} score ${s.score} is below ${rule.minScore}${gaps ? `: ${gaps}` : ""}`;
  return { kind: "qualification", label, met, reason, properties: missing.map((e) => e.property), framework: rule.framework };
}
