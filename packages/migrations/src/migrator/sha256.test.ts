import { createHash } from 'node:crypto'
import { expect, test } from 'vitest'
import { sha256Hex } from './sha256.js'

test('the plain SHA-256 equals node:crypto on texts of every length around the block boundaries', () => {
  for (let length = 0; length < 300; length++) {
    const text = Array.from({ length }, (_, i) => String.fromCodePoint(32 + ((i * 7919 + length) % 900))).join('')
    expect(sha256Hex(text), `length ${length}`).toBe(createHash('sha256').update(text).digest('hex'))
  }
})
