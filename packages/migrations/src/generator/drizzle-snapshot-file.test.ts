import type { TableState } from '@ash-sqlite/resource'
import { hashTableState } from '@ash-sqlite/snapshot'
import { describe, expect, test } from 'vitest'
import { testRepo } from './__fixtures__/migrations.js'
import { column, identity, manyTables, reference, table, textKey, withColumn } from './__fixtures__/states.js'
import { drizzleSnapshot } from './drizzle-diff.js'
import { loadDrizzleKit } from './drizzle-kit.js'
import { nextDrizzleSnapshot } from './drizzle-snapshot-file.js'
import { compareStates } from './repo-changes.js'
import { tablesByName } from './table-pairs.js'

/** A snapshot as it reads back from snapshot.json. */
function asFile(snapshot: object): unknown {
  return JSON.parse(JSON.stringify(snapshot, null, 2))
}

function withoutId<T extends { id?: unknown }>(snapshot: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = snapshot
  return rest
}

async function previousAndNext(previous: TableState[], current: TableState[], previousFile?: unknown) {
  const kit = await loadDrizzleKit()
  const changes = compareStates(
    testRepo(current),
    tablesByName(previous),
    new Map(previous.map((state) => [state.table, hashTableState(state)])),
  )
  const lookup = (tables: Map<string, TableState>) => (name: string) => tables.get(name)
  const before = await drizzleSnapshot(kit, previous, lookup(tablesByName(previous)))
  const whole = await drizzleSnapshot(kit, current, lookup(tablesByName(current)), before.id)
  const next = await nextDrizzleSnapshot(kit, changes, previousFile ?? asFile(before), before.id)
  return { before, whole, next, changes }
}

describe('snapshot.json from the previous one plus the changed tables', () => {
  test('is byte for byte the whole-schema build (changed, new, dropped tables, foreign keys in and out)', async () => {
    const previous = manyTables(120)
    const current = previous
      .filter((state) => state.table !== 't0050')
      .map((state) => {
        if (state.table === 't0100') {
          return withColumn(state, column('owner_id', 'integer', { references: reference('t0099') }))
        }
        if (state.table === 't0051') return withColumn(state, column('note', 'text', { default: "'n'" }))
        return state
      })
    // New tables: one in the middle of the schema's order, one pointing at an unchanged table.
    current.splice(10, 0, table('t0010b', [column('id', 'integer', { primaryKey: true }), column('label', 'text')]))
    current.push(
      table('t9999', [
        column('id', 'integer', { primaryKey: true }),
        column('t0003_id', 'integer', { references: reference('t0003') }),
      ]),
    )
    const { next, whole, before, changes } = await previousAndNext(previous, current)

    expect(changes.changedTables).toEqual(['t0010b', 't0050', 't0051', 't0100', 't9999'])
    expect(next.prevIds).toEqual([before.id])
    expect(JSON.stringify(withoutId(next), null, 2)).toBe(JSON.stringify(withoutId(whole), null, 2))
  })

  test('is the whole-schema build with text and composite keys and unique identities too', async () => {
    const previous = [
      table('accounts', [textKey(), column('email', 'text')], {
        identities: [identity('accounts', 'email', ['email'])],
      }),
      table('members', [
        column('account_id', 'text', { primaryKey: true, allowNull: false, references: reference('accounts') }),
        column('team', 'text', { primaryKey: true, allowNull: false }),
      ]),
      ...manyTables(5),
    ]
    const current = previous.map((state) =>
      state.table === 'members' || state.table === 't0002' ? withColumn(state, column('since', 'text')) : state,
    )
    const { next, whole } = await previousAndNext(previous, current)

    expect(JSON.stringify(withoutId(next), null, 2)).toBe(JSON.stringify(withoutId(whole), null, 2))
  })

  test('falls back to the whole-schema build when the previous file does not describe the same tables', async () => {
    const previous = manyTables(6)
    const current = previous.map((state) => (state.table === 't0002' ? withColumn(state, column('x', 'text')) : state))
    const kit = await loadDrizzleKit()
    const stale = asFile(await drizzleSnapshot(kit, previous.slice(0, 4), (name) => tablesByName(previous).get(name)))
    for (const previousFile of [stale, { version: '6', dialect: 'sqlite', ddl: [] }, 'not json', {}]) {
      const { next, whole } = await previousAndNext(previous, current, previousFile)
      expect(JSON.stringify(withoutId(next))).toBe(JSON.stringify(withoutId(whole)))
    }
  })
})
