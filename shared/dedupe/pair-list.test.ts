import { describe, expect, it } from "vitest";
import { decodePair } from "./blocking.ts";
import { PairList } from "./pair-list.ts";

describe("PairList", () => {
  it("lists each pair once, in order, whichever way round and however often it was added", () => {
    const list = new PairList(2);
    for (const [a, b] of [
      [3, 1],
      [1, 3],
      [0, 2],
      [2, 2],
      [4, 0],
      [1, 3],
      [2, 0],
      [0, 1],
    ] as const)
      list.add(a, b);
    expect(Array.from(list.codes(5), decodePair)).toEqual([
      [0, 1],
      [0, 2],
      [0, 4],
      [1, 3],
    ]);
  });

  it("grows past its capacity", () => {
    const list = new PairList(0);
    for (let i = 1; i <= 3000; i++) list.add(0, i);
    expect(list.codes(3001)).toHaveLength(3000);
  });
});
