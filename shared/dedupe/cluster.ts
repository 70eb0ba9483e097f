/** A scored link between two records (indexes), as clustering sees it. */
export type Link = { a: number; b: number; score: number; veto: string | null };

export type Thresholds = { merge: number; review: number };

/** A pair in the final verdict: `merge` pairs, merged transitively, give exactly the clusters. */
export type Verdict = { a: number; b: number; score: number; decision: "merge" | "review" };

const REC = 2 ** 23;
const code = (a: number, b: number) => (a < b ? a * REC + b : b * REC + a);

/**
 * Groups records into merge clusters without chaining strangers: links are taken strongest first, and two clusters join
 * only when every pair across them scores at least `review` and none is vetoed (a pair never scored is scored then).
 * Links the clustering declines stay `review`; every pair inside a cluster is `merge`.
 */
export function clusterLinks(
  links: readonly Link[],
  thresholds: Thresholds,
  scoreOf: (a: number, b: number) => { score: number; veto: string | null },
  maxClusterSize = 50,
): Verdict[] {
  const known = new Map<number, { score: number; veto: string | null }>();
  for (const l of links) known.set(code(l.a, l.b), l);
  const lookup = (a: number, b: number) => {
    const k = code(a, b);
    let s = known.get(k);
    if (!s) {
      s = scoreOf(a, b);
      known.set(k, s);
    }
    return s;
  };
  const clusterOf = new Map<number, number[]>();
  const members = (i: number) => clusterOf.get(i) ?? [i];
  const strong = links.filter((l) => l.score >= thresholds.merge && !l.veto).sort((x, y) => y.score - x.score);
  for (const l of strong) {
    const ca = members(l.a);
    const cb = members(l.b);
    if (ca === cb || ca.includes(l.b)) continue;
    if (ca.length + cb.length > maxClusterSize) continue;
    const compatible = ca.every((x) =>
      cb.every((y) => {
        const s = lookup(x, y);
        return s.score >= thresholds.review && !s.veto;
      }),
    );
    if (!compatible) continue;
    const joined = [...ca, ...cb];
    for (const i of joined) clusterOf.set(i, joined);
  }
  const out: Verdict[] = [];
  const seen = new Set<number>();
  for (const l of links) {
    if (l.score < thresholds.review) continue;
    seen.add(code(l.a, l.b));
    const same = clusterOf.get(l.a)?.includes(l.b) ?? false;
    out.push({ a: Math.min(l.a, l.b), b: Math.max(l.a, l.b), score: l.score, decision: same ? "merge" : "review" });
  }
  for (const cluster of new Set(clusterOf.values())) {
    for (let x = 0; x < cluster.length; x++) {
      for (let y = x + 1; y < cluster.length; y++) {
        const a = cluster[x] as number;
        const b = cluster[y] as number;
        if (seen.has(code(a, b))) continue;
        seen.add(code(a, b));
        out.push({ a: Math.min(a, b), b: Math.max(a, b), score: lookup(a, b).score, decision: "merge" });
      }
    }
  }
  return out;
}
