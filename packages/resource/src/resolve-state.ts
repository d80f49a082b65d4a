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
import type { ColumnState, TableState } from './table-state.js'

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
}

/** A resolved column: its state plus what the Drizzle column needs beyond the state. */
export interface ResolvedColumn {
  state: ColumnState
  attribute: AttributeSpec
  valueType: ColumnValueType
  /** The target resource and attribute key a foreign key points at. */
  reference: { target: AnyResource; key: string } | null
}

export interface ResolvedResource {
  state: TableState
  columns: ResolvedColumn[]
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
  return { state: deepFreeze(tableState(spec, columns)), columns }
}

function ownColumn(attribute: AttributeSpec): ResolvedColumn {
  const type = attribute.type as AttributeType
  return {
    state: columnState(attribute, attributeSqlType(attribute) ?? SQL_TYPES[type], null),
    attribute,
    valueType: { type, enumValues: attribute.enumValues, itemType: attribute.itemType },
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
    ? { type: attribute.type, enumValues: null, itemType: null }
    : destination.valueType
  const sqlType = attribute.sqlTypeOverride ?? (attribute.type ? SQL_TYPES[attribute.type] : destination.sqlType)
  const reference = relationship.reference
    ? { table: destination.target.tableName, column: destination.attribute.source, ...relationship.reference }
    : null
  if (reference) checkReferencedKey(check, relationship, destination)
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
  if (target.repo.name !== spec.repo.name) {
    check.fail(
      'cross_repo_relationship',
      path,
      `belongs to ${target.name}, which lives in repo "${target.repo.name}" while ${spec.name} lives in repo "${spec.repo.name}"`,
      'A foreign key cannot span databases: move both resources to one repo, or store the key as a plain attribute',
    )
  }
  const targetSpec = specOf(target)
  const key = relationship.destinationAttribute ?? primaryKeyOf(check, path, targetSpec)
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
      valueType: { type: attribute.type, enumValues: attribute.enumValues, itemType: attribute.itemType },
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

function targetOf(check: DefinitionCheck, path: string, thunk: () => unknown): AnyResource {
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

/** SQLite requires a foreign key's parent column to be the primary key or carry a unique, non-partial index. */
function checkReferencedKey(check: DefinitionCheck, relationship: BelongsToSpec, destination: Destination): void {
  const targetSpec = specOf(destination.target)
  const key = destination.attribute.key
  const soleKey = targetSpec.attributes.filter((attribute) => attribute.primaryKey).map((attribute) => attribute.key)
  if (soleKey.length === 1 && soleKey[0] === key) return
  const uniqueIndex =
    targetSpec.baseFilterSql === null &&
    targetSpec.identities.some(
      (identity) => !identity.skipIndex && identity.keys.length === 1 && identity.keys[0] === key,
    )
  const uniqueCustomIndex = targetSpec.customIndexes.some(
    (index) => index.unique && index.where === null && index.keys.length === 1 && index.keys[0] === key,
  )
  if (uniqueIndex || uniqueCustomIndex) return
  check.fail(
    'invalid_option',
    `relationships.${relationship.name}.destinationAttribute`,
    `points at ${destination.target.name}.${key}, which is neither its primary key nor unique, so SQLite would reject the foreign key`,
    `Add an identity over ${key} to ${destination.target.name}, or point at its primary key`,
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

function tableState(spec: ResourceSpec, columns: readonly ResolvedColumn[]): TableState {
  const sourceOf = new Map(spec.attributes.map((attribute) => [attribute.key, attribute.source]))
  const sources = (keys: readonly string[]) => keys.map((key) => sourceOf.get(key) as string)
  return {
    table: spec.tableName,
    repo: spec.repo.name,
    resources: [spec.name],
    columns: columns.map((column) => column.state),
    identities: spec.identities
      .filter((identity) => !identity.skipIndex)
      .map((identity) => ({
        name: identity.name,
        columns: sources(identity.keys),
        indexName: identity.indexName,
        where: spec.baseFilterSql,
      }))
      .sort(byName),
    customIndexes: spec.customIndexes
      .map((index) => ({ name: index.name, columns: sources(index.keys), unique: index.unique, where: index.where }))
      .sort(byName),
    customStatements: spec.customStatements.map((statement) => ({ ...statement })),
    strict: spec.strict,
    baseFilterSql: spec.baseFilterSql,
  }
}
