/** Summaries of repeated measurements. Medians, because one slow run (GC, a noisy neighbour) should not move the result. */

export function median(values) {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** `{ median, min, max, samples }` of the values, or null when there are none. */
export function summarize(values) {
  const present = values.filter((value) => typeof value === 'number' && Number.isFinite(value))
  if (present.length === 0) return null
  return { median: median(present), min: Math.min(...present), max: Math.max(...present), samples: present }
}

/** ours / theirs of the medians, or null when either side is missing. */
export function ratioOf(ours, theirs) {
  if (!ours || !theirs || theirs.median === 0) return null
  return ours.median / theirs.median
}
