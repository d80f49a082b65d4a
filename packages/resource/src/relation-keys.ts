/**
 * Which attributes join a resource to the target of each of its relationships: the facts a Drizzle relation
 * needs (`from`, `to`, and for manyToMany the join resource's keys). Defaults follow Ash: a hasMany/hasOne
 * finds the target's one belongsTo back to this resource; a manyToMany finds the join resource's one belongsTo
 * to each side. Anything that cannot be found fails with a ResourceDefinitionError naming the option to set.
 */
import { DefinitionCheck } from './definition-check.js'
import { specOf, targetOf } from './resolve-state.js'
import type { AnyResource } from './resource.js'
import type { BelongsToSpec, OtherRelationshipSpec, ResourceSpec } from './resource-spec.js'

export interface RelationKeys {
  /** The relationship name: the `with` key of Drizzle's relational queries. */
  name: string
  kind: 'one' | 'many'
  target: AnyResource
  /** A `one` relation whose row may be missing (a nullable belongsTo key, a hasOne). */
  optional: boolean
  /** Attribute keys of the source resource. */
  from: string[]
  /** Attribute keys of the target resource, position by position with `from`. */
  to: string[]
  /** manyToMany: the join resource, its keys matching `from` and its keys matching `to`. */
  through: { resource: AnyResource; from: string[]; to: string[] } | null
}

/** The join keys of every relationship of a resource, in definition order. Throws ResourceDefinitionError. */
export function relationKeysOf(resource: AnyResource): RelationKeys[] {
  const spec = specOf(resource)
  const check = new DefinitionCheck(spec.name)
  const byName = new Map<string, RelationKeys>()
  for (const relationship of spec.belongsTo) byName.set(relationship.name, belongsToKeys(check, spec, relationship))
  for (const relationship of spec.otherRelationships) {
    byName.set(
      relationship.name,
      relationship.type === 'manyToMany'
        ? manyToManyKeys(check, resource, relationship)
        : hasKeys(check, resource, relationship),
    )
  }
  return Object.keys(resource.relationships as object).flatMap((name) => byName.get(name) ?? [])
}

function belongsToKeys(check: DefinitionCheck, spec: ResourceSpec, relationship: BelongsToSpec): RelationKeys {
  const path = `relationships.${relationship.name}`
  const target = targetOf(check, path, relationship.target)
  const attributes = relationship.keys.map((key) => spec.attributes.find((attribute) => attribute.key === key))
  return {
    name: relationship.name,
    kind: 'one',
    target,
    optional: attributes.some((attribute) => attribute?.allowNull !== false),
    from: [...relationship.keys],
    to: relationship.destinationAttributes ?? primaryKeys(check, `${path}.destinationAttribute`, specOf(target)),
    through: null,
  }
}

function hasKeys(check: DefinitionCheck, resource: AnyResource, relationship: OtherRelationshipSpec): RelationKeys {
  const path = `relationships.${relationship.name}`
  const target = targetOf(check, path, relationship.target)
  const targetSpec = specOf(target)
  let to: string[]
  let back: BelongsToSpec | undefined
  if (relationship.destinationAttribute !== null) {
    to = [attributeOf(check, `${path}.destinationAttribute`, targetSpec, relationship.destinationAttribute)]
    back = targetSpec.belongsTo.find((candidate) => sameKeys(candidate.keys, to))
  } else {
    back = belongsToBack(check, path, targetSpec, resource, 'destinationAttribute')
    to = [...back.keys]
  }
  const from =
    relationship.sourceAttribute !== null
      ? [attributeOf(check, `${path}.sourceAttribute`, specOf(resource), relationship.sourceAttribute)]
      : (back?.destinationAttributes ?? primaryKeys(check, `${path}.sourceAttribute`, specOf(resource)))
  checkArity(check, path, from, to)
  return {
    name: relationship.name,
    kind: relationship.type === 'hasOne' ? 'one' : 'many',
    target,
    optional: true,
    from,
    to,
    through: null,
  }
}

