import type { TableState } from '@ash-sqlite/resource'
import { type DrizzleKit, type DrizzleSnapshot, type Hint, type MissingHint, missingHintsOf } from './drizzle-kit.js'
import { buildDrizzleTables, type TableLookup } from './drizzle-schema.js'
import { GenerateError } from './errors.js'
import { assertDiffable } from './schema-guard.js'

export interface DrizzleDiff {
  readonly statements: string[]
  /** Data-loss confirmations drizzle-kit asked for (and got): they become warnings. */
  readonly confirmed: MissingHint[]
}

/** Enough rounds for every kind of question drizzle-kit asks in stages (tables, then columns, then the rest). */
const MAX_HINT_ROUNDS = 8

/**
 * Below this many tables, one call to drizzle-kit; from it on, chunks of CHUNK_TABLES. drizzle-kit's snapshot
 * builder and differ look entities up by scanning lists, which makes them quadratic in the table count (1000
 * tables: ~0.3 s to build a snapshot, 1.3-2.2 s to diff an empty schema against it); chunks cost linear time.
 */
const CHUNK_FROM = 150
const CHUNK_TABLES = 50

/**
 * drizzle-kit's snapshot of the given tables; foreign keys to other tables resolve through `lookup`. Many
 * tables are built in chunks and merged in drizzle-kit's own order (see `inDrizzleOrder`), the same entities
 * in the same order as one call would give.
 */
export async function drizzleSnapshot(
  kit: DrizzleKit,
  tables: Iterable<TableState>,
  lookup: TableLookup,
  prevId?: string,
): Promise<DrizzleSnapshot> {
  const states = [...tables]
  assertDiffable(states)
  if (states.length < CHUNK_FROM) return kit.generateDrizzleJson(buildDrizzleTables(states, lookup), prevId)
  const parts: DrizzleSnapshot[] = []
  for (const chunk of chunksOf(states, CHUNK_TABLES)) {
    // The first chunk's call makes the id and the chain to prevId; the others' ids are thrown away.
    parts.push(
      await kit.generateDrizzleJson(buildDrizzleTables(chunk, lookup), parts.length === 0 ? prevId : undefined),
    )
  }
  const entries = parts.flatMap((part) => part.ddl as DdlEntry[])
  // Kinds whose order inside drizzle-kit cannot be told from the entries: one call, as before.
  if (entries.some((entry) => !CHUNKABLE_KINDS.has(entry.entityType))) {
    return kit.generateDrizzleJson(buildDrizzleTables(states, lookup), prevId)
  }
  const order = states.map((state) => state.table)
  return { ...parts[0]!, ddl: inDrizzleOrder(entries, order) as DrizzleSnapshot['ddl'] }
}

/** One entity of a drizzle-kit snapshot's `ddl`, as far as ordering and slicing need to know it. */
export interface DdlEntry {
  readonly entityType: string
  readonly table?: string
  readonly name?: string
  readonly type?: string
  readonly columns?: readonly unknown[]
}

/** drizzle-kit 1.0.0-rc.5's SQLite DDL kinds, in the order its snapshots list them. */
export const DDL_KIND_ORDER: readonly string[] = [
  'tables',
  'columns',
  'indexes',
  'fks',
  'pks',
  'uniques',
  'checks',
  'views',
]

/** Kinds whose order in drizzle-kit's snapshot follows from the table order alone (see `inDrizzleOrder`). */
const CHUNKABLE_KINDS = new Set(['tables', 'columns', 'indexes', 'fks', 'pks', 'checks'])

/** The table an entity belongs to (a table entity: itself). */
export function tableOfEntry(entry: DdlEntry): string {
  return (entry.entityType === 'tables' ? entry.name : entry.table) ?? ''
}

/**
 * Entities in the order drizzle-kit lists a snapshot built from `tables` (in that order) in one call:
 * kinds in its DDL order; inside a kind, in table order, except primary keys: drizzle-kit adds table-level
 * keys (every key the resource builder declares on the table) for all tables first, then the column-level
 * ones (a single INTEGER key, SQLite's rowid alias: the only kind the builder declares on the column). A
 * stable sort keeps each table's own entities in their order. Entities of tables not in `tables` go last.
 */
export function inDrizzleOrder(entries: readonly DdlEntry[], tables: readonly string[]): DdlEntry[] {
  const position = new Map(tables.map((table, index) => [table, index]))
  const count = tables.length + 1
  const integerColumns = new Set<string>()
  for (const entry of entries) {
    if (entry.entityType === 'columns' && entry.type?.toLowerCase() === 'integer') {
      integerColumns.add(`${entry.table}\u0000${entry.name}`)
    }
  }
  const isColumnLevelKey = (entry: DdlEntry) =>
    entry.columns?.length === 1 && integerColumns.has(`${entry.table}\u0000${String(entry.columns[0])}`)
  const key = (entry: DdlEntry) => {
    const kind =
      DDL_KIND_ORDER.indexOf(entry.entityType) * 2 + (entry.entityType === 'pks' && isColumnLevelKey(entry) ? 1 : 0)
    return kind * count + (position.get(tableOfEntry(entry)) ?? tables.length)
  }
  return entries
    .map((entry, index) => ({ entry, index, key: key(entry) }))
    .sort((a, b) => a.key - b.key || a.index - b.index)
    .map(({ entry }) => entry)
}

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size))
  return chunks
}

