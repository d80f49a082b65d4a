/**
 * "Did you mean" for near-miss names: option names of the DSL (`allowNul`), CLI flags (`--steps`), config
 * options. One helper so every message suggests the same way.
 */

/**
 * The candidate closest to `given`, when it is close enough to be a likely typo: at most one edit for short
 * names, up to a third of the length for longer ones (an edit is an insertion, deletion, substitution or a
 * swap of two neighbours), compared case-insensitively. Undefined when nothing is that close, or when two
 * candidates are equally close (a suggestion that may be wrong is worse than none).
 */
export function closestName(given: string, candidates: Iterable<string>): string | undefined {
  const needle = given.toLowerCase()
  const limit = Math.max(1, Math.floor(needle.length / 3))
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  let tie = false
  for (const candidate of new Set(candidates)) {
    if (candidate === given) continue
    const distance = editDistance(needle, candidate.toLowerCase())
    if (distance > limit) continue
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
      tie = false
    } else if (distance === bestDistance) {
      tie = true
    }
  }
  return tie ? undefined : best
}

/** ` Did you mean "allowNull"?` or the empty string: ready to append to a sentence. */
export function didYouMean(
  given: string,
  candidates: Iterable<string>,
  quote: (name: string) => string = JSON.stringify,
): string {
  const suggestion = closestName(given, candidates)
  return suggestion === undefined ? '' : ` Did you mean ${quote(suggestion)}?`
}

/** Optimal string alignment distance (Levenshtein plus transpositions of adjacent characters). */
function editDistance(a: string, b: string): number {
  if (a === b) return 0
  const rows = a.length + 1
  const columns = b.length + 1
  const table: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: columns }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i < rows; i++) {
    const row = table[i] as number[]
    const previous = table[i - 1] as number[]
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (table[i - 2]?.[j - 2] as number) + 1)
      }
      row[j] = value
    }
  }
  return table[a.length]?.[b.length] as number
}
