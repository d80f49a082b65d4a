/**
 * Identities (unique indexes) and `sqlite.customIndexes` of a resource definition: their attribute keys,
 * index names (derived or given) and WHERE clauses, and the check that no two indexes share a name.
 */

import { type AttributeSpec, attributeOf } from './attribute-spec.js'
import { describeValue } from './attribute-types.js'
import type { DefinitionCheck } from './definition-check.js'
import { snakeCase } from './identifiers.js'
import { isSqlExpression, sqlExpressionText } from './sql-text.js'

export interface IdentitySpec {
  name: string
  keys: string[]
  indexName: string
  /** Listed in `skipUniqueIndexes`. */
  skipIndex: boolean
  /** The identity's own `where` (a partial unique index); `baseFilterSql` is added when the state is built. */
  where: string | null
  /** False when rows whose keys are NULL count as duplicates (`nilsDistinct: false`). Default true. */
  nilsDistinct: boolean
}

/** One key of a custom index: an attribute (ascending or descending) or an SQL expression. */
export type IndexFieldSpec = { key: string; order: 'asc' | 'desc' } | { expression: string }

export interface CustomIndexSpec {
  name: string
  /** Attribute keys of the attribute fields, in order (expressions left out). */
  keys: string[]
  fields: IndexFieldSpec[]
  unique: boolean
  where: string | null
}

function keysOf(
  check: DefinitionCheck,
  byKey: ReadonlyMap<string, AttributeSpec>,
  value: unknown,
  path: string,
): string[] {
  const keys = check.array(value, path, 'the attribute keys')
  if (keys.length === 0) check.fail('invalid_option', path, 'lists no attributes', 'List at least one attribute key')
  const attributes = keys.map((key, index) => attributeOf(check, byKey, key, `${path}[${index}]`))
  if (new Set(attributes).size !== attributes.length) {
    check.fail('invalid_option', path, 'lists an attribute twice', 'List every attribute once')
  }
  return attributes.map((attribute) => attribute.key)
}

/** `fields` of a custom index: attribute keys, `{ field, order }` or `{ expression }`. */
function indexFields(
  check: DefinitionCheck,
  byKey: ReadonlyMap<string, AttributeSpec>,
  value: unknown,
  path: string,
): IndexFieldSpec[] {
  const entries = check.array(value, path, 'the index fields')
  if (entries.length === 0) check.fail('invalid_option', path, 'lists no fields', 'List at least one attribute key')
  const fields = entries.map((entry, index): IndexFieldSpec => {
    const fieldPath = `${path}[${index}]`
    if (typeof entry === 'string') return { key: attributeOf(check, byKey, entry, fieldPath).key, order: 'asc' }
    const options = check.object(entry, fieldPath, "an index field ('attribute', { field, order } or { expression })")
    if (options.expression !== undefined) {
      check.knownKeys(options, ['expression'], fieldPath)
      const text = isSqlExpression(options.expression) ? sqlExpressionText(options.expression) : options.expression
      return { expression: check.nonEmptyString(text, `${fieldPath}.expression`, 'SQL expression') }
    }
    check.knownKeys(options, ['field', 'order'], fieldPath)
    const key = attributeOf(check, byKey, options.field, `${fieldPath}.field`).key
    const order =
      options.order === undefined
        ? 'asc'
        : check.oneOf(options.order, ['asc', 'desc'] as const, `${fieldPath}.order`, 'order')
    return { key, order }
  })
  const keys = fields.flatMap((field) => ('key' in field ? [field.key] : []))
  if (new Set(keys).size !== keys.length) {
    check.fail('invalid_option', path, 'lists an attribute twice', 'List every attribute once')
  }
  return fields
}

