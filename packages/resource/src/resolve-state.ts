/**
 * The second half of compiling a resource: what needs its belongsTo targets. Runs on first use of
 * `Resource.state`/`Resource.table` (forced by `defineDomain`), when every module has finished loading.
 */
import { type ArrayItemType, type AttributeType, describeValue, SQL_TYPES } from './attribute-types.js'
import { DefinitionCheck } from './definition-check.js'
import type { AnyResource } from './resource.js'
import {
  type AttributeSpec,
  attributeSqlType,
  type BelongsToSpec,
  checkStrictType,
  type ResourceSpec,
} from './resource-spec.js'
import type { ColumnState, ForeignKeyState, TableState } from './table-state.js'

/** Where the compiled resource keeps its validated definition (a registered symbol survives module copies). */
export const RESOURCE_SPEC: unique symbol = Symbol.for('@ash-sqlite/resource.spec')

/** Brand check (no instanceof: configs may load a second copy of this module). */
export function isResource(value: unknown): value is AnyResource {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'resource' &&
    typeof (value as { name?: unknown }).name === 'string'
  )
}

export function specOf(resource: AnyResource): ResourceSpec {
  const spec = (resource as unknown as { [RESOURCE_SPEC]?: ResourceSpec })[RESOURCE_SPEC]
  if (!spec) throw new TypeError(`Resource ${resource.name} was not made by defineResource`)
  return spec
}

/** How a column's values are mapped between JavaScript and SQLite. */
export interface ColumnValueType {
  type: AttributeType
  enumValues: readonly string[] | null
  itemType: ArrayItemType | null
  /** Integer storage of a Date-typed attribute; null for text. */
  storage: 'unixepoch' | 'unixepochMs' | null
}

/** A resolved column: its state plus what the Drizzle column needs beyond the state. */
export interface ResolvedColumn {
  state: ColumnState
  attribute: AttributeSpec
  valueType: ColumnValueType
  /** The target resource and attribute key a foreign key points at. */
  reference: { target: AnyResource; key: string } | null
}

/** A composite foreign key: its state plus the target resource and attribute keys it points at. */
export interface ResolvedForeignKey {
  state: ForeignKeyState
  relationship: string
  target: AnyResource
  /** The source attribute keys and the target attribute keys, position by position. */
  keys: string[]
  targetKeys: string[]
}

export interface ResolvedResource {
  state: TableState
  columns: ResolvedColumn[]
  foreignKeys: ResolvedForeignKey[]
}

interface Destination {
  target: AnyResource
  attribute: AttributeSpec
  valueType: ColumnValueType
  sqlType: string
}

export function resolveResource(spec: ResourceSpec): ResolvedResource {
  const check: DefinitionCheck = new DefinitionCheck(spec.name)
  for (const relationship of spec.otherRelationships) checkOtherRelationship(check, relationship)
  const columns = spec.attributes.map((attribute): ResolvedColumn => {
    const relationship = spec.belongsTo.find(
      (candidate) => candidate.key === attribute.key && attribute.relationship === candidate.name,
    )
    return relationship ? keyColumn(check, spec, attribute, relationship) : ownColumn(attribute)
  })
  if (spec.strict) for (const column of columns) checkStrictType(check, column.attribute, column.state.type)
  const foreignKeys = spec.belongsTo
    .filter((relationship) => relationship.key === null)
    .flatMap((relationship) => compositeForeignKey(check, spec, relationship) ?? [])
  return { state: deepFreeze(tableState(spec, columns, foreignKeys)), columns, foreignKeys }
}

