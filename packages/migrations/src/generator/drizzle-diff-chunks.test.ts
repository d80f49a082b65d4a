import type { TableState } from '@ash-sqlite/resource'
import { describe, expect, test } from 'vitest'
import { column, customIndex, identity, manyTables, reference, table, textKey } from './__fixtures__/states.js'
import { drizzleDiff, drizzleSnapshot } from './drizzle-diff.js'
import { type DrizzleSnapshot, type Hint, loadDrizzleKit, missingHintsOf } from './drizzle-kit.js'
import { buildDrizzleTables } from './drizzle-schema.js'
import { tablesByName } from './table-pairs.js'

// Many tables are snapshotted and diffed in chunks (drizzle-kit is quadratic in the table count); these tests
// hold the chunked results to drizzle-kit's own single-call results, byte for byte.

/** 400 tables: integer keys (column-level in drizzle), text and composite keys (table-level), identities. */
function bigSchema(): TableState[] {
  return manyTables(300).flatMap((state, index) => {
    const extra: TableState[] = []
    if (index % 7 === 3) {
      const name = `${state.table}_k`
      extra.push(
        table(name, [textKey(), column('email', 'text'), column('title', 'text')], {
          identities: [identity(name, 'email', ['email'])],
          customIndexes: [customIndex(`${name}_title_index`, ['title'])],
        }),
      )
    }
    if (index % 11 === 5) {
      extra.push(
        table(`${state.table}_c`, [
          column('a', 'text', { primaryKey: true, allowNull: false }),
          column('b', 'integer', { primaryKey: true, allowNull: false }),
          column('t0000_id', 'integer', { references: reference('t0000') }),
        ]),
      )
    }
    return [state, ...extra]
  })
}

function withoutId(snapshot: DrizzleSnapshot): string {
  const { id: _id, ...rest } = snapshot
  return JSON.stringify(rest, null, 2)
}

async function oneCall(states: TableState[]): Promise<DrizzleSnapshot> {
  const kit = await loadDrizzleKit()
  const byName = tablesByName(states)
  return kit.generateDrizzleJson(buildDrizzleTables(states, (name) => byName.get(name)))
}

/** drizzle-kit's differ in one call, answering its questions as the generator does. */
async function oneDiff(from: DrizzleSnapshot, to: DrizzleSnapshot, hints: Hint[]): Promise<string[]> {
  const kit = await loadDrizzleKit()
  const answers = [...hints]
  for (;;) {
    try {
      return await kit.generateMigration(from, to, { hints: answers })
    } catch (error) {
      const missing = missingHintsOf(error)
      if (missing === undefined) throw error
      answers.push(...missing.map((question) => ({ ...question }) as unknown as Hint))
    }
  }
}

describe('chunked snapshots and diffs of many tables', () => {
  test('a snapshot built in chunks is the single-call snapshot', async () => {
    const kit = await loadDrizzleKit()
    const states = bigSchema()
    const byName = tablesByName(states)
    const chunked = await drizzleSnapshot(kit, states, (name) => byName.get(name))
    expect(withoutId(chunked)).toBe(withoutId(await oneCall(states)))
  })

  test('creating and dropping every table in chunks gives the single-call statements, in order', async () => {
    const kit = await loadDrizzleKit()
    const full = await oneCall(bigSchema())
    const empty = { ...full, ddl: [] } as DrizzleSnapshot
    const createHints = full.ddl
      .filter((entry) => entry.entityType === 'tables')
      .map((entry) => ({ type: 'create', kind: 'table', entity: ['public', entry.name] }) as unknown as Hint)

    const up = await drizzleDiff(kit, empty, full, createHints)
    expect(up.statements).toEqual(await oneDiff(empty, full, createHints))
    expect(up.statements.filter((statement) => statement.startsWith('CREATE TABLE'))).toHaveLength(bigSchema().length)

    const down = await drizzleDiff(kit, full, empty, [])
    expect(down.statements).toEqual(await oneDiff(full, empty, []))
    expect(down.statements.filter((statement) => statement.startsWith('DROP TABLE'))).toHaveLength(bigSchema().length)
  })
})
