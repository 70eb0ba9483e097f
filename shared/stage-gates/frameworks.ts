/**
 * Ready-made qualification frameworks: each element is one deal property, scored 0–1, and the framework 0–100 as the
 * weighted mean of its elements. The property each element reads is configurable (see `settings.ts`).
 */
export const FRAMEWORKS = ["MEDDICC", "MEDDPICC", "BANT", "SPICED"] as const;
export type FrameworkName = (typeof FRAMEWORKS)[number];

/** One letter of a framework: what it is called, what is said when it is missing, and its default property. */
export type FrameworkElement = {
  readonly key: string;
  readonly letter: string;
  readonly label: string;
  readonly missing: string;
  readonly defaultProperty: string;
};

const el = (key: string, letter: string, label: string, missing: string, defaultProperty: string): FrameworkElement => ({
  key,
  letter,
  label,
  missing,
  defaultProperty,
});

const meddicc = (prefix: string, paper: boolean): FrameworkElement[] => [
  el("metrics", "M", "Metrics", "Metrics not quantified", `${prefix}_metrics`),
  el("economicBuyer", "E", "Economic buyer", "Economic buyer not identified", `${prefix}_economic_buyer`),
  el("decisionCriteria", "D", "Decision criteria", "Decision criteria not documented", `${prefix}_decision_criteria`),
  el("decisionProcess", "D", "Decision process", "Decision process not documented", `${prefix}_decision_process`),
  ...(paper ? [el("paperProcess", "P", "Paper process", "Paper process not documented", `${prefix}_paper_process`)] : []),
  el("identifyPain", "I", "Identified pain", "Pain not identified", `${prefix}_identified_pain`),
  el("champion", "C", "Champion", "Champion not identified", `${prefix}_champion`),
  el("competition", "C", "Competition", "Competition not assessed", `${prefix}_competition`),
];

/** The elements of each framework, in the order of its acronym. */
export const FRAMEWORK_ELEMENTS: Readonly<Record<FrameworkName, readonly FrameworkElement[]>> = {
  MEDDICC: meddicc("meddicc", false),
  MEDDPICC: meddicc("meddpicc", true),
  BANT: [
    el("budget", "B", "Budget", "Budget not confirmed", "bant_budget"),
    el("authority", "A", "Authority", "Authority not identified", "bant_authority"),
    el("need", "N", "Need", "Need not established", "bant_need"),
    el("timeline", "T", "Timeline", "Timeline not set", "bant_timeline"),
  ],
  SPICED: [
    el("situation", "S", "Situation", "Situation not described", "spiced_situation"),
    el("pain", "P", "Pain", "Pain not identified", "spiced_pain"),
    el("impact", "I", "Impact", "Impact not quantified", "spiced_impact"),
    el("criticalEvent", "CE", "Critical event", "Critical event not identified", "spiced_critical_event"),
    el("decision", "D", "Decision", "Decision criteria and process not documented", "spiced_decision"),
  ],
};

/** How one element is read: its property, its weight in the score, and (for 0–N rating properties) its scale. */
export type ElementMapping = { property: string; weight: number; scale?: number | undefined };
export type FrameworkMapping = Record<string, ElementMapping>;

/** One element's contribution: 0–1, met only when full. */
export type ElementScore = {
  key: string;
  letter: string;
  label: string;
  property: string;
  value: string | null;
  score: number;
  met: boolean;
  reason: string;
};

/** A framework's score (0–100, rounded) with every element and why. */
export type QualificationScore = { framework: FrameworkName; score: number; elements: ElementScore[] };

/** Scores `framework` from property values read through `read`; `blankValues` (lower case) count as not filled. */
export function scoreFramework(
  framework: FrameworkName,
  mapping: FrameworkMapping,
  read: (property: string) => string | null,
  blankValues: ReadonlySet<string>,
): QualificationScore {
  let weighted = 0;
  let total = 0;
  const elements = FRAMEWORK_ELEMENTS[framework].map((def) => {
    const m = mapping[def.key] ?? { property: def.defaultProperty, weight: 1 };
    const scored = scoreElement(framework, def, m, read(m.property), blankValues);
    weighted += scored.score * m.weight;
    total += m.weight;
    return scored;
  });
  return { framework, score: total === 0 ? 0 : Math.round((100 * weighted) / total), elements };
}

function scoreElement(
  framework: FrameworkName,
  def: FrameworkElement,
  m: ElementMapping,
  value: string | null,
  blankValues: ReadonlySet<string>,
): ElementScore {
  const tag = `(${framework} ${def.letter})`;
  const base = { key: def.key, letter: def.letter, label: def.label, property: m.property, value };
  if (value === null || blankValues.has(value.trim().toLowerCase())) {
    return { ...base, score: 0, met: false, reason: `${def.missing} ${tag}` };
  }
  if (m.scale === undefined) return { ...base, score: 1, met: true, reason: `${def.label}: ${value} ${tag}` };
  const rating = Number(value);
  if (!Number.isFinite(rating)) {
    return { ...base, score: 0, met: false, reason: `${def.label} rating "${value}" is not a number ${tag}` };
  }
  const score = Math.min(1, Math.max(0, rating / m.scale));
  const reason = score >= 1 ? `${def.label} rated ${rating} of ${m.scale} ${tag}` : `${def.missing}: rated ${rating} of ${m.scale} ${tag}`;
  return { ...base, score, met: score >= 1, reason };
}
