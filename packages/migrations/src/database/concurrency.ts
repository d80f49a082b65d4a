import { UsageError } from '../errors.js'

/**
 * How many databases a command works on at once unless told otherwise (`--concurrency`). 8 keeps a fleet
 * of remote databases busy without flooding one server, and lets a fleet of files overlap their disk
 * syncs (commits wait on the disk, not the CPU); a single database is unaffected.
 */
export const defaultConcurrency = 8

/** Checks a `--concurrency` value: a positive integer, or undefined for the default. */
export function checkConcurrency(concurrency: number | undefined): number {
  if (concurrency === undefined) return defaultConcurrency
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UsageError(`--concurrency must be a positive integer, got ${String(concurrency)}.`)
  }
  return concurrency
}

/**
 * Maps `items` through `work` with at most `limit` calls in flight; results keep the input order.
 * `work` is expected to return failures as data: a rejection still rejects the whole map.
 */
export async function mapWithConcurrency<Item, Result>(
  items: readonly Item[],
  limit: number,
  work: (item: Item, index: number) => Promise<Result>,
): Promise<Result[]> {
  const results = new Array<Result>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index] as Item, index)
    }
  }
  const workers = Array.from({ length: Math.min(limit, items.length) }, worker)
  await Promise.all(workers)
  return results
}
