import { describe, expect, it } from "vitest";
import { sortByKey, sortRun } from "./radix.ts";

describe("sortByKey", () => {
  it("sorts values by their keys, keeping the order of equal keys", () => {
    const keys = Uint32Array.from([5, 0x30000, 5, 1, 0xffffffff, 0x30000, 0]);
    const values = Int32Array.from([0, 1, 2, 3, 4, 5, 6]);
    sortByKey(keys, values, keys.length);
    expect([...keys]).toEqual([0, 1, 5, 5, 0x30000, 0x30000, 0xffffffff]);
    expect([...values]).toEqual([6, 3, 0, 2, 1, 5, 4]);
  });

  it("leaves entries past n alone", () => {
    const keys = Uint32Array.from([3, 2, 1, 0]);
    const values = Int32Array.from([0, 1, 2, 3]);
    sortByKey(keys, values, 3);
    expect([...keys]).toEqual([1, 2, 3, 0]);
    expect([...values]).toEqual([2, 1, 0, 3]);
  });
});

describe("sortRun", () => {
  it.each([
    ["a short run", 10],
    ["a long run", 500],
  ])("sorts %s in place and only that run", (_name, length) => {
    const xs = Int32Array.from({ length: length + 2 }, (_, i) => (i * 7919) % 1000);
    const before = [xs[0], xs[length + 1]];
    sortRun(xs, 1, length + 1);
    const run = [...xs.subarray(1, length + 1)];
    expect(run).toEqual([...run].sort((a, b) => a - b));
    expect([xs[0], xs[length + 1]]).toEqual(before);
  });
});