/** A composite belongsTo: checks it and returns its foreign key (none when its reference is ignored). */
function compositeForeignKey(
  check: DefinitionCheck,
  spec: ResourceSpec,
  relationship: BelongsToSpec,
): ResolvedForeignKey | null {
  const path = `relationships.${relationship.name}`
  const target = targetOf(check, path, relationship.target)
  checkSameRepo(check, spec, path, target)
  const targetSpec = specOf(target)
  const targetKeys =
    relationship.destinationAttributes ??
    targetSpec.attributes.filter((attribute) => attribute.primaryKey).map((attribute) => attribute.key)
  if (targetKeys.length !== relationship.keys.length) {
    check.fail(
      'invalid_option',
      `${path}.destinationAttributes`,
      `${relationship.destinationAttributes ? 'lists' : `defaults to the primary key of ${target.name}, which has`} ${targetKeys.length} attribute(s) for ${relationship.keys.length} source attribute(s)`,
      'List one destination attribute per source attribute, in the same order',
    )
  }
  const targetAttributes = targetKeys.map((key) => {
    const attribute = targetSpec.attributes.find((candidate) => candidate.key === key)
    if (!attribute) {
      check.fail(
        'unknown_attribute',
        `${path}.destinationAttributes`,
        `refers to unknown attribute "${key}" of ${target.name}`,
        `Use one of: ${targetSpec.attributes.map((candidate) => candidate.key).join(', ')}`,
      )
    }
    return attribute
  })
  if (!relationship.reference) return null
  checkReferencedKeys(check, `${path}.destinationAttributes`, target, targetKeys)
  const sourceOf = new Map(spec.attributes.map((attribute) => [attribute.key, attribute.source]))
  return {
    state: {
      columns: relationship.keys.map((key) => sourceOf.get(key) as string),
      table: target.tableName,
      referencedColumns: targetAttributes.map((attribute) => attribute.source),
      ...relationship.reference,
    },
    relationship: relationship.name,
    target,
    keys: [...relationship.keys],
    targetKeys,
  }
}

function ownColumn(attribute: AttributeSpec): ResolvedColumn {
  const type = attribute.type as AttributeType
  return {
    state: columnState(attribute, attributeSqlType(attribute) ?? SQL_TYPES[type], null),
    attribute,
    valueType: { type, enumValues: attribute.enumValues, itemType: attribute.itemType, storage: attribute.storage },
    reference: null,
  }
}

function keyColumn(
  check: DefinitionCheck,
  spec: ResourceSpec,
  attribute: AttributeSpec,
  relationship: BelongsToSpec,
): ResolvedColumn {
  const destination = resolveDestination(check, spec, relationship, new Set())
  const valueType: ColumnValueType = attribute.type
    ? { type: attribute.type, enumValues: null, itemType: null, storage: null }
    : destination.valueType
  const sqlType = attribute.sqlTypeOverride ?? (attribute.type ? SQL_TYPES[attribute.type] : destination.sqlType)
  const reference = relationship.reference
    ? { table: destination.target.tableName, column: destination.attribute.source, ...relationship.reference }
    : null
  if (reference) {
    checkReferencedKeys(check, `relationships.${relationship.name}.destinationAttribute`, destination.target, [
      destination.attribute.key,
    ])
  }
  return {
    state: columnState(attribute, sqlType, reference),
    attribute,
    valueType,
    reference: reference ? { target: destination.target, key: destination.attribute.key } : null,
  }
}

