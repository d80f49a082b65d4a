/**
 * The D1 form of a generated migration (a small post-processing step, until the generator's typed plan
 * hands rebuilds over as data): every drizzle-kit style rebuild
 * (`CREATE TABLE __new_t`, copy, `DROP TABLE t`, `ALTER TABLE __new_t RENAME TO t`, then t's indexes) is read
 * into a `D1TableRebuild` and rendered by `renderD1Rebuild`; `PRAGMA foreign_keys` lines go (D1 ignores
 * them); each rebuilt table gets its foreign key assertion at the end. Anything that looks like a rebuild but
 * does not match the expected shape fails `generate` instead of being passed through.
 */
import type { ReferenceAction, TableState } from '@ash-sqlite/resource'
import { AshSqliteError } from '../errors.js'
import { isForeignKeysPragma } from '../migrator/foreign-keys-pragma.js'
import {
  type ChildDeleteAction,
  type CopiedColumn,
  type D1TableRebuild,
  type RebuildChild,
  renderD1Rebuild,
  renderForeignKeyAssertion,
} from './rebuild.js'

/** The whole schema on each side of one direction of a migration (every table of the repo, by name). */
export interface D1MigrationContext {
  readonly from: ReadonlyMap<string, TableState>
  readonly to: ReadonlyMap<string, TableState>
}

/** A rebuild in drizzle-kit's output that does not have the shape this module reads. */
export class D1RebuildShapeError extends AshSqliteError {
  override name = 'D1RebuildShapeError'
  constructor(statement: string) {
    super(
      'd1_rebuild_unrecognised',
      `generate cannot write this table rebuild in D1's form: the statement does not have the shape it expects, and passing it through would lose child rows on D1:\n  ${statement.split('\n')[0]}\n  Please report it with the resource change that produced it.`,
    )
  }
}

const transactionControl = /^(?:BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i

/** Rewrites one direction's statements for a D1 repo. */
export function d1MigrationStatements(statements: readonly string[], context: D1MigrationContext): string[] {
  const input = statements.filter((statement) => !isForeignKeysPragma(statement))
  const output: string[] = []
  const rebuilt: string[] = []
  for (let index = 0; index < input.length; ) {
    const statement = input[index] as string
    const table = newTableOf(statement)
    if (table === null) {
      if (/`__new_/.test(statement) || transactionControl.test(statement.trim())) {
        throw new D1RebuildShapeError(statement)
      }
      output.push(statement)
      index++
      continue
    }
    const [copyStatement, dropStatement, renameStatement] = input.slice(index + 1, index + 4)
    const copy = copyStatement === undefined ? null : copiedColumns(copyStatement, table)
    if (copy === null) throw new D1RebuildShapeError(copyStatement ?? statement)
    if (dropStatement?.trim() !== `DROP TABLE \`${table}\`;`) throw new D1RebuildShapeError(dropStatement ?? statement)
    if (renameStatement?.trim() !== `ALTER TABLE \`__new_${table}\` RENAME TO \`${table}\`;`) {
      throw new D1RebuildShapeError(renameStatement ?? statement)
    }
    let next = index + 4
    const indexes: string[] = []
    while (next < input.length && indexedTable(input[next] as string) === table) indexes.push(input[next++] as string)
    const createTable = statement.replace(`CREATE TABLE \`__new_${table}\` (`, `CREATE TABLE \`${table}\` (`)
    output.push(...renderD1Rebuild(describeRebuild(table, createTable, copy, indexes, context)))
    rebuilt.push(table)
    index = next
  }
  for (const table of new Set(rebuilt)) output.push(...renderForeignKeyAssertion(table))
  return output
}

/** The typed description of one rebuild, from its DDL and the schema around it. */
export function describeRebuild(
  table: string,
  createTable: string,
  copy: readonly CopiedColumn[],
  indexes: readonly string[],
  context: D1MigrationContext,
): D1TableRebuild {
  return {
    table,
    createTable,
    copy,
    children: childrenOf(table, context),
    indexes,
    // The table's own triggers are custom statements, which the generator drops before the DDL and creates
    // again after it: by the time of the copy, the table has none.
    triggers: [],
    autoincrement: /\bAUTOINCREMENT\b/i.test(createTable),
    keepRowid: !/\binteger\s+PRIMARY\s+KEY\b/i.test(createTable) && !/\bPRIMARY\s+KEY\s*\(/i.test(createTable),
  }
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

function newTableOf(statement: string): string | null {
  return /^CREATE TABLE `__new_([^`]+)` \(/.exec(statement.trim())?.[1] ?? null
}

function indexedTable(statement: string): string | null {
  return /^CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?`[^`]+` ON `([^`]+)`/.exec(statement.trim())?.[1] ?? null
}

/** `INSERT INTO __new_t(a, b) SELECT a, COALESCE(b, 0) FROM t;` -> the columns and their expressions. */
export function copiedColumns(statement: string, table: string): CopiedColumn[] | null {
  const prefix = `INSERT INTO \`__new_${table}\`(`
  const suffix = ` FROM \`${table}\`;`
  const text = statement.trim()
  if (!text.startsWith(prefix) || !text.endsWith(suffix)) return null
  const body = text.slice(prefix.length, text.length - suffix.length)
  const split = body.indexOf(') SELECT ')
  if (split < 0) return null
  const columns = splitTopLevel(body.slice(0, split)).map((column) => column.replace(/^`|`$/g, ''))
  const expressions = splitTopLevel(body.slice(split + ') SELECT '.length))
  if (columns.length !== expressions.length || columns.some((column) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(column))) {
    return null
  }
  return columns.map((column, index) => ({ column, expression: expressions[index] as string }))
}

/** Splits an SQL list at the commas outside parentheses and quotes. */
function splitTopLevel(list: string): string[] {
  const items: string[] = []
  let depth = 0
  let quote: string | null = null
  let start = 0
  for (let index = 0; index < list.length; index++) {
    const char = list[index] as string
    if (quote !== null) {
      if (char === quote) quote = null
    } else if (char === "'" || char === '"' || char === '`') quote = char
    else if (char === '(') depth++
    else if (char === ')') depth--
    else if (char === ',' && depth === 0) {
      items.push(list.slice(start, index).trim())
      start = index + 1
    }
  }
  items.push(list.slice(start).trim())
  return items.filter((item) => item !== '')
}
