import { describe, expect, it } from 'vitest'
import { closestName, didYouMean } from './suggest.js'

describe('closestName', () => {
  it('suggests a name one edit away, case-insensitively', () => {
    expect(closestName('allowNul', ['allowNull', 'default', 'source'])).toBe('allowNull')
    expect(closestName('steps', ['step', 'to', 'dry-run'])).toBe('step')
    expect(closestName('AllowNull', ['allowNull'])).toBe('allowNull')
    expect(closestName('defualt', ['default', 'description'])).toBe('default')
  })

  it('allows more edits for longer names, never for short ones', () => {
    expect(closestName('renamedFom', ['renamedFrom'])).toBe('renamedFrom')
    expect(closestName('descripton', ['description'])).toBe('description')
    expect(closestName('xy', ['to'])).toBeUndefined()
    expect(closestName('colour', ['repo', 'database'])).toBeUndefined()
  })

  it('says nothing when two candidates are equally close', () => {
    expect(closestName('ab', ['aa', 'bb'])).toBeUndefined()
  })

  it('formats a sentence fragment', () => {
    expect(didYouMean('allowNul', ['allowNull'])).toBe(' Did you mean "allowNull"?')
    expect(didYouMean('steps', ['step'], (name) => `--${name}`)).toBe(' Did you mean --step?')
    expect(didYouMean('zzz', ['step'])).toBe('')
  })
})
