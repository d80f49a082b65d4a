/**
 * Attributes of a resource definition: each `attr.*` value validated and normalised into an `AttributeSpec`
 * (column name, type, nullability, defaults, generated expression), plus the checks over all of a resource's
 * columns (unique names and renames, primary key shape, `migrationTypes` and `migrationDefaults`).
 */
import {
  type ArrayItemType,
  ATTRIBUTE_TYPES,
  type AttributeType,
  describeValue,
  isArrayItemType,
  isAttributeType,
  literalDefault,
  SQL_TYPES,
} from './attribute-types.js'
import { isAttribute } from './attributes.js'
import type { DefinitionCheck } from './definition-check.js'
import { isPlainIdentifier, snakeCase } from './identifiers.js'
import { isSqlExpression, parenthesize, sqlExpressionText } from './sql-text.js'
import { canonicalSqlType, isStrictCompatible } from './sql-type-name.js'
import type { GeneratedState } from './table-state.js'

export type RuntimeDefault = 'uuid' | 'uuidV7' | 'now' | null

/** How a Date-typed attribute is stored: ISO-8601 text (the default), or integer seconds / milliseconds. */
export type DatetimeStorage = 'text' | 'unixepoch' | 'unixepochMs'

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
  /** `attr.enum(values, { check: true })`: a CHECK constraint enforces the values in the database. */
  enumCheck: boolean
  /** Integer storage of a Date-typed attribute; null for text (the default) and every other type. */
  storage: 'unixepoch' | 'unixepochMs' | null
}

/** The Date-typed attribute types, which take `storage`. */
export const DATETIME_TYPES: readonly AttributeType[] = ['utcDatetime', 'utcDatetimeUsec', 'naiveDatetime']

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
const TIMESTAMP_OPTION_KEYS = [...PRESET_OPTION_KEYS, 'default', 'storage']

export function attributeSqlType(attribute: AttributeSpec): string | null {
  if (attribute.sqlTypeOverride) return attribute.sqlTypeOverride
  if (attribute.storage) return 'integer'
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

export function attributeSpecs(check: DefinitionCheck, attributes: unknown): AttributeSpec[] {
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
      ? [
          ...ATTRIBUTE_OPTION_KEYS,
          ...(type === 'enum' ? ['check'] : []),
          ...(DATETIME_TYPES.includes(type) ? ['storage'] : []),
        ]
      : preset === 'createTimestamp' || preset === 'updateTimestamp'
        ? TIMESTAMP_OPTION_KEYS
        : PRESET_OPTION_KEYS,
    path,
    { unique: uniqueHint(key) },
  )
  const storageOption =
    options.storage === undefined
      ? 'text'
      : check.oneOf(options.storage, ['text', 'unixepoch', 'unixepochMs'] as const, `${path}.storage`, 'storage')
  const storage = storageOption === 'text' ? null : storageOption
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
    enumCheck: type === 'enum' && check.boolean(options.check, `${path}.check`, false),
    storage,
  }
  const defaultContext = { enumValues: enumValues ?? undefined, itemType: itemType ?? undefined, storage }
  switch (preset) {
    case 'uuidPrimaryKey':
      return { ...base, allowNull: false, primaryKey: true, runtimeDefault: 'uuid' }
    case 'uuidV7PrimaryKey':
      return { ...base, allowNull: false, primaryKey: true, runtimeDefault: 'uuidV7' }
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
export function keyAndNullability(
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

/** Ash declares uniqueness as an identity, not on the attribute: say how, for this attribute. */
function uniqueHint(key: string): string {
  const name = `unique${key.charAt(0).toUpperCase()}${key.slice(1)}`
  return `Uniqueness is declared as an identity of the resource, not on the attribute: remove "unique" and add identities: { ${name}: ['${key}'] } (a unique index over ${key})`
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
  context: {
    enumValues?: readonly string[] | undefined
    itemType?: ArrayItemType | undefined
    storage?: 'unixepoch' | 'unixepochMs' | null
  },
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

export function checkUniqueColumns(check: DefinitionCheck, attributes: readonly AttributeSpec[]): void {
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
    // SQLite compares identifiers case-insensitively: "Email" and "email" are one column.
    const sameSource = bySource.get(attribute.source.toLowerCase())
    if (sameSource) {
      check.fail(
        'duplicate_column',
        attribute.relationship ? `relationships.${attribute.relationship}` : `attributes.${attribute.key}`,
        `${describe(attribute)} and ${describe(sameSource)} both map to column "${attribute.source}"${sameSource.source === attribute.source ? '' : ` (SQLite does not tell "${sameSource.source}" and "${attribute.source}" apart)`}`,
        'Give one of them another column name (option "source", or "attribute" for belongsTo)',
      )
    }
    byKey.set(attribute.key, attribute)
    bySource.set(attribute.source.toLowerCase(), attribute)
  }
}

export function checkUniqueRenames(check: DefinitionCheck, attributes: readonly AttributeSpec[]): void {
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

export function checkPrimaryKey(check: DefinitionCheck, attributes: readonly AttributeSpec[]): void {
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

export function attributeOf(
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

export function applyMigrationTypes(
  check: DefinitionCheck,
  byKey: ReadonlyMap<string, AttributeSpec>,
  value: unknown,
): void {
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

export function applyMigrationDefaults(
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
