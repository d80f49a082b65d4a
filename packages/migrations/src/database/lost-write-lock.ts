/**
 * sqld's answer to a writer that keeps the write lock too long: once a write transaction is older than
 * the server's transaction timeout (5 s by default) and another writer is waiting, the waiter gets the
 * lock and the holder is rolled back; the holder learns it from its next request, which fails with
 * TRANSACTION_TIMEOUT (src/test-utils/remote-facts.test.ts). Nothing of the holder's work was kept, so
 * the work can simply run again.
 *
 * Running again at once would queue behind the writer that took the lock, and take it back from that
 * writer as soon as its transaction is 5 s old: two slow migrators would take turns rolling each other
 * back forever. So the loser pauses first, for a growing multiple of how long its own attempt lasted (the
 * other writer's work is probably as long), with some jitter, and meanwhile asks now and then whether
 * the other writer already did the work (a concurrent migrator applying the same migration).
 */

const code = 'TRANSACTION_TIMEOUT'
const pollMs = 250

/** Whether `error`, or any error in its `cause` chain, says that sqld took the write lock away. */
export function isWriteLockLost(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    if ((current as { code?: unknown }).code === code) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

/** How long to pause before attempt `attempt + 1`, after attempt `attempt` (1-based) lasted `attemptMs`. */
export function pauseAfterLostLock(attemptMs: number, attempt: number, random: () => number = Math.random): number {
  return Math.round(Math.max(attemptMs, 1_000) * 2 ** attempt * (1 + random() / 4))
}

/**
 * Waits up to `pauseMs`, asking `doneElsewhere` every so often; resolves with its first defined answer,
 * or undefined when the pause ran out. A failing question counts as "not yet": the retry that follows
 * surfaces real problems.
 */
export async function waitForOtherWriter<T>(
  pauseMs: number,
  doneElsewhere: (() => Promise<T | undefined>) | undefined,
): Promise<T | undefined> {
  const until = Date.now() + pauseMs
  while (Date.now() < until) {
    await delay(Math.min(pollMs, until - Date.now()))
    if (doneElsewhere === undefined) continue
    const answer = await doneElsewhere().catch(() => undefined)
    if (answer !== undefined) return answer
  }
  return undefined
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}
