/**
 * A model written with the real DSL: one resource per table (`defineResource`, `belongsTo`, identities, custom
 * indexes, `strict`), the step's renames as `renamedFrom`, all in one domain, resolved into the config that
 * `generate`, `migrate`, `rollback` and `status` take.
 */
import {
  type AnyAttribute,
  type AnyResource,
  attr,
  belongsTo,
  type Domain,
  defineDomain,
  defineRepo,
  defineResource,
} from '@ash-sqlite/resource'
import { resolveConfig } from '../../config/resolve-config.js'
import type { ResolvedConfig } from '../../config/resolved-config.js'
import {
  type ColumnModel,
  foreignKeyColumn,
  GENERATED_AS,
  partialIndexWhere,
  type SchemaModel,
  type TableModel,
  watchStatements,
} from './schema-model.js'

export const REPO_NAME = 'main'

/** Relative to the project directory (the config's cwd), where the migrator resolves it. */
export const DATABASE_FILE = 'main.db'

/**
 * A resource that is never migrated (`sqlite.migrate: false`) keeps the repo in the config when the model
 * has no table left, as an application whose last migrated table was removed still has its repo.
 */
export const UNMIGRATED_TABLE = 'external_anchor'

const repo = defineRepo({ name: REPO_NAME, url: `file:${DATABASE_FILE}` })

const anchor = defineResource({
  name: 'ExternalAnchor',
  attributes: { id: attr.integerPrimaryKey() },
  sqlite: { repo, table: UNMIGRATED_TABLE, migrate: false },
})

export function modelDomain(model: SchemaModel): Domain {
  const resources = new Map<string, AnyResource>()
  for (const table of model.tables) resources.set(table.name, tableResource(table, resources))
  return defineDomain({ name: 'evolution', resources: [anchor, ...resources.values()] })
}

export function modelConfig(model: SchemaModel, cwd: string): ResolvedConfig {
  return resolveConfig({ domains: [modelDomain(model)] }, { cwd })
}

function tableResource(table: TableModel, resources: ReadonlyMap<string, AnyResource>): AnyResource {
  const attributes: Record<string, AnyAttribute> = {
    id: table.key === 'integer' ? attr.integerPrimaryKey() : attr.uuidPrimaryKey(),
  }
  for (const column of table.columns) attributes[column.name] = columnAttribute(column)
  const relationships = Object.fromEntries(
    table.belongsTo.map((rel) => {
      const options = {
        allowNull: rel.allowNull,
        ...(rel.origin !== null && rel.origin !== rel.name ? { renamedFrom: foreignKeyColumn(rel.origin) } : {}),
      }
      return [rel.name, belongsTo((): AnyResource => resources.get(rel.target)!, options)]
    }),
  )
  const key = (column: string) => attributeKey(table, column)
  return defineResource({
    name: resourceName(table.name),
    attributes,
    relationships,
    identities: Object.fromEntries(table.identities.map((identity) => [identity.name, identity.columns.map(key)])),
    sqlite: {
      repo,
      table: table.name,
      ...(table.origin !== null && table.origin !== table.name ? { renamedFrom: table.origin } : {}),
      strict: table.strict,
      references: Object.fromEntries(table.belongsTo.map((rel) => [rel.name, { onDelete: rel.onDelete }])),
      customStatements: table.watches.flatMap((watch) => watchStatements(table.name, watch)),
      customIndexes: table.customIndexes.map((index) => {
        const where = partialIndexWhere(index)
        return { fields: index.columns.map(key), unique: index.unique, ...(where === null ? {} : { where }) }
      }),
    },
  }) as AnyResource
}

function columnAttribute(column: ColumnModel): AnyAttribute {
  const options = {
    allowNull: column.allowNull,
    ...(column.default === null ? {} : { default: dslDefault(column) }),
    ...(column.generated ? { generated: { as: GENERATED_AS } } : {}),
    ...(column.origin !== null && column.origin !== column.name ? { renamedFrom: column.origin } : {}),
  }
  // One builder per type; their option types differ only in the default's type, which the model keeps right.
  const builder = attr[column.type] as (options: unknown) => AnyAttribute
  return builder(options)
}

function dslDefault(column: ColumnModel): unknown {
  return column.type === 'binary' ? Uint8Array.from(Buffer.from(String(column.default), 'hex')) : column.default
}

/** Columns are attribute keys as they are (snake_case already); a belongsTo key `owner_id` is `ownerId`. */
function attributeKey(table: TableModel, column: string): string {
  const rel = table.belongsTo.find((candidate) => foreignKeyColumn(candidate.name) === column)
  return rel === undefined ? column : `${rel.name}Id`
}

function resourceName(table: string): string {
  return table.charAt(0).toUpperCase() + table.slice(1)
}
