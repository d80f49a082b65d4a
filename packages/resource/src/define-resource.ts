/**
 * `defineResource`: validates the definition at once (throwing `ResourceDefinitionError`), and compiles
 * the parts that depend on other resources (`state`, `table`) on first access, because belongsTo targets
 * are thunks that may refer to resources defined later. `defineDomain` forces both.
 */
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { buildSqliteTable } from './drizzle-table.js'
import { RESOURCE_SPEC, type ResolvedResource, resolveResource } from './resolve-state.js'
import type { AttributeMap, RelationshipMap, Resource, ResourceDefinition, ResourceRenames } from './resource.js'
import { resourceSpec } from './resource-spec.js'
import type { TableState } from './table-state.js'

export function defineResource<
  TName extends string,
  TTableName extends string,
  TAttributes extends AttributeMap,
  TRelationships extends RelationshipMap = {},
>(
  definition: ResourceDefinition<TName, TTableName, TAttributes, TRelationships>,
): Resource<TName, TTableName, TAttributes, TRelationships> {
  const spec = resourceSpec(definition)
  let resolved: ResolvedResource | undefined
  let table: SQLiteTable | undefined
  const resolve = (): ResolvedResource => {
    resolved ??= resolveResource(spec)
    return resolved
  }
  const renames: ResourceRenames = {
    table: spec.renamedFrom,
    columns: Object.fromEntries(
      spec.attributes
        .filter((attribute) => attribute.renamedFrom !== null)
        .map((attribute) => [attribute.source, attribute.renamedFrom as string]),
    ),
  }
  const resource = {
    kind: 'resource' as const,
    name: spec.name as TName,
    description: spec.description,
    repo: spec.repo,
    tableName: spec.tableName as TTableName,
    migrate: spec.migrate,
    renames,
    attributes: definition.attributes,
    relationships: (definition.relationships ?? {}) as TRelationships,
    get state(): TableState {
      return resolve().state
    },
    get table(): Resource<TName, TTableName, TAttributes, TRelationships>['table'] {
      table ??= buildResourceTable(resolve())
      return table as unknown as Resource<TName, TTableName, TAttributes, TRelationships>['table']
    },
  }
  Object.defineProperty(resource, RESOURCE_SPEC, { value: spec, enumerable: false })
  return Object.freeze(resource)
}

function buildResourceTable(resolved: ResolvedResource): SQLiteTable {
  const bySource = new Map(resolved.columns.map((column) => [column.state.source, column]))
  return buildSqliteTable(resolved.state, {
    propertyKey: 'attribute',
    runtime: (column) => {
      const resolvedColumn = bySource.get(column.source)
      return resolvedColumn
        ? {
            valueType: resolvedColumn.valueType,
            runtimeDefault: resolvedColumn.attribute.runtimeDefault,
            onUpdateNow: resolvedColumn.attribute.onUpdateNow,
          }
        : undefined
    },
    referencedColumn: (column) => {
      const reference = bySource.get(column.source)?.reference
      if (!reference) throw new Error(`Column ${resolved.state.table}.${column.source} has no resolved reference`)
      return (reference.target.table as unknown as Record<string, SQLiteTable[keyof SQLiteTable]>)[
        reference.key
      ] as never
    },
    referencedColumns: (foreignKey) => {
      const resolvedKey = resolved.foreignKeys.find((candidate) => candidate.state === foreignKey)
      if (!resolvedKey)
        throw new Error(`Table ${resolved.state.table} has no resolved foreign key ${foreignKey.columns}`)
      const columns = resolvedKey.target.table as unknown as Record<string, SQLiteTable[keyof SQLiteTable]>
      return resolvedKey.targetKeys.map((key) => columns[key]) as never
    },
  })
}
