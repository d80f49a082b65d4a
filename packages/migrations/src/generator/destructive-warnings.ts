import type { MissingHint } from './drizzle-kit.js'
import type { RenamePlan } from './rename-plan.js'
import { pairColumns, type TablePair } from './table-pairs.js'
import type { DestructiveWarning } from './types.js'

/**
 * What the up migration can lose or trip over, per table and column. Listed for the user; never blocking
 * (the resources say what they want, the warnings say what it costs).
 */
export function destructiveWarnings(
  pairs: readonly TablePair[],
  plan: RenamePlan,
  confirmed: readonly MissingHint[],
): DestructiveWarning[] {
  const warnings: DestructiveWarning[] = []
  for (const pair of pairs) {
    const { from, to } = pair
    if (to === undefined) {
      if (from !== undefined) warnings.push(tableWarning('drop_table', from.table, 'is dropped with all its rows'))
      continue
    }
    if (from === undefined) continue
    const table = to.table
    if (to.strict && !from.strict) {
      warnings.push(
        tableWarning(
          'strict',
          table,
          'becomes STRICT: a stored value that does not fit its column type fails the copy',
        ),
      )
    }
    for (const column of pairColumns(pair, plan)) {
      if (column.to === undefined) {
        const dropped = column.from!
        warnings.push(columnWarning('drop_column', table, dropped.source, 'is dropped with its data'))
        if (!dropped.allowNull && dropped.default === null && dropped.generated === null) {
          warnings.push(
            columnWarning(
              'irreversible_drop',
              table,
              dropped.source,
              'is NOT NULL without a default: rolling this migration back fails while the table has rows (the ' +
                'column cannot be restored); give it a default in the resource first if you may roll back',
            ),
          )
        }
        continue
      }
      const name = column.to.source
      if (column.from === undefined) {
        if (!column.to.allowNull && column.to.default === null && column.to.generated === null) {
          warnings.push(
            columnWarning(
              'add_not_null_column',
              table,
              name,
              'is added NOT NULL without a default: SQLite cannot add it to an existing table, give it a default',
            ),
          )
        }
        continue
      }
      if (column.from.generated === null && column.to.generated !== null) {
        warnings.push(
          columnWarning(
            'becomes_generated',
            table,
            name,
            'becomes generated: its stored values are replaced by the computed ones (rolling back restores the computed values, not the old ones)',
          ),
        )
      }
      if (column.from.type !== column.to.type) {
        warnings.push(
          columnWarning(
            'type_change',
            table,
            name,
            `changes type from ${column.from.type} to ${column.to.type}: stored values may be converted or lost`,
          ),
        )
      }
      if (column.from.allowNull && !column.to.allowNull) {
        const consequence =
          column.to.default === null
            ? 'becomes NOT NULL without a default: an existing NULL makes the migration fail'
            : `becomes NOT NULL: existing NULLs are set to its default ${column.to.default}`
        warnings.push(columnWarning('not_null', table, name, consequence))
      }
    }
  }
  for (const question of confirmed) {
    if (question.type !== 'confirm_data_loss') continue
    const [, table = '', column = null] = question.entity as readonly string[]
    warnings.push({
      kind: 'data_loss',
      table,
      column,
      message: `${column === null ? table : `${table}.${column}`}: drizzle-kit reports possible data loss (${question.kind}, ${question.reason})`,
    })
  }
  return warnings
}

function tableWarning(kind: DestructiveWarning['kind'], table: string, consequence: string): DestructiveWarning {
  return { kind, table, column: null, message: `table ${table} ${consequence}` }
}

function columnWarning(
  kind: DestructiveWarning['kind'],
  table: string,
  column: string,
  consequence: string,
): DestructiveWarning {
  return { kind, table, column, message: `column ${table}.${column} ${consequence}` }
}
