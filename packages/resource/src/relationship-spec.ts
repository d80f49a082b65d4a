/**
 * Relationships of a resource definition: `belongsTo` (which also defines its key attribute and, through
 * `sqlite.references`, its foreign key actions), `hasMany` and `hasOne`. Targets stay thunks here; they are
 * followed later, in `resolve-state.ts`.
 */

import { type AttributeSpec, attributeOf, keyAndNullability } from './attribute-spec.js'
import { describeValue, KEY_ATTRIBUTE_TYPES, type KeyAttributeType } from './attribute-types.js'
import type { DefinitionCheck } from './definition-check.js'
import { isPlainIdentifier, snakeCase } from './identifiers.js'
import { isRelationship } from './relationships.js'
import type { ReferenceAction } from './table-state.js'

export interface BelongsToSpec {
  name: string
  target: () => unknown
  /** The attribute this relationship defines (`author` -> `authorId`); null for a composite belongsTo. */
  key: string | null
  /** The source attribute keys: `[key]`, or the existing attributes a composite belongsTo names. */
  keys: string[]
  /** `destinationAttribute(s)` as written; null means the target's primary key. */
  destinationAttributes: string[] | null
  /** Null when `references[name].ignore`. */
  reference: { onDelete: ReferenceAction; onUpdate: ReferenceAction; name: string | null } | null
}

export interface OtherRelationshipSpec {
  name: string
  type: 'hasMany' | 'hasOne' | 'manyToMany'
  target: () => unknown
  /** hasMany/hasOne: the target's attribute that points back; manyToMany: the target's attribute the join points at. */
  destinationAttribute: string | null
  sourceAttribute: string | null
  /** manyToMany only. */
  through: (() => unknown) | null
  sourceAttributeOnJoinResource: string | null
  destinationAttributeOnJoinResource: string | null
}

const COMPOSITE_BELONGS_TO_OPTION_KEYS = ['attributes', 'destinationAttributes', 'description']
const BELONGS_TO_OPTION_KEYS = [
  'allowNull',
  'attribute',
  'destinationAttribute',
  'attributeType',
  'primaryKey',
  'renamedFrom',
  'description',
]
const HAS_OPTION_KEYS = ['destinationAttribute', 'sourceAttribute', 'description']
const MANY_TO_MANY_OPTION_KEYS = [
  'through',
  'sourceAttributeOnJoinResource',
  'destinationAttributeOnJoinResource',
  'sourceAttribute',
  'destinationAttribute',
  'description',
]
const REFERENCE_KEYS = ['onDelete', 'onUpdate', 'name', 'ignore']
const REFERENCE_ACTIONS: Readonly<Record<string, ReferenceAction>> = {
  delete: 'CASCADE',
  nilify: 'SET NULL',
  restrict: 'RESTRICT',
  nothing: 'NO ACTION',
  update: 'CASCADE',
  setDefault: 'SET DEFAULT',
}

interface RelationshipSpecs {
  belongsTo: BelongsToSpec[]
  keys: AttributeSpec[]
  others: OtherRelationshipSpec[]
}

export function relationshipSpecs(
  check: DefinitionCheck,
  relationships: Record<string, unknown>,
  references: Record<string, unknown>,
): RelationshipSpecs {
  const specs: RelationshipSpecs = { belongsTo: [], keys: [], others: [] }
  for (const [name, value] of Object.entries(relationships)) {
    const path = `relationships.${name}`
    if (!isRelationship(value)) {
      check.fail(
        'invalid_option',
        path,
        `is ${describeValue(value)}, not a relationship`,
        'Define it with belongsTo(() => Target), hasMany(...), hasOne(...) or manyToMany(...)',
      )
    }
    const type = check.oneOf(
      value.type,
      ['belongsTo', 'hasMany', 'hasOne', 'manyToMany'] as const,
      `${path}.type`,
      'relationship type',
    )
    if (typeof value.target !== 'function') {
      check.fail(
        'invalid_option',
        path,
        `has target ${describeValue(value.target)}, not a function`,
        `Pass a thunk: ${type}(() => Target)`,
      )
    }
    const options = check.object(value.options, path, 'the relationship options')
    if (type === 'belongsTo') {
      const { spec, key } = belongsToSpec(check, name, value.target, options, references[name])
      specs.belongsTo.push(spec)
      if (key) specs.keys.push(key)
    } else {
      specs.others.push(otherRelationshipSpec(check, name, type, value.target, options))
    }
  }
  for (const name of Object.keys(references)) {
    const relationship = relationships[name]
    if (relationship === undefined) {
      check.fail(
        'unknown_relationship',
        `sqlite.references.${name}`,
        `names no relationship "${name}"`,
        `Use the name of a belongsTo relationship${specs.belongsTo.length ? ` (${specs.belongsTo.map((spec) => spec.name).join(', ')})` : ''}`,
      )
    }
    if (!specs.belongsTo.some((spec) => spec.name === name)) {
      check.fail(
        'unknown_relationship',
        `sqlite.references.${name}`,
        `names relationship "${name}", which is not a belongsTo`,
        'Configure references only for belongsTo relationships',
      )
    }
  }
  return specs
}

