/**
 * Relationships of a resource definition: `belongsTo` (which also defines its key attribute and, through
 * `sqlite.references`, its foreign key actions), `hasMany` and `hasOne`. Targets stay thunks here; they are
 * followed later, in `resolve-state.ts`.
 */

import { type AttributeSpec, keyAndNullability } from './attribute-spec.js'
import { describeValue, KEY_ATTRIBUTE_TYPES, type KeyAttributeType } from './attribute-types.js'
import type { DefinitionCheck } from './definition-check.js'
import { isPlainIdentifier, snakeCase } from './identifiers.js'
import { isRelationship } from './relationships.js'
import type { ReferenceAction } from './table-state.js'

export interface BelongsToSpec {
  name: string
  target: () => unknown
  /** The source attribute's key. */
  key: string
  destinationAttribute: string | null
  /** Null when `references[name].ignore`. */
  reference: { onDelete: ReferenceAction; onUpdate: ReferenceAction; name: string | null } | null
}

export interface OtherRelationshipSpec {
  name: string
  type: 'hasMany' | 'hasOne'
  target: () => unknown
  destinationAttribute: string | null
}

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
const REFERENCE_KEYS = ['onDelete', 'onUpdate', 'name', 'ignore']
const REFERENCE_ACTIONS: Readonly<Record<string, ReferenceAction>> = {
  delete: 'CASCADE',
  nilify: 'SET NULL',
  restrict: 'RESTRICT',
  nothing: 'NO ACTION',
  update: 'CASCADE',
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
        'Define it with belongsTo(() => Target), hasMany(...) or hasOne(...)',
      )
    }
    const type = check.oneOf(
      value.type,
      ['belongsTo', 'hasMany', 'hasOne'] as const,
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
      specs.keys.push(key)
    } else {
      check.knownKeys(options, HAS_OPTION_KEYS, path)
      check.optionalString(options.sourceAttribute, `${path}.sourceAttribute`, 'attribute name')
      check.optionalString(options.description, `${path}.description`, 'description')
      const destinationAttribute = check.optionalString(
        options.destinationAttribute,
        `${path}.destinationAttribute`,
        'attribute name',
      )
      specs.others.push({ name, type, target: value.target, destinationAttribute })
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

function belongsToSpec(
  check: DefinitionCheck,
  name: string,
  target: () => unknown,
  options: Record<string, unknown>,
  reference: unknown,
): { spec: BelongsToSpec; key: AttributeSpec } {
  const path = `relationships.${name}`
  check.knownKeys(options, BELONGS_TO_OPTION_KEYS, path)
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
  return {
    spec: {
      name,
      target,
      key,
      destinationAttribute: check.optionalString(
        options.destinationAttribute,
        `${path}.destinationAttribute`,
        'attribute name',
      ),
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
    },
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
    const key = byKey.get(relationship.key)
    if (!relationship.reference || key?.allowNull) continue
    for (const option of ['onDelete', 'onUpdate'] as const) {
      if (relationship.reference[option] === 'SET NULL') {
        check.fail(
          'invalid_option',
          `sqlite.references.${relationship.name}.${option}`,
          `is 'nilify' but ${relationship.key} does not allow null`,
          `Use 'delete' or 'restrict', or let the relationship allow null`,
        )
      }
    }
  }
}
