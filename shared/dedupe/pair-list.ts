import { sortRun } from "./radix.ts";

const REC_BITS = 2 ** 23;

/** Candidate pairs as they are found, with repeats (a pair sharing several blocking keys is found once per key). */
export class PairList {
  private a: Int32Array;
  private b: Int32Array;
  private n = 0;

  /** `capacity`: how many pairs will be added (the list grows past it, at the cost of a copy). */
  constructor(capacity: number) {
    this.a = new Int32Array(Math.max(1024, capacity));
    this.b = new Int32Array(Math.max(1024, capacity));
  }

  add(a: number, b: number): void {
    if (a === b) return;
    if (this.n === this.a.length) {
      const grow = (xs: Int32Array) => {
        const next = new Int32Array(xs.length * 2);
        next.set(xs);
        return next;
      };
      this.a = grow(this.a);
      this.b = grow(this.b);
    }
    this.a[this.n] = Math.min(a, b);
    this.b[this.n++] = Math.max(a, b);
  }

  /**
   * The distinct pairs as codes `a * 2^23 + b` (a < b), ascending: bucketed by their first record (counting sort),
   * each bucket sorted and deduplicated. Empties the list.
   */
  codes(records: number): Float64Array {
    const start = new Int32Array(records + 1);
    for (let p = 0; p < this.n; p++) {
      const r = (this.a[p] as number) + 1;
      start[r] = (start[r] as number) + 1;
    }
    for (let r = 0; r < records; r++) start[r + 1] = (start[r + 1] as number) + (start[r] as number);
    const next = start.slice(0, records);
    const partners = new Int32Array(this.n);
    for (let p = 0; p < this.n; p++) {
      const r = this.a[p] as number;
      const at = next[r] as number;
      next[r] = at + 1;
      partners[at] = this.b[p] as number;
    }
    this.a = this.b = new Int32Array(0);
    this.n = 0;
    let unique = 0;
    for (let r = 0; r < records; r++) {
      const from = start[r] as number;
      const to = start[r + 1] as number;
      sortRun(partners, from, to);
      for (let p = from; p < to; p++) if (p === from || partners[p] !== partners[p - 1]) unique++;
    }
    const out = new Float64Array(unique);
    let u = 0;
    for (let r = 0; r < records; r++) {
      const from = start[r] as number;
      const to = start[r + 1] as number;
      for (let p = from; p < to; p++) if (p === from || partners[p] !== partners[p - 1]) out[u++] = r * REC_BITS + (partners[p] as number);
    }
    return out;
  }
}