export function identitySpecs(
  check: DefinitionCheck,
  tableName: string,
  byKey: ReadonlyMap<string, AttributeSpec>,
  value: unknown,
  sqlite: Record<string, unknown>,
): IdentitySpec[] {
  const identities = check.optionalObject(value, 'identities', 'identities')
  const indexNames = check.optionalObject(
    sqlite.identityIndexNames,
    'sqlite.identityIndexNames',
    'sqlite.identityIndexNames',
  )
  const skipped = check.optionalArray(sqlite.skipUniqueIndexes, 'sqlite.skipUniqueIndexes', 'sqlite.skipUniqueIndexes')
  const unknownIdentity = (name: unknown, path: string): never =>
    check.fail(
      'invalid_option',
      path,
      `names unknown identity ${describeValue(name)}`,
      `Use one of the identities: ${Object.keys(identities).join(', ') || '(none defined)'}`,
    )
  for (const name of Object.keys(indexNames))
    if (!(name in identities)) unknownIdentity(name, `sqlite.identityIndexNames.${name}`)
  skipped.forEach((name, index) => {
    if (typeof name !== 'string' || !(name in identities)) unknownIdentity(name, `sqlite.skipUniqueIndexes[${index}]`)
  })
  return Object.entries(identities).map(([name, identity]) => {
    const path = `identities.${name}`
    let keys: unknown = identity
    let where: string | null = null
    let nilsDistinct = true
    if (!Array.isArray(identity)) {
      const options = check.object(identity, path, 'an identity (["attribute", ...] or { keys: [...] })')
      check.knownKeys(options, ['keys', 'description', 'where', 'nilsDistinct'], path)
      keys = options.keys
      const condition = isSqlExpression(options.where) ? sqlExpressionText(options.where) : options.where
      where = check.optionalString(condition, `${path}.where`, 'SQL condition')
      nilsDistinct = check.boolean(options.nilsDistinct, `${path}.nilsDistinct`, true)
    }
    const indexName =
      indexNames[name] === undefined
        ? check.identifier(`${tableName}_${snakeCase(name)}_index`, path, 'identity index name')
        : check.identifier(indexNames[name], `sqlite.identityIndexNames.${name}`, 'index name', { schemaObject: true })
    return {
      name,
      keys: keysOf(check, byKey, keys, Array.isArray(identity) ? path : `${path}.keys`),
      indexName,
      skipIndex: skipped.includes(name),
      where,
      nilsDistinct,
    }
  })
}

export function customIndexSpecs(
  check: DefinitionCheck,
  tableName: string,
  byKey: ReadonlyMap<string, AttributeSpec>,
  value: unknown,
): CustomIndexSpec[] {
  return check.optionalArray(value, 'sqlite.customIndexes', 'sqlite.customIndexes').map((entry, index) => {
    const path = `sqlite.customIndexes[${index}]`
    const options = check.object(entry, path, 'a custom index')
    check.knownKeys(options, ['fields', 'name', 'unique', 'where'], path)
    const fields = indexFields(check, byKey, options.fields, `${path}.fields`)
    const keys = fields.flatMap((field) => ('key' in field ? [field.key] : []))
    const unique = check.boolean(options.unique, `${path}.unique`, false)
    const parts = fields.map((field, position) =>
      'key' in field ? (byKey.get(field.key) as AttributeSpec).source : `expression${position}`,
    )
    const name =
      options.name === undefined
        ? check.identifier(`${tableName}_${parts.join('_')}_${unique ? 'unique_index' : 'index'}`, path, 'index name')
        : check.identifier(options.name, `${path}.name`, 'index name', { schemaObject: true })
    const where = isSqlExpression(options.where) ? sqlExpressionText(options.where) : options.where
    return { name, keys, fields, unique, where: check.optionalString(where, `${path}.where`, 'SQL condition') }
  })
}

export function checkUniqueIndexNames(
  check: DefinitionCheck,
  tableName: string,
  identities: readonly IdentitySpec[],
  indexes: readonly CustomIndexSpec[],
): void {
  // Tables and indexes share one namespace in SQLite, and names are compared case-insensitively.
  const seen = new Set<string>()
  const named = [
    ...identities
      .filter((identity) => !identity.skipIndex)
      .map((identity) => ({ name: identity.indexName, path: `identities.${identity.name}` })),
    ...indexes.map((index, position) => ({ name: index.name, path: `sqlite.customIndexes[${position}]` })),
  ]
  for (const { name, path } of named) {
    if (name.toLowerCase() === tableName.toLowerCase()) {
      check.fail(
        'invalid_identifier',
        path,
        `creates index "${name}", which has the name of its own table (SQLite keeps tables and indexes in one namespace)`,
        'Give the index another name',
      )
    }
    if (seen.has(name.toLowerCase())) {
      check.fail(
        'invalid_option',
        path,
        `creates index "${name}", which another identity or custom index already creates`,
        'Give the index another name',
      )
    }
    seen.add(name.toLowerCase())
  }
}
