/**
 * The D1 target of the generator: a `RebuildRenderer` that renders the plan's `TableRebuild`s with the
 * D1-safe rebuild (rebuild.ts), given the whole schema on both sides of the direction (to find the children
 * a drop would cascade into), and the finishing step of a D1 migration: each rebuilt table's foreign key
 * assertion at the end, and a refusal of anything D1 cannot run.
 */
import type { ReferenceAction, TableState } from '@ash-sqlite/resource'
import { AshSqliteError } from '../errors.js'
import type { ColumnFate, TableRebuild } from '../generator/migration-plan.js'
import type { RebuildRenderer } from '../generator/rebuild-renderers.js'
import { undeclaredObjectsGuard } from '../generator/rebuild-renderers.js'
import {
  type ChildDeleteAction,
  type CopiedColumn,
  type D1TableRebuild,
  quoteIdentifier,
  type RebuildChild,
  rebuildNames,
  renderD1Rebuild,
  renderForeignKeyAssertion,
} from './rebuild.js'

/** The whole schema on each side of one direction of a migration (every table of the repo, by name). */
export interface D1MigrationContext {
  readonly from: ReadonlyMap<string, TableState>
  readonly to: ReadonlyMap<string, TableState>
}

/** A statement in a D1 repo's migration that D1 cannot run. */
export class D1StatementError extends AshSqliteError {
  override name = 'D1StatementError'
  constructor(statement: string) {
    super(
      'd1_unsupported_statement',
      `generate cannot write this statement for a D1 repo: D1 runs every migration as one batch, refuses BEGIN/COMMIT/SAVEPOINT, and ignores PRAGMA foreign_keys:\n  ${statement.split('\n')[0]}\n  Remove it from the custom statement that holds it. Nothing was written.`,
    )
  }
}

/** The D1 rebuild renderer for one direction (`target: 'd1'`). */
export function d1RebuildRenderer(context: D1MigrationContext): RebuildRenderer {
  return {
    target: 'd1',
    render: (rebuild) => [
      undeclaredObjectsGuard(rebuild.table, rebuild.declaredObjects),
      ...renderD1Rebuild(describeD1Rebuild(rebuild, context)),
    ],
  }
}

/** The plan's rebuild with what D1 needs on top: the children, and which columns are copied how. */
export function describeD1Rebuild(rebuild: TableRebuild, context: D1MigrationContext): D1TableRebuild {
  const copy = rebuild.columns.flatMap(copiedColumn)
  const hasRowidAlias = /\binteger\s+PRIMARY\s+KEY\b/i.test(rebuild.createTable)
  const tableLevelKey = /\bPRIMARY\s+KEY\s*\(/i.test(rebuild.createTable)
  return {
    table: rebuild.table,
    createTable: rebuild.createTable,
    copy,
    children: childrenOf(rebuild.table, context),
    indexes: rebuild.indexes,
    // The table's own triggers are custom statements: the plan drops them before the rebuild and creates them
    // again after it, so by the time of the copy the table has none.
    triggers: [],
    autoincrement: rebuild.autoincrement,
    // Without an INTEGER PRIMARY KEY the rowid is not a column: copy it, or rows get new rowids. A table with
    // nothing to copy keeps its rows that way too.
    keepRowid: copy.length === 0 || (!hasRowidAlias && !tableLevelKey),
  }
}

function copiedColumn(fate: ColumnFate): CopiedColumn[] {
  if (fate.kind === 'copied') return [{ column: fate.column, expression: quoteIdentifier(fate.from) }]
  if (fate.kind === 'backfilled') {
    return [{ column: fate.column, expression: `COALESCE(${quoteIdentifier(fate.from)}, ${fate.fallback})` }]
  }
  return []
}

/**
 * Tables whose rows the drop of `table` would change: every other table present on both sides of the
 * migration whose foreign key into `table` deletes or writes rows on delete (on either side). A table created
 * by the same migration holds no rows yet; a dropped one loses its rows anyway.
 */
export function childrenOf(table: string, context: D1MigrationContext): RebuildChild[] {
  const children = new Map<string, ChildDeleteAction>()
  for (const [name, state] of context.to) {
    const before = context.from.get(name)
    if (name === table || before === undefined) continue
    for (const side of [before, state]) {
      for (const column of side.columns) {
        const reference = column.references
        if (reference === null || reference.table !== table) continue
        const action = writingAction(reference.onDelete)
        // CASCADE needs the BEFORE DELETE trigger; it wins over SET NULL's BEFORE UPDATE when both occur.
        if (action !== null && children.get(name) !== 'CASCADE') children.set(name, action)
      }
    }
  }
  return [...children].map(([child, onDelete]) => ({ table: child, onDelete }))
}

function writingAction(action: ReferenceAction | string): ChildDeleteAction | null {
  const upper = action.toUpperCase()
  return upper === 'CASCADE' || upper === 'SET NULL' || upper === 'SET DEFAULT' ? (upper as ChildDeleteAction) : null
}

const transactionControl = /^(?:BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i
const foreignKeysPragma = /^PRAGMA\s+foreign_keys\b/i

/**
 * The last step of a D1 migration: the foreign key assertion of every table rebuilt, at the end (a later
 * statement of the migration may still create the parent rows an intermediate state lacks), and a refusal of
 * statements D1 cannot run (custom statements are the user's SQL).
 */
export function finishD1Migration(statements: readonly string[]): string[] {
  const rebuilt: string[] = []
  const backupDrop = new RegExp(`^DROP TABLE "${rebuildNames.backup('(.+)')}";$`)
  for (const statement of statements) {
    const text = statement.replace(/^\s*--.*$/gm, '').trim()
    if (transactionControl.test(text) || foreignKeysPragma.test(text)) throw new D1StatementError(statement)
    const table = backupDrop.exec(text)?.[1]
    if (table !== undefined) rebuilt.push(table)
  }
  return [...statements, ...[...new Set(rebuilt)].flatMap(renderForeignKeyAssertion)]
}
