/**
 * Validation and normalisation of a resource definition, done eagerly by `defineResource`. Everything that
 * can be checked without looking at other resources is checked here, so a bad definition fails where it is
 * written. What needs the targets of belongsTo relationships (key types, repos) is resolved later, on first
 * use, because targets may not be defined yet (see `resolve-state.ts`).
 */
import {
  type ArrayItemType,
  ATTRIBUTE_TYPES,
  type AttributeType,
  describeValue,
  isArrayItemType,
  isAttributeType,
  KEY_ATTRIBUTE_TYPES,
  type KeyAttributeType,
  literalDefault,
  SQL_TYPES,
} from './attribute-types.js'
import { isAttribute } from './attributes.js'
import { isRepo } from './define-repo.js'
import { DefinitionCheck } from './definition-check.js'
import { isPlainIdentifier, snakeCase } from './identifiers.js'
import { isRelationship } from './relationships.js'
import type { Repo } from './repo.js'
import { isSqlExpression, parenthesize, sqlExpressionText } from './sql-text.js'
import { canonicalSqlType, isStrictCompatible } from './sql-type-name.js'
import type { CustomStatementState, GeneratedState, ReferenceAction } from './table-state.js'

/** Values set application-side on insert. */
export type RuntimeDefault = 'uuid' | 'now' | null

export interface AttributeSpec {
  /** Row property name. */
  key: string
  source: string
  /** Null for a belongsTo key typed after its destination, which is resolved lazily. */
  type: AttributeType | null
  enumValues: readonly string[] | null
  itemType: ArrayItemType | null
  allowNull: boolean
  primaryKey: boolean
  autoincrement: boolean
  /** SQL default text, `migrationDefaults` applied. */
  default: string | null
  generated: GeneratedState | null
  renamedFrom: string | null
  /** `migrationTypes` override, canonical. */
  sqlTypeOverride: string | null
  runtimeDefault: RuntimeDefault
  onUpdateNow: boolean
  /** The belongsTo relationship that defines this attribute, if any. */
  relationship: string | null
}

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

export interface IdentitySpec {
  name: string
  keys: string[]
  indexName: string
  /** Listed in `skipUniqueIndexes`. */
  skipIndex: boolean
}

export interface CustomIndexSpec {
  name: string
  keys: string[]
  unique: boolean
  where: string | null
}

export interface ResourceSpec {
  name: string
  description: string | null
  repo: Repo
  tableName: string
  renamedFrom: string | null
  migrate: boolean
  strict: boolean
  baseFilterSql: string | null
  /** Own attributes in definition order, then belongsTo keys in relationship order. */
  attributes: AttributeSpec[]
  belongsTo: BelongsToSpec[]
  otherRelationships: OtherRelationshipSpec[]
  identities: IdentitySpec[]
  customIndexes: CustomIndexSpec[]
  customStatements: CustomStatementState[]
}