function manyToManyKeys(
  check: DefinitionCheck,
  resource: AnyResource,
  relationship: OtherRelationshipSpec,
): RelationKeys {
  const path = `relationships.${relationship.name}`
  const target = targetOf(check, path, relationship.target)
  const join = targetOf(check, `${path}.through`, relationship.through as () => unknown)
  const joinSpec = specOf(join)
  const joinKeys = (
    option: 'sourceAttributeOnJoinResource' | 'destinationAttributeOnJoinResource',
    to: AnyResource,
  ) => {
    const explicit = relationship[option]
    if (explicit !== null) {
      const key = attributeOf(check, `${path}.${option}`, joinSpec, explicit)
      const back = joinSpec.belongsTo.find((candidate) => sameKeys(candidate.keys, [key]))
      return { keys: [key], destination: back?.destinationAttributes ?? null }
    }
    const back = belongsToBack(check, path, joinSpec, to, option, resource === target)
    return { keys: [...back.keys], destination: back.destinationAttributes }
  }
  const source = joinKeys('sourceAttributeOnJoinResource', resource)
  const destination = joinKeys('destinationAttributeOnJoinResource', target)
  const from =
    relationship.sourceAttribute !== null
      ? [attributeOf(check, `${path}.sourceAttribute`, specOf(resource), relationship.sourceAttribute)]
      : (source.destination ?? primaryKeys(check, `${path}.sourceAttribute`, specOf(resource)))
  const to =
    relationship.destinationAttribute !== null
      ? [attributeOf(check, `${path}.destinationAttribute`, specOf(target), relationship.destinationAttribute)]
      : (destination.destination ?? primaryKeys(check, `${path}.destinationAttribute`, specOf(target)))
  checkArity(check, path, from, source.keys)
  checkArity(check, path, to, destination.keys)
  return {
    name: relationship.name,
    kind: 'many',
    target,
    optional: true,
    from,
    to,
    through: { resource: join, from: source.keys, to: destination.keys },
  }
}

/** The one belongsTo of `spec` whose target is `to`; fails naming `option` when there is none or several. */
function belongsToBack(
  check: DefinitionCheck,
  path: string,
  spec: ResourceSpec,
  to: AnyResource,
  option: string,
  selfJoin = false,
): BelongsToSpec {
  const candidates = spec.belongsTo.filter((candidate) => {
    try {
      return candidate.target() === to
    } catch {
      return false
    }
  })
  if (candidates.length === 1 && !selfJoin) return candidates[0] as BelongsToSpec
  check.fail(
    'invalid_option',
    `${path}.${option}`,
    candidates.length === 0
      ? `cannot default: ${spec.name} has no belongsTo ${to.name}`
      : `cannot default: ${spec.name} has ${candidates.length} belongsTo relationships to ${to.name} (${candidates.map((candidate) => candidate.name).join(', ')})`,
    `Set ${option} to the attribute of ${spec.name} that points at ${to.name}`,
  )
}

function primaryKeys(check: DefinitionCheck, path: string, spec: ResourceSpec): string[] {
  const keys = spec.attributes.filter((attribute) => attribute.primaryKey).map((attribute) => attribute.key)
  if (keys.length === 0) {
    check.fail(
      'invalid_option',
      path,
      `cannot default: ${spec.name} has no primary key`,
      `Set ${path.split('.').pop()}`,
    )
  }
  return keys
}

function attributeOf(check: DefinitionCheck, path: string, spec: ResourceSpec, key: string): string {
  if (!spec.attributes.some((attribute) => attribute.key === key)) {
    check.fail(
      'unknown_attribute',
      path,
      `refers to unknown attribute "${key}" of ${spec.name}`,
      `Use one of: ${spec.attributes.map((attribute) => attribute.key).join(', ')}`,
    )
  }
  return key
}

function checkArity(check: DefinitionCheck, path: string, from: readonly string[], to: readonly string[]): void {
  if (from.length === to.length) return
  check.fail(
    'invalid_option',
    path,
    `joins ${from.length} attribute(s) (${from.join(', ')}) to ${to.length} (${to.join(', ')})`,
    'Name as many attributes on each side (sourceAttribute/destinationAttribute)',
  )
}

function sameKeys(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((key, index) => key === right[index])
}
