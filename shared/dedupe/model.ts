/**
 * The Fellegi-Sunter model: for each field and agreement level, m = P(level | same person) and u = P(level | different
 * people). A level's weight is log2(m / u); for exact agreement on a term-frequency field u is the value's frequency.
 */
export const LEVELS = [
  "first.exact",
  "first.nickname",
  "first.fuzzy",
  "first.initial",
  "first.conflict",
  "last.exact",
  "last.fuzzy",
  "last.conflict",
  "email.exact",
  "email.role",
  "email.fuzzy",
  "email.local",
  "email.disagree",
  "phone.exact",
  "phone.partial",
  "phone.disagree",
  "company.exact",
  "company.fuzzy",
  "company.disagree",
  "address.street",
  "address.postal",
  "address.city",
  "address.disagree",
  "title.exact",
  "title.disagree",
] as const;
export type Level = (typeof LEVELS)[number];

/** Each level's position in `LEVELS`: compared pairs carry their levels as these small numbers. */
export const LEVEL_INDEX = Object.fromEntries(LEVELS.map((level, i) => [level, i])) as Record<Level, number>;
/** The level number of a field with no evidence (a side is missing). */
export const NO_LEVEL = -1;

export type MatchModel = {
  m: Record<Level, number>;
  /** Ignored for exact agreement on term-frequency fields, where the value's own frequency is used. */
  u: Record<Level, number>;
  /** log2 odds added to every pair on top of -log2(population): how many duplicates a contact has, a priori. */
  priorOffset: number;
};

/** Defaults chosen from CRM experience; `learnModel` refines m from the portal's own data. */
export const DEFAULT_MODEL: MatchModel = {
  m: {
    "first.exact": 0.8,
    "first.nickname": 0.1,
    "first.fuzzy": 0.05,
    "first.initial": 0.03,
    "first.conflict": 0.0005,
    "last.exact": 0.85,
    "last.fuzzy": 0.12,
    "last.conflict": 0.001,
    "email.exact": 0.6,
    "email.role": 0.05,
    "email.fuzzy": 0.02,
    "email.local": 0.05,
    "email.disagree": 0.33,
    "phone.exact": 0.65,
    "phone.partial": 0.05,
    "phone.disagree": 0.3,
    "company.exact": 0.6,
    "company.fuzzy": 0.1,
    "company.disagree": 0.3,
    "address.street": 0.6,
    "address.postal": 0.15,
    "address.city": 0.15,
    "address.disagree": 0.1,
    "title.exact": 0.5,
    "title.disagree": 0.5,
  },
  u: {
    "first.exact": 0.01,
    "first.nickname": 0.003,
    "first.fuzzy": 0.003,
    "first.initial": 0.04,
    "first.conflict": 0.95,
    "last.exact": 0.001,
    "last.fuzzy": 0.002,
    "last.conflict": 0.99,
    "email.exact": 1e-8,
    "email.role": 0.02,
    "email.fuzzy": 1e-5,
    "email.local": 0.04,
    "email.disagree": 1,
    "phone.exact": 1e-7,
    "phone.partial": 1e-5,
    "phone.disagree": 1,
    "company.exact": 1e-4,
    "company.fuzzy": 1e-3,
    "company.disagree": 0.99,
    "address.street": 1e-5,
    "address.postal": 1e-3,
    "address.city": 0.05,
    "address.disagree": 0.95,
    "title.exact": 0.1,
    "title.disagree": 0.9,
  },
  priorOffset: 0,
};

/** Precomputed log2(m/u) per level. */
export function levelWeights(model: MatchModel): Record<Level, number> {
  const out = {} as Record<Level, number>;
  for (const l of LEVELS) out[l] = Math.log2(model.m[l] / model.u[l]);
  return out;
}
