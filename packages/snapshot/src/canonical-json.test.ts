import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { canonicalJson } from './canonical-json.js'

/** The same JSON value with every object's keys in an order chosen by `order`. */
function reorderKeys(value: unknown, order: (keys: string[]) => string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => reorderKeys(item, order))
  if (typeof value !== 'object' || value === null) return value
  const record = value as Record<string, unknown>
  // fromEntries defines own properties, so a "__proto__" key stays a key.
  return Object.fromEntries(order(Object.keys(record)).map((key) => [key, reorderKeys(record[key], order)]))
}

describe('canonicalJson', () => {
  test('sorts keys at every depth, keeps array order, indents by 2 and ends with a newline', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: null }], a: { d: true, c: 'x' } })).toBe(
      [
        '{',
        '  "a": {',
        '    "c": "x",',
        '    "d": true',
        '  },',
        '  "b": [',
        '    3,',
        '    {',
        '      "a": null,',
        '      "z": 1',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    )
  })

  test('writes empty containers and scalars like JSON.stringify', () => {
    expect(canonicalJson({ e: [], o: {}, s: 'q"\n', n: -1.5 })).toBe(
      '{\n  "e": [],\n  "n": -1.5,\n  "o": {},\n  "s": "q\\"\\n"\n}\n',
    )
    expect(canonicalJson('x')).toBe('"x"\n')
  })

  test('sorts integer-like keys as strings too (JSON.stringify would put them first, numerically)', () => {
    expect(canonicalJson({ b: 1, 10: 2, 2: 3 })).toBe('{\n  "10": 2,\n  "2": 3,\n  "b": 1\n}\n')
  })

  test('writes text read back from a file (keys already in order) the same way, integer-like keys included', () => {
    expect(canonicalJson(JSON.parse('{"10": 2, "2": 3, "b": 1}'))).toBe('{\n  "10": 2,\n  "2": 3,\n  "b": 1\n}\n')
    expect(canonicalJson(JSON.parse('{"a": [1, {"c": null}], "b": "x"}'))).toBe(
      '{\n  "a": [\n    1,\n    {\n      "c": null\n    }\n  ],\n  "b": "x"\n}\n',
    )
  })

  test('refuses a hole in an array even when the keys are already in order', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    expect(() => canonicalJson({ a: [1, , 2] })).toThrow('undefined at $.a[1]')
  })

  test('leaves out keys whose value is undefined', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{\n  "b": 1\n}\n')
  })

  test.each([
    ['NaN', { a: Number.NaN }, '$.a'],
    ['Infinity', [Number.POSITIVE_INFINITY], '$[0]'],
    ['undefined in an array', [1, undefined], '$[1]'],
    ['a bigint', { a: 1n }, '$.a'],
    ['a function', { f: () => 1 }, '$.f'],
    ['a Date', { when: new Date(0) }, '$.when'],
    ['undefined at the top', undefined, '$'],
  ])('refuses %s, naming where it is', (_, value, where) => {
    expect(() => canonicalJson(value)).toThrow(where)
  })

  test('refuses a cycle', () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    expect(() => canonicalJson(cyclic)).toThrow('circular reference at $.self')
  })

  test('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 }
    expect(canonicalJson([shared, shared])).toBe('[\n  {\n    "x": 1\n  },\n  {\n    "x": 1\n  }\n]\n')
  })

  test('property: the text does not depend on key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const reversed = reorderKeys(value, (keys) => [...keys].reverse())
        const sorted = reorderKeys(value, (keys) => [...keys].sort())
        expect(canonicalJson(reversed)).toBe(canonicalJson(value))
        expect(canonicalJson(sorted)).toBe(canonicalJson(value))
      }),
    )
  })

  test('property: the text is valid JSON that reads back to the same canonical text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value)
        expect(canonicalJson(JSON.parse(text))).toBe(text)
      }),
    )
  })

  test('property: without integer-like keys it equals JSON.stringify of the key-sorted value', () => {
    const noIntegerKeys = fc.jsonValue().filter((value) => !JSON.stringify(value).match(/"\d+":/))
    fc.assert(
      fc.property(noIntegerKeys, (value) => {
        const sorted = reorderKeys(value, (keys) => [...keys].sort())
        expect(canonicalJson(value)).toBe(`${JSON.stringify(sorted, null, 2)}\n`)
      }),
    )
  })
})