const DEFINITION_KEYS = ['name', 'description', 'attributes', 'relationships', 'identities', 'sqlite']
const SQLITE_KEYS = [
  'repo',
  'table',
  'renamedFrom',
  'migrate',
  'strict',
  'references',
  'customIndexes',
  'customStatements',
  'migrationTypes',
  'migrationDefaults',
  'identityIndexNames',
  'skipUniqueIndexes',
  'baseFilterSql',
]
const ATTRIBUTE_OPTION_KEYS = [
  'allowNull',
  'default',
  'primaryKey',
  'generated',
  'source',
  'renamedFrom',
  'description',
]
const PRESET_OPTION_KEYS = ['source', 'renamedFrom', 'description']
const TIMESTAMP_OPTION_KEYS = [...PRESET_OPTION_KEYS, 'default']
const BELONGS_TO_OPTION_KEYS = [
  'allowNull',
  'attribute',
  'destinationAttribute',
  'attributeType',
  'primaryKey',
  'renamedFrom',
  'description',
  'source',
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

const UNNAMED = '(unnamed resource)'

/** Validates a definition as written and returns its normalised form. Throws ResourceDefinitionError. */
export function resourceSpec(definition: unknown): ResourceSpec {
  const outer: DefinitionCheck = new DefinitionCheck(UNNAMED)
  const raw = outer.object(definition, 'definition', 'a resource definition')
  const name = new DefinitionCheck(UNNAMED).nonEmptyString(raw.name, 'name', 'resource name')
  const check: DefinitionCheck = new DefinitionCheck(name)
  check.knownKeys(raw, DEFINITION_KEYS, undefined)

  const sqlite = check.optionalObject(raw.sqlite, 'sqlite', 'the sqlite block')
  const repo = repoOf(check, sqlite.repo)
  const tableName = tableNameOf(check, sqlite.table)
  check.knownKeys(sqlite, SQLITE_KEYS, 'sqlite')

  const attributes = attributeSpecs(check, raw.attributes)
  const relationships = check.optionalObject(raw.relationships, 'relationships', 'relationships')
  const references = check.optionalObject(sqlite.references, 'sqlite.references', 'sqlite.references')
  const { belongsTo, keys, others } = relationshipSpecs(check, relationships, references)
  attributes.push(...keys)
  checkUniqueColumns(check, attributes)
  checkUniqueRenames(check, attributes)
  if (attributes.length === 0) {
    check.fail(
      'invalid_option',
      'attributes',
      'defines no columns',
      'Add at least one attribute, e.g. id: attr.uuidPrimaryKey()',
    )
  }
  checkPrimaryKey(check, attributes)

  const byKey = new Map(attributes.map((attribute) => [attribute.key, attribute]))
  applyMigrationTypes(check, byKey, sqlite.migrationTypes)
  applyMigrationDefaults(check, byKey, sqlite.migrationDefaults)
  checkNilifyTargets(check, belongsTo, byKey)

  const strict = check.boolean(sqlite.strict, 'sqlite.strict', false)
  if (strict) for (const attribute of attributes) checkStrictType(check, attribute, attributeSqlType(attribute))

  const identities = identitySpecs(check, tableName, byKey, raw.identities, sqlite)
  const customIndexes = customIndexSpecs(check, tableName, byKey, sqlite.customIndexes)
  checkUniqueIndexNames(check, identities, customIndexes)

  const renamedFrom = check.optionalIdentifier(sqlite.renamedFrom, 'sqlite.renamedFrom', 'previous table name', {
    schemaObject: true,
  })
  if (renamedFrom === tableName) {
    check.fail(
      'invalid_option',
      'sqlite.renamedFrom',
      `is the current table name "${tableName}"`,
      'Remove renamedFrom once the rename has been migrated',
    )
  }

  return {
    name,
    description: check.optionalString(raw.description, 'description', 'description'),
    repo,
    tableName,
    renamedFrom,
    migrate: check.boolean(sqlite.migrate, 'sqlite.migrate', true),
    strict,
    baseFilterSql: check.optionalString(sqlite.baseFilterSql, 'sqlite.baseFilterSql', 'SQL condition'),
    attributes,
    belongsTo,
    otherRelationships: others,
    identities,
    customIndexes,
    customStatements: customStatementSpecs(check, sqlite.customStatements),
  }
}

/** The SQL type of an attribute whose type is known (own attributes, typed belongsTo keys). */
export function attributeSqlType(attribute: AttributeSpec): string | null {
  if (attribute.sqlTypeOverride) return attribute.sqlTypeOverride
  return attribute.type ? SQL_TYPES[attribute.type] : null
}

export function checkStrictType(check: DefinitionCheck, attribute: AttributeSpec, sqlType: string | null): void {
  if (sqlType === null || isStrictCompatible(sqlType)) return
  check.fail(
    'invalid_option',
    `attributes.${attribute.key}`,
    `has SQL type "${sqlType}", which a STRICT table does not accept`,
    'Use int, integer, real, text, blob or any (through sqlite.migrationTypes), or remove sqlite.strict',
  )
}

function repoOf(check: DefinitionCheck, repo: unknown): Repo {
  if (repo === undefined) {
    check.fail(
      'missing_repo',
      'sqlite.repo',
      'has no repo',
      'Set sqlite.repo to a repo made with defineRepo({ name, url })',
    )
  }
  if (!isRepo(repo)) {
    check.fail(
      'missing_repo',
      'sqlite.repo',
      `is ${describeValue(repo)}, not a repo`,
      'Set sqlite.repo to a repo made with defineRepo({ name, url })',
    )
  }
  return repo
}

function tableNameOf(check: DefinitionCheck, table: unknown): string {
  if (table === undefined) {
    check.fail(
      'missing_table',
      'sqlite.table',
      'has no table name',
      'Set sqlite.table to the table name, e.g. table: "users"',
    )
  }
  return check.identifier(table, 'sqlite.table', 'table name', { schemaObject: true })
}

function attributeSpecs(check: DefinitionCheck, attributes: unknown): AttributeSpec[] {
  const map = check.optionalObject(attributes, 'attributes', 'attributes')
  return Object.entries(map).map(([key, value]) => attributeSpec(check, key, value))
}

function attributeSpec(check: DefinitionCheck, key: string, value: unknown): AttributeSpec {
  const path = `attributes.${key}`
  if (!isAttribute(value)) {
    check.fail(
      'unknown_type',
      path,
      `is ${describeValue(value)}, not an attribute definition`,
      'Define it with one of the attr.* functions, e.g. attr.string() or attr.integer({ allowNull: false })',
    )
  }
  if (!isAttributeType(value.type)) {
    check.fail(
      'unknown_type',
      `${path}.type`,
      `has unknown type ${describeValue(value.type)}`,
      `Use one of: ${ATTRIBUTE_TYPES.join(', ')}`,
    )
  }
  const type = value.type
  const options = check.object(value.options, path, 'the attribute options')
  const preset = value.preset
  check.knownKeys(
    options,
    preset === undefined
      ? ATTRIBUTE_OPTION_KEYS
      : preset === 'createTimestamp' || preset === 'updateTimestamp'
        ? TIMESTAMP_OPTION_KEYS
        : PRESET_OPTION_KEYS,
    path,
  )
  const enumValues = type === 'enum' ? enumValuesOf(check, path, value.enumValues) : null
  const itemType = type === 'array' ? itemTypeOf(check, path, value.itemType) : null
  const source = sourceOf(check, path, key, options.source)
  const renamedFrom = check.optionalIdentifier(options.renamedFrom, `${path}.renamedFrom`, 'previous column name')
  if (renamedFrom === source) {
    check.fail(
      'invalid_option',
      `${path}.renamedFrom`,
      `is the current column name "${source}"`,
      'Remove renamedFrom once the rename has been migrated',
    )
  }
  check.optionalString(options.description, `${path}.description`, 'description')
  const base: AttributeSpec = {
    key,
    source,
    type,
    enumValues,
    itemType,
    allowNull: true,
    primaryKey: false,
    autoincrement: false,
    default: null,
    generated: null,
    renamedFrom,
    sqlTypeOverride: null,
    runtimeDefault: null,
    onUpdateNow: false,
    relationship: null,
  }
  const defaultContext = { enumValues: enumValues ?? undefined, itemType: itemType ?? undefined }
  switch (preset) {
    case 'uuidPrimaryKey':
      return { ...base, allowNull: false, primaryKey: true, runtimeDefault: 'uuid' }
    case 'integerPrimaryKey':
      return { ...base, allowNull: false, primaryKey: true, autoincrement: true }
    case 'createTimestamp':
    case 'updateTimestamp':
      return {
        ...base,
        allowNull: false,
        default: defaultSql(check, `${path}.default`, type, options.default, defaultContext),
        runtimeDefault: 'now',
        onUpdateNow: preset === 'updateTimestamp',
      }
    case undefined:
      break
    default:
      check.fail(
        'unknown_type',
        path,
        `has unknown preset ${describeValue(preset)}`,
        'Define it with one of the attr.* functions',
      )
  }
  const { primaryKey, allowNull } = keyAndNullability(check, path, options)
  const generated = generatedOf(check, `${path}.generated`, options.generated)
  const defaultText = defaultSql(check, `${path}.default`, type, options.default, defaultContext)
  if (generated && defaultText !== null) {
    check.fail(
      'invalid_option',
      path,
      'has both a default and a generated expression',
      'Keep one of default and generated',
    )
  }
  if (generated && primaryKey) {
    check.fail(
      'invalid_option',
      path,
      'is a generated primary key, which SQLite does not allow',
      'Remove primaryKey or generated',
    )
  }
  return { ...base, primaryKey, allowNull, generated, default: defaultText }
}

/**
 * `primaryKey` (default false) and `allowNull` (default: not a primary key) of an attribute or a belongsTo key;
 * a primary key that allows null is refused.
 */
function keyAndNullability(
  check: DefinitionCheck,
  path: string,
  options: { primaryKey?: unknown; allowNull?: unknown },
): { primaryKey: boolean; allowNull: boolean } {
  const primaryKey = check.boolean(options.primaryKey, `${path}.primaryKey`, false)
  const allowNull = check.boolean(options.allowNull, `${path}.allowNull`, !primaryKey)
  if (primaryKey && allowNull) {
    check.fail(
      'invalid_option',
      `${path}.allowNull`,
      'is true on a primary key, which can never be null',
      'Remove allowNull (primary keys are never null)',
    )
  }
  return { primaryKey, allowNull }
}

function sourceOf(check: DefinitionCheck, path: string, key: string, source: unknown): string {
  if (source !== undefined) return check.identifier(source, `${path}.source`, 'column name')
  const derived = snakeCase(key)
  if (!isPlainIdentifier(derived)) {
    check.fail(
      'invalid_identifier',
      path,
      `the column name "${derived}" derived from the attribute key is not a plain SQL identifier`,
      'Rename the attribute or set its source option to a plain identifier',
    )
  }
  return derived
}

function enumValuesOf(check: DefinitionCheck, path: string, values: unknown): string[] {
  const fix = "Pass the allowed values, e.g. attr.enum(['admin', 'member'])"
  if (!Array.isArray(values) || values.length === 0) {
    check.fail('invalid_option', path, 'is an enum with no values', fix)
  }
  for (const value of values) {
    if (typeof value !== 'string' || value === '') {
      check.fail('invalid_option', path, `has enum value ${describeValue(value)}, which is not a non-empty string`, fix)
    }
  }
  if (new Set(values).size !== values.length) {
    check.fail('invalid_option', path, `lists an enum value twice in ${describeValue(values)}`, 'List every value once')
  }
  return values as string[]
}

function itemTypeOf(check: DefinitionCheck, path: string, itemType: unknown): ArrayItemType {
  if (!isArrayItemType(itemType)) {
    check.fail(
      'unknown_type',
      path,
      `is an array of unknown element type ${describeValue(itemType)}`,
      "Use attr.array('string') (or integer, float, boolean, uuid, decimal, date, time, ciString, json)",
    )
  }
  return itemType
}

function defaultSql(
  check: DefinitionCheck,
  path: string,
  type: AttributeType,
  value: unknown,
  context: { enumValues?: readonly string[] | undefined; itemType?: ArrayItemType | undefined },
): string | null {
  if (value === undefined || value === null) return null
  if (isSqlExpression(value)) {
    const text = sqlExpressionText(value)
    if (text === '')
      check.fail(
        'invalid_option',
        path,
        'is an empty sql`` expression',
        'Write the SQL expression, e.g. sql`CURRENT_TIMESTAMP`',
      )
    return parenthesize(text)
  }
  const literal = literalDefault(type, value, context)
  if ('problem' in literal) {
    check.fail(
      'invalid_option',
      path,
      literal.problem,
      'Use a literal of the attribute type, or sql`...` for a database expression',
    )
  }
  return literal.sql
}

function generatedOf(check: DefinitionCheck, path: string, value: unknown): GeneratedState | null {
  if (value === undefined) return null
  const generated = check.object(value, path, 'generated')
  check.knownKeys(generated, ['as', 'mode'], path)
  const as = isSqlExpression(generated.as) ? sqlExpressionText(generated.as) : generated.as
  const mode =
    generated.mode === undefined
      ? 'virtual'
      : check.oneOf(generated.mode, ['stored', 'virtual'] as const, `${path}.mode`, 'mode')
  return { as: check.nonEmptyString(as, `${path}.as`, 'SQL expression'), mode }
}

interface RelationshipSpecs {
  belongsTo: BelongsToSpec[]
  keys: AttributeSpec[]
  others: OtherRelationshipSpec[]
}

function relationshipSpecs(
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
  // `source` names the key column as it does for attributes (an adopted schema's `ArtistId`).
  const source =
    options.source === undefined
      ? snakeCase(key)
      : check.nonEmptyString(options.source, `${path}.source`, 'column name')
  if (!isPlainIdentifier(source)) {
    check.fail(
      'invalid_identifier',
      `${path}.${options.source === undefined ? 'attribute' : 'source'}`,
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

function checkUniqueColumns(check: DefinitionCheck, attributes: readonly AttributeSpec[]): void {
  const byKey = new Map<string, AttributeSpec>()
  const bySource = new Map<string, AttributeSpec>()
  for (const attribute of attributes) {
    const describe = (spec: AttributeSpec) =>
      spec.relationship ? `the key "${spec.key}" of relationships.${spec.relationship}` : `attributes.${spec.key}`
    const sameKey = byKey.get(attribute.key)
    if (sameKey) {
      check.fail(
        'duplicate_column',
        attribute.relationship ? `relationships.${attribute.relationship}` : `attributes.${attribute.key}`,
        `${describe(attribute)} clashes with ${describe(sameKey)}`,
        'Remove one of them, or give the belongsTo relationship another attribute name (option "attribute")',
      )
    }
    const sameSource = bySource.get(attribute.source)
    if (sameSource) {
      check.fail(
        'duplicate_column',
        attribute.relationship ? `relationships.${attribute.relationship}` : `attributes.${attribute.key}`,
        `${describe(attribute)} and ${describe(sameSource)} both map to column "${attribute.source}"`,
        'Give one of them another column name (option "source", or "attribute" for belongsTo)',
      )
    }
    byKey.set(attribute.key, attribute)
    bySource.set(attribute.source, attribute)
  }
}

function checkUniqueRenames(check: DefinitionCheck, attributes: readonly AttributeSpec[]): void {
  const renamed = new Map<string, AttributeSpec>()
  for (const attribute of attributes) {
    if (attribute.renamedFrom === null) continue
    const other = renamed.get(attribute.renamedFrom)
    if (other) {
      check.fail(
        'invalid_option',
        `attributes.${attribute.key}.renamedFrom`,
        `renames column "${attribute.renamedFrom}", which ${other.key} already renames`,
        'A column can be renamed into one column only: remove one of the renamedFrom options',
      )
    }
    renamed.set(attribute.renamedFrom, attribute)
  }
}

function checkPrimaryKey(check: DefinitionCheck, attributes: readonly AttributeSpec[]): void {
  const keys = attributes.filter((attribute) => attribute.primaryKey)
  const autoincrement = keys.find((attribute) => attribute.autoincrement)
  if (autoincrement && keys.length > 1) {
    check.fail(
      'invalid_option',
      `attributes.${autoincrement.key}`,
      `is an integerPrimaryKey (AUTOINCREMENT) in a composite primary key (${keys.map((key) => key.key).join(', ')})`,
      'Use attr.integer({ primaryKey: true }) for composite keys, or make it the only primary key',
    )
  }
}

function attributeOf(
  check: DefinitionCheck,
  byKey: ReadonlyMap<string, AttributeSpec>,
  key: unknown,
  path: string,
): AttributeSpec {
  const attribute = typeof key === 'string' ? byKey.get(key) : undefined
  if (!attribute) {
    check.fail(
      'unknown_attribute',
      path,
      `refers to unknown attribute ${describeValue(key)}`,
      `Use one of: ${[...byKey.keys()].join(', ')}`,
    )
  }
  return attribute
}

function applyMigrationTypes(check: DefinitionCheck, byKey: ReadonlyMap<string, AttributeSpec>, value: unknown): void {
  const types = check.optionalObject(value, 'sqlite.migrationTypes', 'sqlite.migrationTypes')
  for (const [key, sqlType] of Object.entries(types)) {
    const path = `sqlite.migrationTypes.${key}`
    const attribute = attributeOf(check, byKey, key, path)
    if (attribute.autoincrement) {
      check.fail(
        'invalid_option',
        path,
        'overrides the type of an integerPrimaryKey, which must stay INTEGER for AUTOINCREMENT',
        'Remove the override',
      )
    }
    const canonical = typeof sqlType === 'string' ? canonicalSqlType(sqlType) : null
    if (canonical === null) {
      check.fail(
        'invalid_option',
        path,
        `is ${describeValue(sqlType)}, not a SQL type name`,
        'Write a type such as "text", "numeric(10,2)" or "text COLLATE NOCASE"',
      )
    }
    attribute.sqlTypeOverride = canonical
  }
}

function applyMigrationDefaults(
  check: DefinitionCheck,
  byKey: ReadonlyMap<string, AttributeSpec>,
  value: unknown,
): void {
  const defaults = check.optionalObject(value, 'sqlite.migrationDefaults', 'sqlite.migrationDefaults')
  for (const [key, sqlDefault] of Object.entries(defaults)) {
    const path = `sqlite.migrationDefaults.${key}`
    const attribute = attributeOf(check, byKey, key, path)
    if (attribute.generated) {
      check.fail('invalid_option', path, 'sets a default on a generated column', 'Remove the migration default')
    }
    attribute.default = check.nonEmptyString(sqlDefault, path, 'SQL default')
  }
}

function checkNilifyTargets(
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

function identitySpecs(
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
    if (!Array.isArray(identity)) {
      const options = check.object(identity, path, 'an identity (["attribute", ...] or { keys: [...] })')
      check.knownKeys(options, ['keys', 'description'], path)
      keys = options.keys
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
    }
  })
}

function customIndexSpecs(
  check: DefinitionCheck,
  tableName: string,
  byKey: ReadonlyMap<string, AttributeSpec>,
  value: unknown,
): CustomIndexSpec[] {
  return check.optionalArray(value, 'sqlite.customIndexes', 'sqlite.customIndexes').map((entry, index) => {
    const path = `sqlite.customIndexes[${index}]`
    const options = check.object(entry, path, 'a custom index')
    check.knownKeys(options, ['fields', 'name', 'unique', 'where'], path)
    const keys = keysOf(check, byKey, options.fields, `${path}.fields`)
    const unique = check.boolean(options.unique, `${path}.unique`, false)
    const sources = keys.map((key) => byKey.get(key)?.source)
    const name =
      options.name === undefined
        ? check.identifier(`${tableName}_${sources.join('_')}_${unique ? 'unique_index' : 'index'}`, path, 'index name')
        : check.identifier(options.name, `${path}.name`, 'index name', { schemaObject: true })
    const where = isSqlExpression(options.where) ? sqlExpressionText(options.where) : options.where
    return { name, keys, unique, where: check.optionalString(where, `${path}.where`, 'SQL condition') }
  })
}

function checkUniqueIndexNames(
  check: DefinitionCheck,
  identities: readonly IdentitySpec[],
  indexes: readonly CustomIndexSpec[],
): void {
  const seen = new Set<string>()
  const named = [
    ...identities
      .filter((identity) => !identity.skipIndex)
      .map((identity) => ({ name: identity.indexName, path: `identities.${identity.name}` })),
    ...indexes.map((index, position) => ({ name: index.name, path: `sqlite.customIndexes[${position}]` })),
  ]
  for (const { name, path } of named) {
    if (seen.has(name)) {
      check.fail(
        'invalid_option',
        path,
        `creates index "${name}", which another identity or custom index already creates`,
        'Give the index another name',
      )
    }
    seen.add(name)
  }
}

function customStatementSpecs(check: DefinitionCheck, value: unknown): CustomStatementState[] {
  const names = new Set<string>()
  return check.optionalArray(value, 'sqlite.customStatements', 'sqlite.customStatements').map((entry, index) => {
    const path = `sqlite.customStatements[${index}]`
    const options = check.object(entry, path, 'a custom statement')
    check.knownKeys(options, ['name', 'up', 'down'], path)
    const name = check.identifier(options.name, `${path}.name`, 'statement name')
    if (names.has(name)) {
      check.fail(
        'invalid_option',
        `${path}.name`,
        `repeats statement name "${name}"`,
        'Give every custom statement a unique name',
      )
    }
    names.add(name)
    const up = check.nonEmptyString(options.up, `${path}.up`, 'up SQL')
    if (typeof options.down !== 'string') {
      check.fail(
        'invalid_option',
        `${path}.down`,
        `must be a string, got ${describeValue(options.down)}`,
        "Write the SQL that undoes 'up' (or '' if nothing needs undoing)",
      )
    }
    return { name, up, down: options.down.trim() }
  })
}