function otherRelationshipSpec(
  check: DefinitionCheck,
  name: string,
  type: OtherRelationshipSpec['type'],
  target: () => unknown,
  options: Record<string, unknown>,
): OtherRelationshipSpec {
  const path = `relationships.${name}`
  check.knownKeys(options, type === 'manyToMany' ? MANY_TO_MANY_OPTION_KEYS : HAS_OPTION_KEYS, path)
  check.optionalString(options.description, `${path}.description`, 'description')
  const attribute = (option: string) => check.optionalString(options[option], `${path}.${option}`, 'attribute name')
  let through: (() => unknown) | null = null
  if (type === 'manyToMany') {
    if (typeof options.through !== 'function') {
      check.fail(
        'invalid_option',
        `${path}.through`,
        `is ${describeValue(options.through)}, not a thunk returning the join resource`,
        'Pass the join resource as a thunk: manyToMany(() => Tag, { through: () => PostTag })',
      )
    }
    through = options.through as () => unknown
  }
  return {
    name,
    type,
    target,
    destinationAttribute: attribute('destinationAttribute'),
    sourceAttribute: attribute('sourceAttribute'),
    through,
    sourceAttributeOnJoinResource: type === 'manyToMany' ? attribute('sourceAttributeOnJoinResource') : null,
    destinationAttributeOnJoinResource: type === 'manyToMany' ? attribute('destinationAttributeOnJoinResource') : null,
  }
}

function belongsToSpec(
  check: DefinitionCheck,
  name: string,
  target: () => unknown,
  options: Record<string, unknown>,
  reference: unknown,
): { spec: BelongsToSpec; key: AttributeSpec | null } {
  const path = `relationships.${name}`
  if (options.attributes !== undefined) {
    return { spec: compositeBelongsToSpec(check, name, target, options, reference), key: null }
  }
  check.knownKeys(options, [...BELONGS_TO_OPTION_KEYS, 'destinationAttributes'], path)
  if (options.destinationAttributes !== undefined) {
    check.fail(
      'invalid_option',
      `${path}.destinationAttributes`,
      'is set without attributes',
      'Use destinationAttribute for a one-column key, or list the source attributes in attributes: [...]',
    )
  }
  const key =
    options.attribute === undefined
      ? `${name}Id`
      : check.nonEmptyString(options.attribute, `${path}.attribute`, 'attribute name')
  const source = snakeCase(key)
  if (!isPlainIdentifier(source)) {
    check.fail(
      'invalid_identifier',
      `${path}.attribute`,
      `the column name "${source}" derived from "${key}" is not a plain SQL identifier`,
      'Set the attribute option to a name like "authorId"',
    )
  }
  const attributeType = attributeTypeOf(check, `${path}.attributeType`, options.attributeType)
  const { primaryKey, allowNull } = keyAndNullability(check, path, options)
  const renamedFrom = check.optionalIdentifier(options.renamedFrom, `${path}.renamedFrom`, 'previous column name')
  check.optionalString(options.description, `${path}.description`, 'description')
  const destinationAttribute = check.optionalString(
    options.destinationAttribute,
    `${path}.destinationAttribute`,
    'attribute name',
  )
  return {
    spec: {
      name,
      target,
      key,
      keys: [key],
      destinationAttributes: destinationAttribute === null ? null : [destinationAttribute],
      reference: referenceOf(check, `sqlite.references.${name}`, reference),
    },
    key: {
      key,
      source,
      type: attributeType,
      enumValues: null,
      itemType: null,
      allowNull,
      primaryKey,
      autoincrement: false,
      default: null,
      generated: null,
      renamedFrom,
      sqlTypeOverride: null,
      runtimeDefault: null,
      onUpdateNow: false,
      relationship: name,
      enumCheck: false,
      storage: null,
    },
  }
}

