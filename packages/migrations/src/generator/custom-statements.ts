import type { CustomStatementState } from '@ash-sqlite/resource'
import type { TablePair } from './table-pairs.js'

/** Custom statements run around the table DDL: `before` it (old `down`s), `after` it (new `up`s). */
export interface CustomStatementSteps {
  readonly before: string[]
  readonly after: string[]
}

/**
 * Custom statements are matched by name: a removed one runs its `down` before the DDL (while the tables it
 * uses still exist), an added one its `up` after the DDL, a changed one the old `down` then the new `up`.
 *
 * A table rebuild drops the old table and with it every trigger or index a custom statement put on it, so
 * the unchanged custom statements of a rebuilt table are run again: `down` before, `up` after.
 */
export function customStatementSteps(pairs: readonly TablePair[], rebuilt: ReadonlySet<string>): CustomStatementSteps {
  const before: string[] = []
  const after: string[] = []
  for (const { from, to } of pairs) {
    const previous = byName(from?.customStatements ?? [])
    const next = byName(to?.customStatements ?? [])
    const rerun = from !== undefined && to !== undefined && rebuilt.has(to.table)
    for (const statement of [...previous.values()].reverse()) {
      const successor = next.get(statement.name)
      if (successor === undefined || !sameStatement(statement, successor) || rerun) before.push(statement.down)
    }
    for (const statement of next.values()) {
      const predecessor = previous.get(statement.name)
      if (predecessor === undefined || !sameStatement(statement, predecessor) || rerun) after.push(statement.up)
    }
  }
  return { before, after }
}

function byName(statements: readonly CustomStatementState[]): Map<string, CustomStatementState> {
  return new Map(statements.map((statement) => [statement.name, statement]))
}

function sameStatement(a: CustomStatementState, b: CustomStatementState): boolean {
  return a.up === b.up && a.down === b.down
}
