import { err, ok, type Result } from "../result.ts";
import { candidatePairs, DEFAULT_BLOCKING, decodePair, MAX_RECORDS } from "./blocking.ts";
import { clusterLinks, type Link, type Thresholds } from "./cluster.ts";
import { compareNames, compareOtherFields, newPairLevels } from "./compare.ts";
import { countTerms } from "./frequencies.ts";
import { learnModel } from "./learn.ts";
import { DEFAULT_MODEL, type MatchModel } from "./model.ts";
import { NameLevels } from "./name-levels.ts";
import { createContactPreparer } from "./prepare.ts";
import { makeScorer, namesCeiling, scorePair, weighLevels } from "./score.ts";
import type { DedupeContact, FieldEvidence, PreparedContact } from "./types.ts";

/** A duplicate pair in the engine's verdict: ids ordered (`idA < idB`), probability, decision and evidence. */
export type DuplicatePair = {
  idA: string;
  idB: string;
  score: number;
  decision: "merge" | "review";
  evidence: FieldEvidence[];
  /** Why auto-merge is ruled out for this pair (then `decision` is `review`), if it is. */
  veto: string | null;
};

export type FindDuplicatesOptions = {
  thresholds?: Partial<Thresholds>;
  /** Refine the model's m-probabilities from this data by EM (default off: on generated data it cost precision). */
  learn?: boolean;
  model?: MatchModel;
  /** Collect each pair's per-field evidence (default true; the CLI writes no evidence and skips it). */
  evidence?: boolean;
  onProgress?: (stage: string, done: number, total: number) => void;
};

export type DedupeStats = { records: number; candidatePairs: number; blocks: number; largeBlocks: number; model: MatchModel };

/** Default thresholds on the match probability. */
export const DEFAULT_THRESHOLDS: Thresholds = { merge: 0.99, review: 0.5 };

const PROGRESS_EVERY = 200_000;
const PAIR_PROGRESS_EVERY = 1_000_000;
/** Distinct raw values per field whose canonical forms a batch remembers (names, employers, streets…). */
export const BATCH_MEMO = 200_000;
/** Name pairs whose levels a batch remembers (a million contacts compare about 800,000 distinct ones). */
const BATCH_NAME_PAIRS = 1_000_000;

/**
 * Finds duplicate contacts in a batch: canonicalise, block, score with term-frequency-adjusted Fellegi-Sunter weights,
 * cluster. Returns every pair at or above the review threshold with the clustering's decision and its evidence.
 */
export function findDuplicateContacts(
  contacts: readonly DedupeContact[],
  options: FindDuplicatesOptions = {},
): Result<{ pairs: DuplicatePair[]; stats: DedupeStats; prepared: PreparedContact[] }, "too_many_records" | "bad_thresholds"> {
  const progress = options.onProgress ?? (() => {});
  const prepared: PreparedContact[] = new Array(contacts.length);
  const prepare = createContactPreparer(BATCH_MEMO);
  for (let i = 0; i < contacts.length; i++) {
    prepared[i] = prepare(contacts[i] as DedupeContact);
    if (i % PROGRESS_EVERY === 0 && i > 0) progress("prepare", i, contacts.length);
  }
  return findDuplicatesAmongPrepared(prepared, options);
}

/** The same on contacts already canonicalised by `prepareContact` (the CLI prepares rows as it reads them, to save memory). */
export function findDuplicatesAmongPrepared(
  prepared: PreparedContact[],
  options: FindDuplicatesOptions = {},
): Result<{ pairs: DuplicatePair[]; stats: DedupeStats; prepared: PreparedContact[] }, "too_many_records" | "bad_thresholds"> {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  if (!(thresholds.review > 0 && thresholds.review <= thresholds.merge && thresholds.merge <= 1)) {
    return err("bad_thresholds", `need 0 < review (${thresholds.review}) <= merge (${thresholds.merge}) <= 1`);
  }
  if (prepared.length > MAX_RECORDS) return err("too_many_records", `at most ${MAX_RECORDS} contacts per batch`);
  const progress = options.onProgress ?? (() => {});
  const tf = countTerms(prepared);
  const blocking = candidatePairs(prepared, DEFAULT_BLOCKING);
  progress("blocking", blocking.codes.length, blocking.codes.length);
  const learn = options.learn ?? false;
  const model = learn ? learnModel(prepared, blocking.codes, tf, options.model ?? DEFAULT_MODEL) : (options.model ?? DEFAULT_MODEL);
  const scorer = makeScorer(tf, model);
  const links: Link[] = [];
  const levels = newPairLevels();
  const reviewWeight = Math.log2(thresholds.review / (1 - thresholds.review));
  const names = new NameLevels(BATCH_NAME_PAIRS);
  for (let p = 0; p < blocking.codes.length; p++) {
    if (p % PAIR_PROGRESS_EVERY === 0 && p > 0) progress("scoring", p, blocking.codes.length);
    const [a, b] = decodePair(blocking.codes[p] as number);
    const ca = prepared[a] as PreparedContact;
    const cb = prepared[b] as PreparedContact;
    compareNames(ca, cb, levels, names);
    // Names that say "different people" cap the score: most such pairs need no further comparison.
    if (namesCeiling(ca, cb, levels, scorer, a, b) < reviewWeight) continue;
    const s = weighLevels(ca, cb, compareOtherFields(ca, cb, levels), scorer, undefined, a, b);
    if (s.score >= thresholds.review) links.push({ a, b, score: s.score, veto: s.veto });
  }
  const verdicts = clusterLinks(links, thresholds, (a, b) =>
    scorePair(prepared[a] as PreparedContact, prepared[b] as PreparedContact, scorer, undefined, a, b),
  );
  const withEvidence = options.evidence ?? true;
  const pairs = verdicts.map((v) => {
    const a = prepared[v.a] as PreparedContact;
    const b = prepared[v.b] as PreparedContact;
    const evidence: FieldEvidence[] = [];
    const s = scorePair(a, b, scorer, withEvidence ? evidence : undefined, v.a, v.b);
    const [idA, idB] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
    return { idA, idB, score: v.score, decision: v.decision, evidence, veto: s.veto };
  });
  const stats = {
    records: prepared.length,
    candidatePairs: blocking.codes.length,
    blocks: blocking.blocks,
    largeBlocks: blocking.largeBlocks,
    model,
  };
  return ok({ pairs, stats, prepared });
}
