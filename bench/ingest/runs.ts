/** Seq runs: which acknowledged seqs a socket received, kept as [from, to] runs in order. */

/** Runs of contiguous seqs kept per socket; one per missed window, so normally one or two. */
const MAX_RUNS = 10_000;
export function extendRuns(runs: [number, number][], from: number, to: number): void {
  const last = runs[runs.length - 1];
  if (last !== undefined && from === last[1] + 1) last[1] = to;
  else if (runs.length < MAX_RUNS) runs.push([from, to]);
}

/** How many of the sorted `acked` seqs fall in none of the runs. */
export function missingOf(runs: readonly [number, number][], acked: Float64Array): number {
  let covered = 0;
  for (const [from, to] of runs) covered += lowerBound(acked, to + 1) - lowerBound(acked, from);
  return acked.length - covered;
}

/** The index of the first value ≥ `target` in sorted `values`. */
function lowerBound(values: Float64Array, target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
}
