import { describe, expect, it } from 'vitest'
import { UsageError } from '../errors.js'
import { checkConcurrency, mapWithConcurrency } from './concurrency.js'

describe('mapWithConcurrency', () => {
  it('keeps input order and never has more than `limit` calls in flight', async () => {
    let inFlight = 0
    let maxInFlight = 0
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0], 2, async (item, index) => {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      await new Promise((resolve) => setTimeout(resolve, item))
      inFlight--
      return `${index}:${item}`
    })
    expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0'])
    expect(maxInFlight).toBe(2)
  })

  it('handles an empty list', async () => {
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([])
  })
})

describe('checkConcurrency', () => {
  it('defaults to 8 and rejects what is not a positive integer', () => {
    expect(checkConcurrency(undefined)).toBe(8)
    expect(checkConcurrency(1)).toBe(1)
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => checkConcurrency(bad)).toThrow(UsageError)
  })
})