/** Follows a belongsTo to the attribute it points at; through the target's own belongsTo keys if need be. */
function resolveDestination(
  check: DefinitionCheck,
  spec: ResourceSpec,
  relationship: BelongsToSpec,
  visiting: Set<string>,
): Destination {
  const path = `relationships.${relationship.name}`
  const target = targetOf(check, path, relationship.target)
  checkSameRepo(check, spec, path, target)
  const targetSpec = specOf(target)
  const key = relationship.destinationAttributes?.[0] ?? primaryKeyOf(check, path, targetSpec)
  const attribute = targetSpec.attributes.find((candidate) => candidate.key === key)
  if (!attribute) {
    check.fail(
      'unknown_attribute',
      `${path}.destinationAttribute`,
      `refers to unknown attribute "${key}" of ${target.name}`,
      `Use one of: ${targetSpec.attributes.map((candidate) => candidate.key).join(', ')}`,
    )
  }
  if (attribute.type) {
    return {
      target,
      attribute,
      valueType: {
        type: attribute.type,
        enumValues: attribute.enumValues,
        itemType: attribute.itemType,
        storage: attribute.storage,
      },
      sqlType: attributeSqlType(attribute) ?? SQL_TYPES[attribute.type],
    }
  }
  // The destination is itself a belongsTo key of the target: its type is that key's destination type.
  const visit = `${targetSpec.name}.${attribute.key}`
  if (visiting.has(visit)) {
    check.fail(
      'invalid_option',
      path,
      'points at keys that point back at each other, so its type cannot be found',
      'Set attributeType on one of the belongsTo relationships',
    )
  }
  visiting.add(visit)
  const inner = targetSpec.belongsTo.find((candidate) => candidate.name === attribute.relationship) as BelongsToSpec
  const innerDestination = resolveDestination(new DefinitionCheck(targetSpec.name), targetSpec, inner, visiting)
  return { ...innerDestination, target, attribute, sqlType: attribute.sqlTypeOverride ?? innerDestination.sqlType }
}

export function targetOf(check: DefinitionCheck, path: string, thunk: () => unknown): AnyResource {
  let target: unknown
  try {
    target = thunk()
  } catch (error) {
    check.fail(
      'invalid_option',
      path,
      `target thunk threw: ${(error as Error)?.message ?? describeValue(error)}`,
      'Return a resource made with defineResource from the thunk',
    )
  }
  if (!isResource(target)) {
    check.fail(
      'invalid_option',
      path,
      `target is ${describeValue(target)}, not a resource`,
      'Return a resource made with defineResource from the thunk, e.g. () => User',
    )
  }
  return target
}

function primaryKeyOf(check: DefinitionCheck, path: string, target: ResourceSpec): string {
  const keys = target.attributes.filter((attribute) => attribute.primaryKey)
  if (keys.length !== 1) {
    check.fail(
      'invalid_option',
      `${path}.destinationAttribute`,
      keys.length === 0
        ? `cannot default: ${target.name} has no primary key`
        : `cannot default: ${target.name} has a composite primary key (${keys.map((key) => key.key).join(', ')})`,
      'Set destinationAttribute to a unique attribute of the target',
    )
  }
  return (keys[0] as AttributeSpec).key
}

function checkSameRepo(check: DefinitionCheck, spec: ResourceSpec, path: string, target: AnyResource): void {
  if (target.repo.name === spec.repo.name) return
  check.fail(
    'cross_repo_relationship',
    path,
    `belongs to ${target.name}, which lives in repo "${target.repo.name}" while ${spec.name} lives in repo "${spec.repo.name}"`,
    'A foreign key cannot span databases: move both resources to one repo, or store the key as a plain attribute',
  )
}

/**
 * SQLite requires a foreign key's parent columns to be the primary key or to carry a unique index over exactly
 * those columns, without WHERE and without expressions.
 */
function checkReferencedKeys(check: DefinitionCheck, path: string, target: AnyResource, keys: readonly string[]): void {
  const targetSpec = specOf(target)
  const same = (candidate: readonly string[]) =>
    candidate.length === keys.length && candidate.every((key) => keys.includes(key))
  if (same(targetSpec.attributes.filter((attribute) => attribute.primaryKey).map((attribute) => attribute.key))) return
  const uniqueIndex =
    targetSpec.baseFilterSql === null &&
    targetSpec.identities.some(
      (identity) => !identity.skipIndex && identity.where === null && identity.nilsDistinct && same(identity.keys),
    )
  const uniqueCustomIndex = targetSpec.customIndexes.some(
    (index) => index.unique && index.where === null && index.fields.length === index.keys.length && same(index.keys),
  )
  if (uniqueIndex || uniqueCustomIndex) return
  const what = keys.map((key) => `${target.name}.${key}`).join(', ')
  check.fail(
    'invalid_option',
    path,
    `points at ${what}, which ${keys.length === 1 ? 'is' : 'are'} neither its primary key nor unique (a unique index over exactly ${keys.length === 1 ? 'it' : 'them'}, without where), so SQLite would reject the foreign key`,
    `Add an identity over ${keys.join(', ')} to ${target.name}, or point at its primary key`,
  )
}

