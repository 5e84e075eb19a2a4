/** Latency percentiles (nearest rank) over samples gathered in parts, e.g. one part per client worker. */

export interface Latency {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

export function latencyOf(parts: readonly Float64Array[]): Latency {
  const all = merge(parts).sort();
  return {
    samples: all.length,
    p50: percentile(all, 0.5),
    p99: percentile(all, 0.99),
    max: all.length === 0 ? Number.NaN : all[all.length - 1]!,
  };
}

function merge(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Nearest-rank percentile of sorted values; NaN when there are none. */
function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}
