import type { CustomStatementState } from '@ash-sqlite/resource'
import { GenerateError } from './errors.js'
import type { PlanStep } from './migration-plan.js'
import { createdObject, mentionedNames, SqlTokenError, splitSqlStatements } from './sql-tokens.js'
import type { TablePair, Tables } from './table-pairs.js'

/** Custom statements run around the table DDL: `before` it (old `down`s), `after` it (new `up`s). */
export interface CustomStatementSteps {
  readonly before: PlanStep[]
  readonly after: PlanStep[]
}

export interface CustomStatementInput {
  /** The changed tables of the direction. */
  readonly pairs: readonly TablePair[]
  /** Every table of each side (unchanged ones too): a view on an unchanged table may read a rebuilt one. */
  readonly fromAll: Tables
  readonly toAll: Tables
  /** Rebuilt tables, with their names on both sides. */
  readonly rebuilt: ReadonlyArray<{ readonly from: string; readonly to: string }>
}

/**
 * Custom statements are matched by name: a removed one runs its `down` before the DDL (while the tables it
 * uses still exist), an added one its `up` after the DDL, a changed one the old `down` then the new `up`.
 *
 * A rebuild drops the old table (and every trigger on it), and renaming the new table into place fails while
 * any view or trigger mentions the old name. So every custom statement of the repo that mentions a rebuilt
 * table (a trigger on it, a view reading it, a trigger of another table writing it), and every custom
 * statement of a rebuilt table, runs its `down` before the DDL and its `up` after it, whichever resource
 * declares it. Mentions are found by tokens (identifiers, not strings or comments); a false match costs a
 * harmless drop and re-create.
 *
 * Each `up` and `down` may hold several statements: they are split with a real tokenizer (quotes, comments,
 * trigger bodies) and each becomes its own migration statement, since libSQL runs one statement per call.
 */
export function customStatementSteps(input: CustomStatementInput): CustomStatementSteps {
  const before: PlanStep[] = []
  const after: PlanStep[] = []
  const rebuiltNames = new Set(input.rebuilt.flatMap(({ from, to }) => [from.toLowerCase(), to.toLowerCase()]))
  const rebuiltTables = new Set(input.rebuilt.map(({ to }) => to))
  const mentionsRebuilt = (table: string, statement: CustomStatementState, sql: string) =>
    rebuiltNames.size > 0 && [...mentions(table, statement, sql)].some((name) => rebuiltNames.has(name))

  const changed = new Set<string>()
  for (const { from, to } of input.pairs) {
    if (from !== undefined) changed.add(from.table)
    if (to !== undefined) changed.add(to.table)
    const previous = byName(from?.customStatements ?? [])
    const next = byName(to?.customStatements ?? [])
    const ownRebuild = from !== undefined && to !== undefined && rebuiltTables.has(to.table)
    for (const statement of [...previous.values()].reverse()) {
      const successor = next.get(statement.name)
      const rerun = ownRebuild || mentionsRebuilt(from!.table, statement, statement.up)
      if (successor === undefined || !sameStatement(statement, successor) || rerun) {
        before.push(...steps(from!.table, statement, 'down'))
      }
    }
    for (const statement of next.values()) {
      const predecessor = previous.get(statement.name)
      const rerun = ownRebuild || mentionsRebuilt(to!.table, statement, statement.up)
      if (predecessor === undefined || !sameStatement(statement, predecessor) || rerun) {
        after.push(...steps(to!.table, statement, 'up'))
      }
    }
  }
  if (rebuiltNames.size === 0) return { before, after }

  // Unchanged tables: their custom statements are the same on both sides.
  const unchangedBefore: PlanStep[] = []
  for (const state of input.toAll.values()) {
    if (changed.has(state.table) || !input.fromAll.has(state.table)) continue
    for (const statement of state.customStatements) {
      if (!mentionsRebuilt(state.table, statement, statement.up)) continue
      unchangedBefore.unshift(...steps(state.table, statement, 'down'))
      after.push(...steps(state.table, statement, 'up'))
    }
  }
  return { before: [...before, ...unchangedBefore], after }
}

/**
 * The names of the schema objects (views, triggers, indexes) that custom statements of either side create: a
 * rebuild may count on the plan to keep them, and refuses to run over any other view or trigger.
 */
export function declaredObjectNames(sides: readonly Tables[]): string[] {
  const names = new Set<string>()
  for (const tables of sides) {
    for (const state of tables.values()) {
      for (const statement of state.customStatements) {
        for (const sql of split(state.table, statement, 'up')) {
          const created = createdObject(sql)
          if (created !== null) names.add(created.name)
        }
      }
    }
  }
  return [...names].sort()
}

function steps(table: string, statement: CustomStatementState, direction: 'up' | 'down'): PlanStep[] {
  return split(table, statement, direction).map((sql) => ({
    kind: 'statement',
    sql,
    origin: 'custom-statement',
    label: `custom statement ${statement.name} of table ${table} (${direction})`,
  }))
}

const splitCache = new WeakMap<CustomStatementState, { up?: string[]; down?: string[] }>()

function split(table: string, statement: CustomStatementState, direction: 'up' | 'down'): string[] {
  const cached = splitCache.get(statement) ?? {}
  const known = cached[direction]
  if (known !== undefined) return known
  let statements: string[]
  try {
    const pieces = splitSqlStatements(statement[direction])
    // One statement stays exactly as written; several each get their own terminator.
    statements = pieces.length <= 1 ? [statement[direction]] : pieces.map((sql) => `${sql};`)
  } catch (error) {
    throw unsplittable(table, statement, direction, error instanceof SqlTokenError ? error.message : String(error))
  }
  cached[direction] = statements
  splitCache.set(statement, cached)
  return statements
}

function mentions(table: string, statement: CustomStatementState, sql: string): Set<string> {
  try {
    return mentionedNames(sql)
  } catch (error) {
    throw unsplittable(table, statement, 'up', error instanceof Error ? error.message : String(error))
  }
}

function unsplittable(
  table: string,
  statement: CustomStatementState,
  direction: 'up' | 'down',
  problem: string,
): GenerateError {
  return new GenerateError(
    `custom statement ${statement.name} of table ${table}: its ${direction} SQL cannot be split into statements ` +
      `(${problem}). Close the string, quoted name or comment, then generate again. Nothing was written.`,
    { code: 'unsplittable_custom_statement' },
  )
}

function byName(statements: readonly CustomStatementState[]): Map<string, CustomStatementState> {
  return new Map(statements.map((statement) => [statement.name, statement]))
}

function sameStatement(a: CustomStatementState, b: CustomStatementState): boolean {
  return a.up === b.up && a.down === b.down
}
