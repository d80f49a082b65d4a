import type { TableState } from '@ash-sqlite/resource'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { SnapshotError } from './errors.js'
import { createSnapshot, hashTableState, parseSnapshot, SNAPSHOT_VERSION, serializeSnapshot } from './snapshot.js'
import { reverseKeys, usersState } from './test-utils/table-state.js'

const FILE = 'resource_snapshots/main/users/20240101000000.json'

function thrown(fn: () => unknown): SnapshotError {
  try {
    fn()
  } catch (error) {
    if (error instanceof SnapshotError) return error
    throw error
  }
  throw new Error('expected a SnapshotError')
}

describe('hashTableState', () => {
  test('is a fixed sha256 of the canonical JSON (changing the format changes this on purpose only)', () => {
    expect(hashTableState(usersState())).toBe('3ccdb7827f21af70f0e59f90cb160200655693ca60f9018a193d9941152d489b')
  })

  test('does not depend on the key order of the state', () => {
    expect(hashTableState(reverseKeys(usersState()))).toBe(hashTableState(usersState()))
  })

  test('changes when anything in the state changes, including array order', () => {
    const base = usersState()
    const variants: TableState[] = [
      usersState({ strict: false }),
      usersState({ baseFilterSql: 'deleted_at IS NULL' }),
      usersState({ columns: [...base.columns].reverse() }),
      usersState({ customStatements: [] }),
    ]
    const hashes = new Set([base, ...variants].map(hashTableState))
    expect(hashes.size).toBe(variants.length + 1)
  })

  test('property: any key order of any state gives the same hash', () => {
    const shuffledKeys = fc.func(fc.integer())
    fc.assert(
      fc.property(fc.boolean(), fc.option(fc.string()), shuffledKeys, (strict, baseFilterSql, rank) => {
        const state = usersState({ strict, baseFilterSql })
        const shuffle = (value: unknown): unknown => {
          if (Array.isArray(value)) return value.map(shuffle)
          if (typeof value !== 'object' || value === null) return value
          const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b))
          return Object.fromEntries(keys.map((key) => [key, shuffle((value as Record<string, unknown>)[key])]))
        }
        expect(hashTableState(shuffle(state) as TableState)).toBe(hashTableState(state))
      }),
    )
  })
})

describe('createSnapshot / serializeSnapshot / parseSnapshot', () => {
  test('a snapshot names its repo and table, carries the hash, and reads back equal', () => {
    const snapshot = createSnapshot(usersState())
    expect(snapshot).toEqual({
      version: SNAPSHOT_VERSION,
      repo: 'main',
      table: 'users',
      hash: hashTableState(usersState()),
      state: usersState(),
    })
    expect(parseSnapshot(serializeSnapshot(snapshot), FILE)).toEqual(snapshot)
  })

  test('the file text is canonical: sorted keys, so it starts with hash and ends with version', () => {
    const text = serializeSnapshot(createSnapshot(usersState()))
    expect(text.startsWith(`{\n  "hash": "${hashTableState(usersState())}",\n  "repo": "main",\n  "state": {\n`)).toBe(
      true,
    )
    expect(text.endsWith('  "table": "users",\n  "version": 1\n}\n')).toBe(true)
  })

  test('a byte order mark from an editor is ignored', () => {
    const snapshot = createSnapshot(usersState())
    expect(parseSnapshot(`\uFEFF${serializeSnapshot(snapshot)}`, FILE)).toEqual(snapshot)
  })

  test('corrupt JSON names the file', () => {
    const error = thrown(() => parseSnapshot('{ "version": 1,', FILE))
    expect(error.code).toBe('snapshot_corrupt')
    expect(error.file).toBe(FILE)
    expect(error.message).toMatch(new RegExp(`^${FILE}: is not valid JSON \\(.+\\)\\. Restore it from version control`))
  })

  test.each([
    ['an array', '[]', 'does not hold a JSON object'],
    ['a missing hash', { version: 1, repo: 'main', table: 'users', state: {} }, 'field "hash" must be a string'],
    [
      'a state without columns',
      { ...createSnapshot(usersState()), state: { ...usersState(), columns: undefined } },
      'field "state.columns" is missing or has the wrong type',
    ],
  ])('the wrong shape (%s) is corrupt', (_, value, problem) => {
    const error = thrown(() => parseSnapshot(typeof value === 'string' ? value : JSON.stringify(value), FILE))
    expect(error.code).toBe('snapshot_corrupt')
    expect(error.message).toContain(`${FILE}: ${problem}`)
  })

  test.each([2, 0, '1', null])('version %j is unknown', (version) => {
    const text = JSON.stringify({ ...createSnapshot(usersState()), version })
    const error = thrown(() => parseSnapshot(text, FILE))
    expect(error.code).toBe('snapshot_unknown_version')
    expect(error.message).toBe(
      `${FILE}: has snapshot version ${JSON.stringify(version)}, but this ash-sqlite reads version 1. ` +
        'If a newer ash-sqlite wrote it, upgrade ash-sqlite; otherwise restore the file from version control',
    )
  })

  test('a missing version is unknown', () => {
    const { version: _, ...rest } = createSnapshot(usersState())
    expect(thrown(() => parseSnapshot(JSON.stringify(rest), FILE)).code).toBe('snapshot_unknown_version')
  })

  test('a hand-edited state no longer matches its hash: the message says so and gives the hash that would fit', () => {
    const snapshot = createSnapshot(usersState())
    const edited = { ...snapshot, state: { ...snapshot.state, strict: false } }
    const error = thrown(() => parseSnapshot(JSON.stringify(edited), FILE))
    expect(error.code).toBe('snapshot_mismatch')
    expect(error.message).toBe(
      `${FILE}: its "hash" does not match its "state", so the file was edited by hand. Restore it from version ` +
        `control; to keep the edit on purpose, set "hash" to "${hashTableState(edited.state)}"`,
    )
  })

  test('a snapshot whose table differs from its state table is a mismatch', () => {
    const text = JSON.stringify({ ...createSnapshot(usersState()), table: 'people' })
    const error = thrown(() => parseSnapshot(text, FILE))
    expect(error.code).toBe('snapshot_mismatch')
    expect(error.message).toContain('names table "people" of repo "main", but its state is table "users"')
  })
})