function checkOtherRelationship(
  check: DefinitionCheck,
  relationship: ResourceSpec['otherRelationships'][number],
): void {
  const path = `relationships.${relationship.name}`
  const target = targetOf(check, path, relationship.target)
  const key = relationship.destinationAttribute
  if (key !== null && !specOf(target).attributes.some((attribute) => attribute.key === key)) {
    check.fail(
      'unknown_attribute',
      `${path}.destinationAttribute`,
      `refers to unknown attribute "${key}" of ${target.name}`,
      `Use an attribute of ${target.name}`,
    )
  }
}

function columnState(attribute: AttributeSpec, type: string, references: ColumnState['references']): ColumnState {
  return {
    source: attribute.source,
    attribute: attribute.key,
    type,
    allowNull: attribute.allowNull,
    default: attribute.default,
    primaryKey: attribute.primaryKey,
    autoincrement: attribute.autoincrement,
    generated: attribute.generated ? { ...attribute.generated } : null,
    references,
  }
}

/** States are shared by every reader of a resource, so nobody may change them in place. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

const byName = (left: { name: string }, right: { name: string }) =>
  left.name < right.name ? -1 : left.name > right.name ? 1 : 0

function tableState(
  spec: ResourceSpec,
  columns: readonly ResolvedColumn[],
  foreignKeys: readonly ResolvedForeignKey[],
): TableState {
  const sourceOf = new Map(spec.attributes.map((attribute) => [attribute.key, attribute.source]))
  const attributeOf = new Map(spec.attributes.map((attribute) => [attribute.key, attribute]))
  const sources = (keys: readonly string[]) => keys.map((key) => sourceOf.get(key) as string)
  const state: TableState = {
    table: spec.tableName,
    repo: spec.repo.name,
    resources: [spec.name],
    columns: columns.map((column) => column.state),
    identities: spec.identities
      .filter((identity) => !identity.skipIndex)
      .map((identity) => {
        const where = combinedWhere(identity.where, spec.baseFilterSql)
        // NULLs only need special keys in columns that can hold them.
        const nullable = identity.keys.some((key) => attributeOf.get(key)?.allowNull !== false)
        return {
          name: identity.name,
          columns: sources(identity.keys),
          indexName: identity.indexName,
          where,
          ...(identity.nilsDistinct || !nullable ? {} : { nilsDistinct: false as const }),
        }
      })
      .sort(byName),
    customIndexes: spec.customIndexes
      .map((index) => {
        const plain = index.fields.every((field) => 'key' in field && field.order === 'asc')
        return {
          name: index.name,
          columns: sources(index.keys),
          unique: index.unique,
          where: index.where,
          ...(plain
            ? {}
            : {
                keys: index.fields.map((field) =>
                  'key' in field
                    ? { column: sourceOf.get(field.key) as string, order: field.order }
                    : { expression: field.expression },
                ),
              }),
        }
      })
      .sort(byName),
    customStatements: spec.customStatements.map((statement) => ({ ...statement })),
    strict: spec.strict,
    baseFilterSql: spec.baseFilterSql,
  }
  if (foreignKeys.length > 0) {
    state.foreignKeys = foreignKeys
      .map((foreignKey) => foreignKey.state)
      .sort((left, right) => compareText(left.columns.join(','), right.columns.join(',')))
  }
  if (spec.checkConstraints.length > 0) {
    state.checkConstraints = spec.checkConstraints
      .map((constraint) => ({ name: constraint.name, check: constraint.check }))
      .sort(byName)
  }
  return state
}

function combinedWhere(own: string | null, base: string | null): string | null {
  if (own === null) return base
  if (base === null) return own
  return `(${base}) AND (${own})`
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0
}
