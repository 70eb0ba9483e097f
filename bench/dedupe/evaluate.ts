import type { MessyContactsTruth } from "../../test/fixtures/messy-contacts.ts";

export type PairRow = { idA: string; idB: string; decision: "merge" | "review" };
export type Quality = {
  truePairs: number;
  autoMergePrecision: number;
  autoMergeRecall: number;
  precision: number;
  recall: number;
  f1: number;
  falsePairsByKind: Record<string, number>;
};

/** Scores a verdict against the generator's truth: merge pairs after transitive closure, and merge + review pairs. */
export function evaluatePairs(pairs: readonly PairRow[], ids: readonly string[], truth: MessyContactsTruth): Quality {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r) as string;
    parent.set(x, r);
    return r;
  };
  for (const p of pairs) if (p.decision === "merge") parent.set(find(p.idA), find(p.idB));
  const clusters = new Map<string, string[]>();
  for (const id of ids) {
    const root = find(id);
    const list = clusters.get(root);
    if (list) list.push(id);
    else if (parent.has(id)) clusters.set(root, [id]);
  }
  const same = (a: string, b: string) => truth.entityOf.get(a) === truth.entityOf.get(b);
  let merged = 0;
  let mergedTrue = 0;
  for (const members of clusters.values()) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        merged++;
        if (same(members[i] as string, members[j] as string)) mergedTrue++;
      }
    }
  }
  let tp = 0;
  const falsePairsByKind: Record<string, number> = {};
  for (const p of pairs) {
    if (same(p.idA, p.idB)) tp++;
    else {
      const kinds = [truth.kindOf.get(p.idA), truth.kindOf.get(p.idB)].sort().join("/");
      const key = `${p.decision}:${kinds}`;
      falsePairsByKind[key] = (falsePairsByKind[key] ?? 0) + 1;
    }
  }
  const precision = pairs.length ? tp / pairs.length : 1;
  const recall = truth.truePairs ? tp / truth.truePairs : 1;
  return {
    truePairs: truth.truePairs,
    autoMergePrecision: merged ? mergedTrue / merged : 1,
    autoMergeRecall: truth.truePairs ? mergedTrue / truth.truePairs : 1,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    falsePairsByKind,
  };
}

/** Share of true pairs that blocking put in front of the scorer at all. */
export function pairCompleteness(candidateIds: Iterable<[string, string]>, truth: MessyContactsTruth): number {
  let found = 0;
  for (const [a, b] of candidateIds) if (truth.entityOf.get(a) === truth.entityOf.get(b)) found++;
  return truth.truePairs ? found / truth.truePairs : 1;
}
