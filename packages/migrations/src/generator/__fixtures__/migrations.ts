/** Runs the generator's planning on in-memory states (no files), and checks migrations on real SQLite files. */
import type { Repo, TableState } from '@ash-sqlite/resource'
import { hashTableState } from '@ash-sqlite/snapshot'
import { expect } from 'vitest'
import type { ResolvedRepo } from '../../config/resolved-config.js'
import { loadDrizzleKit } from '../drizzle-kit.js'
import { rowCountCheck, sequenceCarryOver, undeclaredObjectsGuard } from '../rebuild-renderers.js'
import { compareStates } from '../repo-changes.js'
import { planRepoMigration, type RepoMigration } from '../repo-migration.js'
import { resolveRenames } from '../resolve-renames.js'
import { tablesByName } from '../table-pairs.js'
import type { DestructiveWarning, RenameAmbiguity, RenameDecision, RenameFlag } from '../types.js'
import { openTestDatabase, type SchemaShape } from './sqlite.js'
import { REPO } from './states.js'

export interface MigrationOptions {
  renamedTables?: Record<string, string>
  renamedColumns?: Record<string, Record<string, string>>
  flags?: RenameFlag[]
  noRenames?: boolean
  dontDropColumns?: boolean
  resolveAmbiguity?: (ambiguity: RenameAmbiguity) => Promise<RenameDecision>
}

export function testRepo(tables: readonly TableState[], options: MigrationOptions = {}): ResolvedRepo {
  const repo: Repo = { kind: 'repo', name: REPO, url: 'file:unused.db' }
  return {
    name: REPO,
    repo,
    tables,
    renames: { tables: options.renamedTables ?? {}, columns: options.renamedColumns ?? {} },
    migrationsDir: 'unused',
    snapshotsDir: 'unused',
  }
}

export interface PlannedMigration {
  up: string[]
  down: string[]
  warnings: DestructiveWarning[]
  /** The decided plans (not enumerable: `toEqual` compares the statements and warnings only). */
  plans?: RepoMigration['plans']
}

/** The migration from `previous` to `current` exactly as `generate` plans it, without touching disk. */
export async function migrationBetween(
  previous: readonly TableState[],
  current: readonly TableState[],
  options: MigrationOptions = {},
): Promise<PlannedMigration> {
  const repo = testRepo(current, options)
  const hashes = new Map(previous.map((state) => [state.table, hashTableState(state)]))
  const changes = compareStates(repo, tablesByName(previous), hashes)
  const renames = await resolveRenames(
    {
      repo: REPO,
      previous: changes.previous,
      current: changes.current,
      declared: repo.renames,
      flags: options.flags ?? [],
    },
    { noRenames: options.noRenames === true, resolveAmbiguity: options.resolveAmbiguity },
  )
  if (renames.unresolved.length > 0) throw new Error(`unresolved ambiguities: ${JSON.stringify(renames.unresolved)}`)
  const kit = await loadDrizzleKit()
  const { up, down, warnings, plans } = await planRepoMigration(kit, changes, renames.plan, {
    dontDropColumns: options.dontDropColumns === true,
  })
  // The plans ride along without taking part in equality checks of the statements.
  return Object.defineProperty({ up, down, warnings }, 'plans', { value: plans, enumerable: false })
}

/** The statements that create `states` in an empty database. */
export async function createStatements(states: readonly TableState[]): Promise<string[]> {
  return (await migrationBetween([], states)).up
}

export async function schemaOf(states: readonly TableState[]): Promise<SchemaShape> {
  const db = await openTestDatabase()
  try {
    await db.apply(await createStatements(states))
    return await db.schema()
  } finally {
    await db.close()
  }
}

/**
 * Creates `previous` in a real SQLite file, runs `up` (the result must look like `current` created from
 * nothing, or `expectedAfterUp` when given) then `down` (the result must look like `previous` again).
 * `seed` runs after the creation, to put rows in the way of the migration.
 */
export async function expectRoundTrip(
  previous: readonly TableState[],
  current: readonly TableState[],
  migration: PlannedMigration,
  options: { seed?: string[]; expectedAfterUp?: SchemaShape } = {},
): Promise<void> {
  const db = await openTestDatabase()
  try {
    await db.apply(await createStatements(previous))
    if (options.seed !== undefined) await db.apply(options.seed)
    const before = await db.schema()
    await db.apply(migration.up)
    expect(comparable(await db.schema())).toEqual(comparable(options.expectedAfterUp ?? (await schemaOf(current))))
    await db.apply(migration.down)
    expect(comparable(await db.schema())).toEqual(comparable(before))
    const check = await db.client.execute('PRAGMA foreign_key_check')
    expect(check.rows).toEqual([])
  } finally {
    await db.close()
  }
}

/**
 * Index SQL is compared without quoting and whitespace: SQLite keeps the text of the statement that created
 * the index, and a rename rewrites only the names in it.
 */
export function comparable(schema: SchemaShape): SchemaShape {
  const tables: SchemaShape['tables'] = {}
  for (const [name, shape] of Object.entries(schema.tables)) {
    const indexes: typeof shape.indexes = {}
    for (const [indexName, index] of Object.entries(shape.indexes)) {
      indexes[indexName] = { ...index, sql: index.sql === null ? null : index.sql.replace(/[`"\s]/g, '') }
    }
    tables[name] = { ...shape, indexes }
  }
  return { ...schema, tables }
}

/**
 * The statements of one table rebuild as the SQLite renderer writes them (rebuild-renderers.ts): guard against
 * undeclared views and triggers, the new table, the copy (`sources` default to the target columns), the
 * row-count check, the AUTOINCREMENT high-water mark (when `createNew` has an AUTOINCREMENT key), the swap.
 */
export function expectedRebuild(
  table: string,
  createNew: string,
  columns: string,
  sources: string = columns,
  declared: readonly string[] = [],
): string[] {
  const newTable = `__new_${table}`
  return [
    'PRAGMA foreign_keys=OFF;',
    undeclaredObjectsGuard(table, declared),
    createNew,
    `INSERT INTO \`${newTable}\`(${columns}) SELECT ${sources} FROM \`${table}\`;`,
    rowCountCheck(table, newTable),
    ...(createNew.includes('AUTOINCREMENT') ? sequenceCarryOver(table, newTable) : []),
    `DROP TABLE \`${table}\`;`,
    `ALTER TABLE \`${newTable}\` RENAME TO \`${table}\`;`,
    'PRAGMA foreign_keys=ON;',
  ]
}