/**
 * `belongsTo(() => T, { attributes: [...], destinationAttributes: [...] })`: a multi-column foreign key over
 * attributes the resource already defines (so a tenant key can take part in several keys). It defines no column.
 */
function compositeBelongsToSpec(
  check: DefinitionCheck,
  name: string,
  target: () => unknown,
  options: Record<string, unknown>,
  reference: unknown,
): BelongsToSpec {
  const path = `relationships.${name}`
  check.knownKeys(options, COMPOSITE_BELONGS_TO_OPTION_KEYS, path)
  check.optionalString(options.description, `${path}.description`, 'description')
  const names = (option: string): string[] => {
    const list = check.array(options[option], `${path}.${option}`, 'attribute keys')
    if (list.length === 0) {
      check.fail('invalid_option', `${path}.${option}`, 'lists no attributes', 'List at least one attribute key')
    }
    const keys = list.map((key, index) => check.nonEmptyString(key, `${path}.${option}[${index}]`, 'attribute key'))
    if (new Set(keys).size !== keys.length) {
      check.fail('invalid_option', `${path}.${option}`, 'lists an attribute twice', 'List every attribute once')
    }
    return keys
  }
  const keys = names('attributes')
  const destinationAttributes = options.destinationAttributes === undefined ? null : names('destinationAttributes')
  if (destinationAttributes && destinationAttributes.length !== keys.length) {
    check.fail(
      'invalid_option',
      `${path}.destinationAttributes`,
      `lists ${destinationAttributes.length} attribute(s) for ${keys.length} source attribute(s)`,
      'List one destination attribute per source attribute, in the same order',
    )
  }
  return {
    name,
    target,
    key: null,
    keys,
    destinationAttributes,
    reference: referenceOf(check, `sqlite.references.${name}`, reference),
  }
}

function attributeTypeOf(check: DefinitionCheck, path: string, value: unknown): KeyAttributeType | null {
  if (value === undefined) return null
  if (!(KEY_ATTRIBUTE_TYPES as readonly unknown[]).includes(value)) {
    check.fail(
      'unknown_type',
      path,
      `is ${describeValue(value)}, not a key type`,
      `Use one of: ${KEY_ATTRIBUTE_TYPES.join(', ')}`,
    )
  }
  return value as KeyAttributeType
}

function referenceOf(check: DefinitionCheck, path: string, value: unknown): BelongsToSpec['reference'] {
  const options = check.optionalObject(value, path, 'the reference options')
  check.knownKeys(options, REFERENCE_KEYS, path)
  if (check.boolean(options.ignore, `${path}.ignore`, false)) return null
  const actions = Object.keys(REFERENCE_ACTIONS)
  const action = (option: 'onDelete' | 'onUpdate'): ReferenceAction =>
    options[option] === undefined
      ? 'NO ACTION'
      : (REFERENCE_ACTIONS[check.oneOf(options[option], actions, `${path}.${option}`, option)] as ReferenceAction)
  return {
    onDelete: action('onDelete'),
    onUpdate: action('onUpdate'),
    name: check.optionalIdentifier(options.name, `${path}.name`, 'constraint name'),
  }
}

export function checkNilifyTargets(
  check: DefinitionCheck,
  belongsTo: readonly BelongsToSpec[],
  byKey: ReadonlyMap<string, AttributeSpec>,
): void {
  for (const relationship of belongsTo) {
    const path = `relationships.${relationship.name}.attributes`
    const keys = relationship.keys.map((key, index) =>
      relationship.key === null ? attributeOf(check, byKey, key, `${path}[${index}]`) : byKey.get(key),
    )
    if (!relationship.reference) continue
    for (const option of ['onDelete', 'onUpdate'] as const) {
      const action = relationship.reference[option]
      const notNull = keys.find((key) => key && !key.allowNull)
      if (action === 'SET NULL' && notNull) {
        check.fail(
          'invalid_option',
          `sqlite.references.${relationship.name}.${option}`,
          `is 'nilify' but ${notNull.key} does not allow null`,
          `Use 'delete' or 'restrict', or let the relationship allow null`,
        )
      }
      const noDefault = keys.find((key) => key && key.default === null && !key.allowNull)
      if (action === 'SET DEFAULT' && noDefault) {
        check.fail(
          'invalid_option',
          `sqlite.references.${relationship.name}.${option}`,
          `is 'setDefault' but ${noDefault.key} has no default and does not allow null, so SQLite would fail the ${option === 'onDelete' ? 'delete' : 'update'}`,
          `Give ${noDefault.key} a default (sqlite.migrationDefaults), or use another action`,
        )
      }
    }
  }
}
