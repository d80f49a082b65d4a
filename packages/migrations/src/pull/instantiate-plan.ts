/**
 * Runs resource plans through the real DSL (`defineResource`, `attr.*`, `belongsTo`) and reads back the
 * table states, exactly as loading the written module will. A column whose state does not match the
 * database (a belongsTo key typed after its destination, a default the DSL spells differently) gets a
 * `migrationTypes` / `migrationDefaults` entry and the plans are run again; what still differs afterwards
 * is reported as a warning.
 */
import {
  type AnyResource,
  attr,
  belongsTo,
  collectTableStates,
  defineRepo,
  defineResource,
  type TableState,
} from '@ash-sqlite/resource'
import type { LiveSchema, LiveTable } from '../introspect/live-schema.js'
import type { PlanValue, PullWarning, ResourcePlan } from './resource-plan.js'
import { sqlType } from './resource-plan.js'

const REFERENCE_OPTIONS: Record<string, string> = {
  CASCADE: 'delete',
  'SET NULL': 'nilify',
  RESTRICT: 'restrict',
  'NO ACTION': 'nothing',
  'SET DEFAULT': 'setDefault',
}

/** `onDelete`/`onUpdate` option values for SQL actions. */
export function referenceOption(action: string): string {
  return REFERENCE_OPTIONS[action.toUpperCase()] ?? 'nothing'
}

export function instantiatePlans(repoName: string, plans: readonly ResourcePlan[]): TableState[] {
  const repo = defineRepo({ name: repoName, url: 'file:pulled.db' })
  const resources = new Map<string, AnyResource>()
  for (const plan of plans) {
    const attributes = Object.fromEntries(
      plan.attributes.map((attribute) => {
        const builder = attr[attribute.builder] as (options?: Record<string, unknown>) => unknown
        return [attribute.key, builder(toValue(attribute.options) as Record<string, unknown>)]
      }),
    )
    const relationships = Object.fromEntries(
      plan.belongsTo.map((relation) => [
        relation.name,
        belongsTo(() => resources.get(relation.target) as AnyResource, toValue(relation.options) as never),
      ]),
    )
    const references = Object.fromEntries(
      plan.belongsTo
        .filter((relation) => relation.reference !== null)
        .map((relation) => [
          relation.name,
          {
            onDelete: referenceOption(relation.reference?.onDelete ?? ''),
            onUpdate: referenceOption(relation.reference?.onUpdate ?? ''),
          },
        ]),
    )
    const sqlite: Record<string, unknown> = { repo, table: plan.table }
    if (plan.strict) sqlite.strict = true
    if (Object.keys(references).length > 0) sqlite.references = references
    if (Object.keys(plan.identityIndexNames).length > 0) sqlite.identityIndexNames = plan.identityIndexNames
    if (plan.customIndexes.length > 0)
      sqlite.customIndexes = plan.customIndexes.map((index) => ({
        fields: index.fields,
        name: index.name,
        unique: index.unique,
        ...(index.where === null ? {} : { where: index.where }),
      }))
    if (plan.customStatements.length > 0) sqlite.customStatements = plan.customStatements
    if (plan.checkConstraints.length > 0) sqlite.checkConstraints = plan.checkConstraints
    if (Object.keys(plan.migrationTypes).length > 0) sqlite.migrationTypes = plan.migrationTypes
    if (Object.keys(plan.migrationDefaults).length > 0) sqlite.migrationDefaults = plan.migrationDefaults
    const definition: Record<string, unknown> = { name: plan.name, attributes, sqlite }
    if (Object.keys(relationships).length > 0) definition.relationships = relationships
    if (Object.keys(plan.identities).length > 0) definition.identities = plan.identities
    resources.set(plan.name, defineResource(definition as never) as AnyResource)
  }
  return collectTableStates([...resources.values()])
}

/**
 * Instantiates the plans, adds the `migrationTypes` / `migrationDefaults` the states need to match the
 * database, and returns the final states plus a warning for every column that still differs.
 */
export function settlePlans(
  repoName: string,
  plans: ResourcePlan[],
  schema: LiveSchema,
): { states: TableState[]; warnings: PullWarning[] } {
  const tables = new Map(schema.tables.map((table) => [table.name, table]))
  let states = instantiatePlans(repoName, plans)
  let adjusted = false
  for (const plan of plans) {
    const state = states.find((candidate) => candidate.table === plan.table)
    const table = tables.get(plan.table)
    if (state === undefined || table === undefined) continue
    for (const column of state.columns) {
      const live = liveColumn(table, column.source)
      if (live === undefined) continue
      const type = sqlType(live)
      if (type !== null && column.type !== type && !column.autoincrement) {
        plan.migrationTypes[column.attribute] = type
        adjusted = true
      }
      if (column.default !== live.default && live.default !== null && column.generated === null) {
        plan.migrationDefaults[column.attribute] = live.default
        for (const attribute of plan.attributes)
          if (attribute.key === column.attribute) delete attribute.options.default
        adjusted = true
      }
    }
  }
  if (adjusted) states = instantiatePlans(repoName, plans)
  return { states, warnings: remainingDifferences(plans, states, tables) }
}

function liveColumn(table: LiveTable, source: string) {
  return table.columns.find((column) => column.name.toLowerCase() === source.toLowerCase())
}

function remainingDifferences(
  plans: readonly ResourcePlan[],
  states: readonly TableState[],
  tables: ReadonlyMap<string, LiveTable>,
): PullWarning[] {
  const warnings: PullWarning[] = []
  for (const plan of plans) {
    const state = states.find((candidate) => candidate.table === plan.table)
    const table = tables.get(plan.table)
    if (state === undefined || table === undefined) continue
    const rowidKey = table.columns.filter((column) => column.primaryKey > 0).length === 1
    for (const column of state.columns) {
      const live = liveColumn(table, column.source)
      if (live === undefined) continue
      const isRowid = rowidKey && live.primaryKey === 1 && live.type.toUpperCase() === 'INTEGER'
      if (!column.allowNull !== live.notNull && !isRowid) {
        warnings.push({
          table: plan.table,
          message: `column ${plan.table}.${live.name} is ${live.notNull ? 'NOT NULL' : 'nullable'} in the database, but the resource declares it ${column.allowNull ? 'nullable' : 'NOT NULL'} (a primary key is never null in the DSL); the database changes only when the table is next rebuilt.`,
        })
      }
      if (column.default !== live.default && live.default !== null) {
        warnings.push({
          table: plan.table,
          message: `column ${plan.table}.${live.name}: default ${live.default} could not be declared exactly.`,
        })
      }
    }
  }
  return warnings
}

function toValue(value: PlanValue): unknown {
  if (Array.isArray(value)) return value.map((item) => toValue(item))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toValue(item as PlanValue)]))
  }
  return value
}
