import { describe, expect, it } from 'vitest'
import { isWriteLockLost, pauseAfterLostLock, waitForOtherWriter } from './lost-write-lock.js'

describe('isWriteLockLost', () => {
  it("finds sqld's TRANSACTION_TIMEOUT on the error or anywhere in its cause chain", () => {
    const timeout = Object.assign(new Error('TRANSACTION_TIMEOUT: ...'), { code: 'TRANSACTION_TIMEOUT' })
    expect(isWriteLockLost(timeout)).toBe(true)
    expect(isWriteLockLost(new Error('migration failed', { cause: new Error('wrapped', { cause: timeout }) }))).toBe(
      true,
    )
    expect(isWriteLockLost(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBe(false)
    expect(isWriteLockLost(undefined)).toBe(false)
  })
})

describe('pauseAfterLostLock', () => {
  it('doubles with each attempt, from twice the attempt (at least 1 s), plus up to a quarter of jitter', () => {
    expect(pauseAfterLostLock(5_000, 1, () => 0)).toBe(10_000)
    expect(pauseAfterLostLock(5_000, 2, () => 0)).toBe(20_000)
    expect(pauseAfterLostLock(5_000, 1, () => 1)).toBe(12_500)
    expect(pauseAfterLostLock(10, 1, () => 0)).toBe(2_000)
  })
})

describe('waitForOtherWriter', () => {
  it('returns the first defined answer, and treats a failing question as "not yet"', async () => {
    const answers = [
      async () => {
        throw new Error('network')
      },
      async () => undefined,
      async () => 'skipped',
    ]
    let asked = 0
    const result = await waitForOtherWriter(5_000, () => (answers[asked++] as () => Promise<string | undefined>)())
    expect({ result, asked }).toEqual({ result: 'skipped', asked: 3 })
  })

  it('gives up with undefined when the pause runs out', async () => {
    expect(await waitForOtherWriter(30, async () => undefined)).toBeUndefined()
    expect(await waitForOtherWriter(30, undefined)).toBeUndefined()
  })
})
