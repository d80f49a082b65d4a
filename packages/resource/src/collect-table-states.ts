/**
 * One table state per (repo, table), merging resources that share a table the way AshSqlite does: columns
 * are united (a NOT NULL column without default that only some of the resources define must accept NULL,
 * or the others could not insert rows), identities, indexes and statements are united by name, and any
 * disagreement is an error.
 */
import { DefinitionCheck } from './definition-check.js'
import { deepFreeze, isResource } from './resolve-state.js'
import type { AnyResource } from './resource.js'
import type { ColumnState, TableState } from './table-state.js'

/**
 * Merges the states of resources sharing a table (AshSqlite semantics), validates cross-resource rules
 * (conflicting column definitions, belongsTo across repos, index names used twice in a repo) and returns
 * one TableState per (repo, table), sorted by repo then table. Resources with `migrate: false` are left
 * out, as AshSqlite's generator leaves them out. Throws ResourceDefinitionError.
 */
export function collectTableStates(resources: readonly AnyResource[]): TableState[] {
  const groups = new Map<string, AnyResource[]>()
  for (const resource of uniqueResources(resources)) {
    const state = resource.state // resolves (and validates) even resources that are not migrated
    if (!resource.migrate) continue
    const key = `${state.repo}\u0000${state.table}`
    groups.set(key, [...(groups.get(key) ?? []), resource])
  }
  const states = [...groups.values()].map((group) =>
    mergeStates(group.sort((left, right) => compare(left.name, right.name)).map((resource) => resource.state)),
  )
  states.sort((left, right) => compare(left.repo, right.repo) || compare(left.table, right.table))
  checkIndexNamesPerRepo(states)
  return states
}

function uniqueResources(resources: readonly AnyResource[]): AnyResource[] {
  const byName = new Map<string, AnyResource>()
  for (const resource of resources) {
    if (!isResource(resource)) {
      new DefinitionCheck('(resources)').fail(
        'invalid_option',
        undefined,
        'is not a list of resources',
        'Pass resources made with defineResource',
      )
    }
    const existing = byName.get(resource.name)
    if (existing && existing !== resource) {
      new DefinitionCheck(resource.name).fail(
        'invalid_option',
        undefined,
        'is the name of two different resources',
        'Give every resource a unique name',
      )
    }
    byName.set(resource.name, resource)
  }
  return [...byName.values()]
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0
}

/** Merges states of one (repo, table), given sorted by resource name. */
export function mergeStates(states: readonly TableState[]): TableState {
  const [first, ...rest] = states
  if (!first) throw new Error('mergeStates needs at least one state')
  if (rest.length === 0) return first
  const check: DefinitionCheck = new DefinitionCheck(first.resources[0] ?? first.table)
  const conflict = (what: string, left: TableState, right: TableState, leftValue: string, rightValue: string): never =>
    check.fail(
      'conflicting_table_definition',
      undefined,
      `${what} of table "${first.table}" is ${leftValue} in ${left.resources.join(', ')} but ${rightValue} in ${right.resources.join(', ')}`,
      `Define it identically in every resource that uses table "${first.table}"`,
    )

  const columns = new Map<string, { column: ColumnState; definedBy: TableState }>()
  const definitions = new Map<string, number>()
  for (const state of states) {
    for (const column of state.columns) {
      const existing = columns.get(column.source)
      if (existing) {
        const difference = columnDifference(existing.column, column)
        if (difference) {
          conflict(
            `column "${column.source}" (${difference.field})`,
            existing.definedBy,
            state,
            difference.left,
            difference.right,
          )
        }
      } else {
        columns.set(column.source, { column, definedBy: state })
      }
      definitions.set(column.source, (definitions.get(column.source) ?? 0) + 1)
    }
  }
  const merged = [...columns.values()].map(({ column, definedBy }) => {
    if ((definitions.get(column.source) ?? 0) === states.length) return column
    if (column.primaryKey) {
      check.fail(
        'conflicting_table_definition',
        undefined,
        `primary key column "${column.source}" of table "${first.table}" is defined by ${definedBy.resources.join(', ')} but not by every resource using the table`,
        'Define the primary key in every resource that uses the table',
      )
    }
    // The other resources insert rows without this column: it must accept NULL unless a default fills it.
    const filled = column.default !== null || column.generated !== null
    return column.allowNull || filled ? column : { ...column, allowNull: true }
  })

  for (const state of rest) {
    if (state.strict !== first.strict) conflict('strict', first, state, String(first.strict), String(state.strict))
    if (state.baseFilterSql !== first.baseFilterSql) {
      conflict('baseFilterSql', first, state, JSON.stringify(first.baseFilterSql), JSON.stringify(state.baseFilterSql))
    }
  }

  return deepFreeze({
    table: first.table,
    repo: first.repo,
    resources: states.flatMap((state) => state.resources).sort(compare),
    columns: merged,
    identities: unionByName(states, (state) => state.identities, 'identity', conflict),
    customIndexes: unionByName(states, (state) => state.customIndexes, 'custom index', conflict),
    customStatements: unionByName(states, (state) => state.customStatements, 'custom statement', conflict, false),
    strict: first.strict,
    baseFilterSql: first.baseFilterSql,
  })
}

const COMPARED_COLUMN_FIELDS = [
  'type',
  'allowNull',
  'default',
  'primaryKey',
  'autoincrement',
  'generated',
  'references',
] as const

function columnDifference(
  left: ColumnState,
  right: ColumnState,
): { field: string; left: string; right: string } | null {
  for (const field of COMPARED_COLUMN_FIELDS) {
    const leftValue = JSON.stringify(left[field])
    const rightValue = JSON.stringify(right[field])
    if (leftValue !== rightValue) return { field, left: leftValue, right: rightValue }
  }
  return null
}

function unionByName<T extends { name: string }>(
  states: readonly TableState[],
  itemsOf: (state: TableState) => readonly T[],
  what: string,
  conflict: (what: string, left: TableState, right: TableState, leftValue: string, rightValue: string) => never,
  sort = true,
): T[] {
  const items = new Map<string, { item: T; definedBy: TableState }>()
  for (const state of states) {
    for (const item of itemsOf(state)) {
      const existing = items.get(item.name)
      if (!existing) items.set(item.name, { item, definedBy: state })
      else if (JSON.stringify(existing.item) !== JSON.stringify(item)) {
        conflict(
          `${what} "${item.name}"`,
          existing.definedBy,
          state,
          JSON.stringify(existing.item),
          JSON.stringify(item),
        )
      }
    }
  }
  const united = [...items.values()].map(({ item }) => item)
  return sort ? united.sort((left, right) => compare(left.name, right.name)) : united
}

/** SQLite index names are per database, not per table. */
function checkIndexNamesPerRepo(states: readonly TableState[]): void {
  const owners = new Map<string, TableState>()
  for (const state of states) {
    const names = [
      ...state.identities.map((identity) => identity.indexName),
      ...state.customIndexes.map((index) => index.name),
    ]
    for (const name of names) {
      const owner = owners.get(`${state.repo}\u0000${name}`)
      if (owner && owner !== state) {
        new DefinitionCheck(state.resources[0] ?? state.table).fail(
          'invalid_option',
          undefined,
          `creates index "${name}" on table "${state.table}", but table "${owner.table}" (${owner.resources.join(', ')}) already has an index of that name in repo "${state.repo}"`,
          'Index names are unique per database: rename one of the indexes',
        )
      }
      owners.set(`${state.repo}\u0000${name}`, state)
    }
  }
}
