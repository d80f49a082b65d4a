import { hashTableState } from '@ash-sqlite/snapshot'
import { expect, test } from 'vitest'
import { testRepo } from './__fixtures__/migrations.js'
import { column, manyTables, reference, withColumn } from './__fixtures__/states.js'
import { directionStatements } from './direction-statements.js'
import { drizzleSnapshot } from './drizzle-diff.js'
import { loadDrizzleKit } from './drizzle-kit.js'
import { NO_RENAMES } from './rename-plan.js'
import { compareStates } from './repo-changes.js'
import { planRepoMigration } from './repo-migration.js'
import { tablesByName } from './table-pairs.js'

test('diffing only the changed tables gives exactly the statements of a diff of the whole schema', async () => {
  const previous = manyTables(200)
  const current = previous.map((state) => {
    // A foreign key change (a rebuild of a table whose key points at an unchanged table) and an added column.
    if (state.table === 't0100') {
      return withColumn(
        state,
        column('parent_id', 'integer', { references: reference('t0099', 'id', { onDelete: 'CASCADE' }) }),
      )
    }
    if (state.table === 't0151') return withColumn(state, column('note', 'text', { default: "'n'" }))
    return state
  })
  const changes = compareStates(
    testRepo(current),
    tablesByName(previous),
    new Map(previous.map((state) => [state.table, hashTableState(state)])),
  )
  expect(changes.changedTables).toEqual(['t0100', 't0151'])

  const kit = await loadDrizzleKit()
  const incremental = await planRepoMigration(kit, changes, NO_RENAMES, { dontDropColumns: false })
  const lookup = (tables: Map<string, (typeof previous)[number]>) => (name: string) => tables.get(name)
  const all = { previous: tablesByName(previous), current: tablesByName(current) }
  const snapshots = {
    previous: await drizzleSnapshot(kit, previous, lookup(all.previous)),
    current: await drizzleSnapshot(kit, current, lookup(all.current)),
  }
  const fullUp = await directionStatements(kit, {
    from: all.previous,
    to: all.current,
    fromSnapshot: snapshots.previous,
    toSnapshot: snapshots.current,
    fromLookup: lookup(all.previous),
    toLookup: lookup(all.current),
    plan: NO_RENAMES,
  })
  const fullDown = await directionStatements(kit, {
    from: all.current,
    to: all.previous,
    fromSnapshot: snapshots.current,
    toSnapshot: snapshots.previous,
    fromLookup: lookup(all.current),
    toLookup: lookup(all.previous),
    plan: NO_RENAMES,
  })
  expect(incremental.up).toEqual(fullUp.statements)
  expect(incremental.down).toEqual(fullDown.statements)
  expect(incremental.up).toContain(
    'INSERT INTO `__new_t0100`(`id`, `title`, `amount`, `parent_id`) SELECT `id`, `title`, `amount`, `parent_id` FROM `t0100`;',
  )
  expect(incremental.up.at(-1)).toBe('CREATE INDEX `t0100_title_index` ON `t0100` (`title`);')
  expect(incremental.up).toContain("ALTER TABLE `t0151` ADD `note` text DEFAULT 'n';")
})