/**
 * Runs drizzle-kit's differ with the planned hints. Renames were decided before (see resolve-renames), so a
 * question drizzle-kit still asks is answered without guessing: anything else it wants to rename (an index,
 * a foreign key) is dropped and created, and a data-loss confirmation is given and reported.
 */
export async function drizzleDiff(
  kit: DrizzleKit,
  from: DrizzleSnapshot,
  to: DrizzleSnapshot,
  hints: readonly Hint[],
): Promise<DrizzleDiff> {
  return (await chunkedDiff(kit, from, to)) ?? answeredDiff(kit, from, to, hints)
}

/** drizzle-kit's statements that create (or drop) tables, in the groups its differ emits them in, by direction. */
const STATEMENT_GROUPS = {
  create: [/^CREATE TABLE /, /^CREATE (UNIQUE )?INDEX /],
  drop: [/^DROP INDEX /, /^DROP TABLE /],
} as const

/**
 * A diff that only creates tables (from an empty schema: a first run) or only drops them (its down
 * migration), over many tables, in chunks: with nothing on the other side there is nothing to rename, so no
 * hints are needed, and each chunk costs drizzle-kit little. drizzle-kit emits every table's CREATE TABLE
 * before any CREATE INDEX (and DROP INDEX before DROP TABLE), so the chunks' statements are merged group by
 * group, giving exactly the statements of one diff. Anything else (or a statement outside those groups)
 * returns undefined: the diff is done in one call.
 */
async function chunkedDiff(
  kit: DrizzleKit,
  from: DrizzleSnapshot,
  to: DrizzleSnapshot,
): Promise<DrizzleDiff | undefined> {
  if (!Array.isArray(from.ddl) || !Array.isArray(to.ddl)) return undefined
  const fromEntries = from.ddl as DdlEntry[]
  const toEntries = to.ddl as DdlEntry[]
  const direction = fromEntries.length === 0 ? 'create' : toEntries.length === 0 ? 'drop' : undefined
  if (direction === undefined) return undefined
  const side = direction === 'create' ? to : from
  const entries = side.ddl as DdlEntry[]
  if (entries.some((entry) => !CHUNKABLE_KINDS.has(entry.entityType))) return undefined
  const tables = entries.filter((entry) => entry.entityType === 'tables').map(tableOfEntry)
  if (tables.length < CHUNK_FROM) return undefined

  const groups: string[][] = STATEMENT_GROUPS[direction].map(() => [])
  const confirmed: MissingHint[] = []
  const empty = { ...(direction === 'create' ? from : to), ddl: [] } as DrizzleSnapshot
  for (const chunk of chunksOf(tables, CHUNK_TABLES)) {
    const names = new Set(chunk)
    const slice = { ...side, ddl: entries.filter((entry) => names.has(tableOfEntry(entry))) } as DrizzleSnapshot
    const diff =
      direction === 'create' ? await answeredDiff(kit, empty, slice, []) : await answeredDiff(kit, slice, empty, [])
    confirmed.push(...diff.confirmed)
    for (const statement of diff.statements) {
      const group = STATEMENT_GROUPS[direction].findIndex((pattern) => pattern.test(statement))
      if (group === -1) return undefined
      groups[group]!.push(statement)
    }
  }
  return { statements: groups.flat(), confirmed }
}

/** One call to drizzle-kit's differ, answering the questions it still asks (see `drizzleDiff`). */
async function answeredDiff(
  kit: DrizzleKit,
  from: DrizzleSnapshot,
  to: DrizzleSnapshot,
  hints: readonly Hint[],
): Promise<DrizzleDiff> {
  const answers = [...hints]
  const confirmed: MissingHint[] = []
  for (let round = 0; round < MAX_HINT_ROUNDS; round++) {
    try {
      return { statements: await kit.generateMigration(from, to, { hints: answers }), confirmed }
    } catch (error) {
      const missing = missingHintsOf(error)
      if (missing === undefined)
        throw new GenerateError(`drizzle-kit could not diff the schemas: ${messageOf(error)}`, { cause: error })
      for (const question of missing) {
        if (question.type === 'confirm_data_loss') confirmed.push(question)
        answers.push(answerTo(question))
      }
    }
  }
  throw new GenerateError('drizzle-kit kept asking for decisions the generator already gave it; please report this')
}

function answerTo(question: MissingHint): Hint {
  if (question.type === 'confirm_data_loss') {
    return { type: 'confirm_data_loss', kind: question.kind, entity: question.entity } as Hint
  }
  return { type: 'create', kind: question.kind, entity: question.entity } as Hint
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
