/** Sorting for the batch's big integer arrays, in linear time (comparison sorts of tens of millions cost seconds). */

/**
 * Sorts the first `n` entries of `values` by `keys` (each below 2^32), ascending and stably (equal keys keep their
 * order), rearranging `keys` to match: least-significant-digit radix sort in two 16-bit passes, through `spare`
 * arrays of at least `n` entries (pass them to sort many arrays without allocating).
 */
export function sortByKey(
  keys: Uint32Array,
  values: Int32Array,
  n: number,
  spare: { keys: Uint32Array; values: Int32Array } = { keys: new Uint32Array(n), values: new Int32Array(n) },
): void {
  const keysTmp = spare.keys;
  const valuesTmp = spare.values;
  const counts = new Int32Array(1 << 16);
  let fromKeys: Uint32Array = keys;
  let fromValues: Int32Array = values;
  let toKeys: Uint32Array = keysTmp;
  let toValues: Int32Array = valuesTmp;
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const d = ((fromKeys[i] as number) >>> shift) & 0xffff;
      counts[d] = (counts[d] as number) + 1;
    }
    let sum = 0;
    for (let d = 0; d < counts.length; d++) {
      const c = counts[d] as number;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = fromKeys[i] as number;
      const d = (key >>> shift) & 0xffff;
      const at = counts[d] as number;
      counts[d] = at + 1;
      toKeys[at] = key;
      toValues[at] = fromValues[i] as number;
    }
    [fromKeys, toKeys] = [toKeys, fromKeys];
    [fromValues, toValues] = [toValues, fromValues];
  }
  // After an even number of passes the sorted data is back in the caller's arrays.
}

/** Sorts a short run of `xs` in place (insertion sort: candidate pairs per record number in the tens). */
export function sortRun(xs: Int32Array, start: number, end: number): void {
  if (end - start > 64) {
    xs.subarray(start, end).sort();
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const x = xs[i] as number;
    let j = i - 1;
    while (j >= start && (xs[j] as number) > x) {
      xs[j + 1] = xs[j] as number;
      j--;
    }
    xs[j + 1] = x;
  }
}
