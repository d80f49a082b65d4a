/**
 * Decides, from a live schema, the resources that describe it: one plain-data plan per table, which
 * `instantiate-plan.ts` turns into real resources (to get the exact table states for the snapshots) and
 * `render-module.ts` writes out as TypeScript. Both read the same plan, so the module on disk and the
 * snapshots cannot disagree.
 *
 * A table the DSL cannot describe is left out of the plans with a warning naming it and why; its DDL stays
 * in the baseline, so the database and a fresh one built from the migrations still have it.
 */
import { indexTerms } from '../introspect/create-table-sql.js'
import type { LiveColumn, LiveForeignKey, LiveIndex, LiveSchema, LiveTable } from '../introspect/live-schema.js'
import { camelCase, isPlainIdentifier, resourceName, statementName, uniqueName } from './naming.js'

/** A JSON-like value that renders as a TypeScript literal. */
export type PlanValue = string | number | boolean | null | readonly PlanValue[] | { readonly [key: string]: PlanValue }

export type AttributeBuilder = 'integerPrimaryKey' | 'integer' | 'float' | 'string' | 'ciString' | 'binary'

export interface AttributePlan {
  readonly key: string
  readonly column: string
  readonly builder: AttributeBuilder
  readonly options: Record<string, PlanValue>
}

export interface BelongsToPlan {
  readonly name: string
  /** Plan (resource) name of the target. */
  readonly target: string
  /** The target is this resource or comes later in the module: typed through AnyResource + attributeType. */
  readonly loose: boolean
  readonly column: string
  readonly options: Record<string, PlanValue>
  readonly reference: { readonly onDelete: string; readonly onUpdate: string } | null
}

export interface CustomIndexPlan {
  /** Attribute keys, `{ field, order: 'desc' }` or `{ expression }`. */
  readonly fields: readonly PlanValue[]
  readonly name: string
  readonly unique: boolean
  readonly where: string | null
}

export interface ResourcePlan {
  readonly name: string
  readonly table: string
  readonly attributes: AttributePlan[]
  readonly belongsTo: BelongsToPlan[]
  readonly identities: Record<string, readonly string[]>
  readonly identityIndexNames: Record<string, string>
  readonly customIndexes: CustomIndexPlan[]
  readonly customStatements: { name: string; up: string; down: string }[]
  readonly checkConstraints: { name: string; check: string }[]
  readonly migrationTypes: Record<string, string>
  readonly migrationDefaults: Record<string, string>
  readonly strict: boolean
}

export interface PullWarning {
  readonly table: string | null
  readonly message: string
}

export interface PlanResult {
  readonly plans: ResourcePlan[]
  readonly warnings: PullWarning[]
  /** Tables in the database that no resource describes (they stay in the baseline). */
  readonly leftOut: string[]
}

export interface PlanOptions {
  /** Whether the DSL has `sqlite.checkConstraints` (it arrives with the complete-schema work). */
  readonly checkConstraints: boolean
}

export function planResources(schema: LiveSchema, options: PlanOptions): PlanResult {
  const warnings: PullWarning[] = []
  const reasons = new Map<string, string>()
  for (const table of schema.tables) {
    const reason = unrepresentable(table, options)
    if (reason !== null) reasons.set(table.name, reason)
  }
  // A table whose foreign key points at a table left out cannot be described either: repeat until stable.
  for (let changed = true; changed; ) {
    changed = false
    for (const table of schema.tables) {
      if (reasons.has(table.name) || table.kind === 'shadow') continue
      const parent = table.foreignKeys.find((key) => reasons.has(key.table) || !hasTable(schema, key.table))
      if (parent !== undefined) {
        reasons.set(
          table.name,
          `its foreign key on ${parent.columns.join(', ')} points at table ${parent.table}, which is not pulled`,
        )
        changed = true
      }
    }
  }
  const leftOut: string[] = []
  for (const table of schema.tables) {
    const reason = reasons.get(table.name)
    if (reason === undefined) continue
    if (table.kind !== 'shadow') {
      leftOut.push(table.name)
      warnings.push({
        table: table.name,
        message: `table ${table.name} is not pulled: ${reason}. It stays in the baseline migration; describe it by hand or keep managing it with SQL.`,
      })
    }
  }
  const tables = orderParentsFirst(schema.tables.filter((table) => !reasons.has(table.name)))
  const names = new Set<string>()
  const resourceOf = new Map<string, string>()
  for (const table of tables) resourceOf.set(table.name.toLowerCase(), uniqueName(resourceName(table.name), names))
  const keysOf = new Map<string, Map<string, string>>()
  for (const table of tables) {
    const taken = new Set<string>()
    keysOf.set(
      table.name.toLowerCase(),
      new Map(table.columns.map((column) => [column.name.toLowerCase(), uniqueName(attributeKey(column.name), taken)])),
    )
  }
  const position = new Map(tables.map((table, index) => [table.name.toLowerCase(), index]))
  const plans = tables.map((table, index) =>
    planTable(table, { schema, resourceOf, keysOf, position, index, warnings, options }),
  )
  attachObjects(schema, plans, reasons, warnings)
  return { plans, warnings, leftOut }
}

function hasTable(schema: LiveSchema, name: string): boolean {
  return schema.tables.some((table) => table.name.toLowerCase() === name.toLowerCase())
}

/** Why the DSL cannot describe this table, or null when it can. */
function unrepresentable(table: LiveTable, options: PlanOptions): string | null {
  if (table.kind === 'virtual') return 'it is a virtual table'
  if (table.kind === 'shadow') return 'it belongs to a virtual table'
  if (!isPlainIdentifier(table.name)) return 'its name is not a plain identifier (letters, digits, _)'
  if (table.name.toLowerCase().startsWith('sqlite_')) return 'its name is reserved for SQLite'
  if (table.withoutRowid) return 'it is a WITHOUT ROWID table'
  const odd = table.columns.find((column) => !isPlainIdentifier(column.name))
  if (odd !== undefined) return `column "${odd.name}" is not a plain identifier`
  const untyped = table.columns.find((column) => sqlType(column) === null)
  if (untyped !== undefined) return `column ${untyped.name} has no declared type (or one the DSL cannot write)`
  if (table.checks.length > 0 && !options.checkConstraints)
    return 'it has CHECK constraints, which this version of the DSL cannot declare'
  const keyColumns = table.columns.filter((column) => column.primaryKey > 0)
  const inOrder = [...keyColumns].sort((a, b) => a.primaryKey - b.primaryKey)
  if (inOrder.some((column, index) => column !== keyColumns[index]))
    return 'its primary key lists its columns in another order than the table does'
  return null
}

/** The column's type as the DSL writes it (`nvarchar(40)`, `text COLLATE NOCASE`), or null. */
export function sqlType(column: LiveColumn): string | null {
  if (column.type.trim() === '') return null
  const text = column.collation === null ? column.type : `${column.type} COLLATE ${column.collation}`
  return canonicalType(text)
}

/** Mirrors the DSL's canonical spelling of `migrationTypes` (see sql-type-name.ts in the resource package). */
function canonicalType(text: string): string | null {
  const [typePart = '', collation, ...rest] = text.trim().split(/\s+collate\s+/i)
  if (rest.length > 0) return null
  if (collation !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(collation)) return null
  const open = typePart.indexOf('(')
  const words = (open === -1 ? typePart : typePart.slice(0, open)).trim()
  if (!/^[A-Za-z_][A-Za-z0-9_]*(?:\s+[A-Za-z_][A-Za-z0-9_]*)*$/.test(words)) return null
  let args = ''
  if (open !== -1) {
    const match = /^\(\s*([+-]?\d+)\s*(?:,\s*([+-]?\d+)\s*)?\)$/.exec(typePart.slice(open).trim())
    if (!match) return null
    args = match[2] === undefined ? `(${match[1]})` : `(${match[1]},${match[2]})`
  }
  return `${words.toLowerCase().split(/\s+/).join(' ')}${args}${collation === undefined ? '' : ` COLLATE ${collation.toUpperCase()}`}`
}

function attributeKey(column: string): string {
  const key = camelCase(column)
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : `_${key}`
}

/** Parents before children where the foreign keys allow it (cycles keep their database order). */
function orderParentsFirst(tables: readonly LiveTable[]): LiveTable[] {
  const byName = new Map(tables.map((table) => [table.name.toLowerCase(), table]))
  const ordered: LiveTable[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (table: LiveTable) => {
    const key = table.name.toLowerCase()
    if (state.has(key)) return
    state.set(key, 'visiting')
    for (const foreignKey of table.foreignKeys) {
      const parent = byName.get(foreignKey.table.toLowerCase())
      if (parent !== undefined && state.get(parent.name.toLowerCase()) === undefined) visit(parent)
    }
    state.set(key, 'done')
    ordered.push(table)
  }
  for (const table of tables) visit(table)
  return ordered
}

interface TableContext {
  readonly schema: LiveSchema
  readonly resourceOf: ReadonlyMap<string, string>
  readonly keysOf: ReadonlyMap<string, ReadonlyMap<string, string>>
  readonly position: ReadonlyMap<string, number>
  readonly index: number
  readonly warnings: PullWarning[]
  readonly options: PlanOptions
}

/** Affinity-based builder for a declared type; the exact type goes to migrationTypes when it differs. */
function builderFor(type: string): AttributeBuilder {
  const upper = type.toUpperCase()
  if (upper === 'TEXT COLLATE NOCASE') return 'ciString'
  if (upper.includes('INT')) return 'integer'
  if (/CHAR|CLOB|TEXT/.test(upper)) return 'string'
  if (upper.startsWith('BLOB')) return 'binary'
  if (/REAL|FLOA|DOUB/.test(upper)) return 'float'
  if (/DATE|TIME/.test(upper)) return 'string'
  return 'float'
}

const BUILDER_SQL: Record<AttributeBuilder, string> = {
  integerPrimaryKey: 'integer',
  integer: 'integer',
  float: 'real',
  string: 'text',
  ciString: 'text COLLATE NOCASE',
  binary: 'blob',
}

function planTable(table: LiveTable, context: TableContext): ResourcePlan {
  const tableKey = table.name.toLowerCase()
  const keys = context.keysOf.get(tableKey) as ReadonlyMap<string, string>
  const keyOf = (column: string) => keys.get(column.toLowerCase()) as string
  const keyColumns = table.columns.filter((column) => column.primaryKey > 0)
  const plan: ResourcePlan = {
    name: context.resourceOf.get(tableKey) as string,
    table: table.name,
    attributes: [],
    belongsTo: [],
    identities: {},
    identityIndexNames: {},
    customIndexes: [],
    customStatements: [],
    checkConstraints: [],
    migrationTypes: {},
    migrationDefaults: {},
    strict: table.strict,
  }
  const relationshipNames = new Set<string>([...keys.values()])
  // A one-column key whose column is the snake_case of its attribute becomes the classic belongsTo (which
  // defines the column); any other key (PascalCase columns, composite keys) points from attributes declared
  // in place, so the table keeps its column order: belongsTo(() => T, { attributes: [...] }).
  const classic = new Map<string, LiveForeignKey>()
  for (const foreignKey of table.foreignKeys) {
    const column = foreignKey.columns[0] ?? ''
    const single = foreignKey.columns.length === 1
    const shared =
      table.foreignKeys.filter((other) => other.columns.some((name) => name.toLowerCase() === column.toLowerCase()))
        .length > 1
    if (single && !shared && camelToSnake(keyOf(column)) === column) classic.set(column.toLowerCase(), foreignKey)
  }
  for (const foreignKey of table.foreignKeys) {
    if (classic.get((foreignKey.columns[0] ?? '').toLowerCase()) === foreignKey) continue
    plan.belongsTo.push(declaredKeyRelationship(foreignKey, context, keyOf, relationshipNames))
  }
  for (const column of table.columns) {
    const key = keyOf(column.name)
    const type = sqlType(column) as string
    const foreignKey = classic.get(column.name.toLowerCase())
    if (foreignKey !== undefined) {
      const parentKey = foreignKey.table.toLowerCase()
      const parent = context.schema.tables.find((candidate) => candidate.name.toLowerCase() === parentKey) as LiveTable
      const parentKeys = context.keysOf.get(parentKey) as ReadonlyMap<string, string>
      const destination = foreignKey.referencedColumns[0] ?? ''
      const parentPrimary = parent.columns.filter((candidate) => candidate.primaryKey > 0)
      const isPrimary = parentPrimary.length === 1 && parentPrimary[0]?.name.toLowerCase() === destination.toLowerCase()
      const name = relationshipName(key, relationshipNames)
      const loose = (context.position.get(parentKey) ?? 0) >= context.index
      const options: Record<string, PlanValue> = {}
      if (key !== `${name}Id`) options.attribute = key
      if (!isPrimary) options.destinationAttribute = parentKeys.get(destination.toLowerCase()) ?? destination
      if (column.primaryKey > 0) options.primaryKey = true
      else if (column.notNull) options.allowNull = false
      if (loose) options.attributeType = builderFor(type) === 'binary' ? 'binary' : builderFor(type)
      plan.belongsTo.push({
        name,
        target: context.resourceOf.get(parentKey) as string,
        loose,
        column: column.name,
        options,
        reference: referenceOf(foreignKey),
      })
      if (column.default !== null) plan.migrationDefaults[key] = column.default
      continue
    }
    const autoincrement = column.autoincrement && keyColumns.length === 1 && column.primaryKey === 1
    const builder: AttributeBuilder = autoincrement ? 'integerPrimaryKey' : builderFor(type)
    const options: Record<string, PlanValue> = {}
    if (camelToSnake(key) !== column.name) options.source = column.name
    if (!autoincrement) {
      if (column.primaryKey > 0) options.primaryKey = true
      else if (column.notNull) options.allowNull = false
      if (column.generated !== null) {
        options.generated = {
          as: column.generated.as,
          ...(column.generated.mode === 'stored' ? { mode: 'stored' } : {}),
        }
      }
    }
    if (column.default !== null) {
      const literal = literalDefault(builder, column.default)
      if (literal !== undefined) options.default = literal
      else plan.migrationDefaults[key] = column.default
    }
    plan.attributes.push({ key, column: column.name, builder, options })
  }
  for (const index of table.indexes) planIndex(index, table, plan, keyOf)
  if (context.options.checkConstraints) {
    const checkNames = new Set<string>()
    for (const check of table.checks) {
      const name = uniqueName(
        check.name !== null && isPlainIdentifier(check.name) ? check.name : `${table.name}_check`,
        checkNames,
      )
      plan.checkConstraints.push({ name, check: check.expression })
    }
  }
  for (const column of table.columns) {
    const key = keyOf(column.name)
    const type = sqlType(column) as string
    const foreignKey = classic.has(column.name.toLowerCase())
    const attribute = plan.attributes.find((entry) => entry.key === key)
    const natural = attribute === undefined ? null : BUILDER_SQL[attribute.builder]
    // A belongsTo key is typed after its destination; the instantiation pass fixes a mismatch there.
    if (!foreignKey && natural !== type) plan.migrationTypes[key] = type
  }
  return plan
}

/** `artistId` -> `artist`, `reportsTo` -> `reportsToRecord`: never an attribute's name, never taken twice. */
function relationshipName(key: string, taken: Set<string>): string {
  const base = key.replace(/_?(Id|ID|id)$/, '')
  return uniqueName(base !== '' && base !== key ? base : `${key}Record`, taken)
}

function referenceOf(foreignKey: LiveForeignKey): BelongsToPlan['reference'] {
  const plain = foreignKey.onDelete === 'NO ACTION' && foreignKey.onUpdate === 'NO ACTION'
  return plain ? null : { onDelete: foreignKey.onDelete, onUpdate: foreignKey.onUpdate }
}

/** A belongsTo over attributes the resource declares itself (`attributes: [...]`). */
function declaredKeyRelationship(
  foreignKey: LiveForeignKey,
  context: TableContext,
  keyOf: (column: string) => string,
  taken: Set<string>,
): BelongsToPlan {
  const parentKey = foreignKey.table.toLowerCase()
  const parent = context.schema.tables.find((candidate) => candidate.name.toLowerCase() === parentKey) as LiveTable
  const parentKeys = context.keysOf.get(parentKey) as ReadonlyMap<string, string>
  const attributes = foreignKey.columns.map(keyOf)
  const primary = parent.columns
    .filter((column) => column.primaryKey > 0)
    .sort((a, b) => a.primaryKey - b.primaryKey)
    .map((column) => column.name.toLowerCase())
  const destinations = foreignKey.referencedColumns.map((column) => column.toLowerCase())
  const options: Record<string, PlanValue> = { attributes }
  if (destinations.join(',') !== primary.join(','))
    options.destinationAttributes = foreignKey.referencedColumns.map(
      (column) => parentKeys.get(column.toLowerCase()) ?? column,
    )
  return {
    name:
      attributes.length === 1
        ? relationshipName(attributes[0] as string, taken)
        : uniqueName(camelCase(context.resourceOf.get(parentKey) as string), taken),
    target: context.resourceOf.get(parentKey) as string,
    // Declared keys carry their own types: the target need not be typed first.
    loose: false,
    column: foreignKey.columns.join(', '),
    options,
    reference: referenceOf(foreignKey),
  }
}

/** `fullName` -> `full_name` the way the DSL derives column names. */
export function camelToSnake(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
}

/** A default the attribute's own `default` option writes exactly as the database has it, or undefined. */
function literalDefault(builder: AttributeBuilder, text: string): PlanValue | undefined {
  if ((builder === 'integer' || builder === 'float') && /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)))
    return builder === 'integer' || !text.includes('.') ? Number(text) : undefined
  if ((builder === 'string' || builder === 'ciString') && /^'(?:[^']|'')*'$/.test(text))
    return text.slice(1, -1).replaceAll("''", "'")
  return undefined
}

function planIndex(index: LiveIndex, table: LiveTable, plan: ResourcePlan, keyOf: (column: string) => string): void {
  if (index.origin === 'pk') return
  // A column's own collation (COLLATE NOCASE of a ciString) is what a plain index on it uses.
  const ownCollation = (name: string) =>
    (
      table.columns.find((column) => column.name.toLowerCase() === name.toLowerCase())?.collation ?? 'BINARY'
    ).toUpperCase()
  const plainColumns = index.columns.every(
    (column) => column.name !== null && !column.desc && column.collation.toUpperCase() === ownCollation(column.name),
  )
  const namable = index.origin === 'u' || isPlainIdentifier(index.name)
  const fields = plainColumns ? null : indexFields(index, ownCollation, keyOf)
  if ((!plainColumns && fields === null) || !namable) {
    // Collated keys or an odd name: the index is kept verbatim as a custom statement.
    if (index.sql !== null) {
      plan.customStatements.push({
        name: statementName('index', index.name),
        up: index.sql,
        down: `DROP INDEX IF EXISTS ${quoteName(index.name)}`,
      })
    }
    return
  }
  if (fields !== null) {
    plan.customIndexes.push({ fields, name: index.name, unique: index.unique, where: index.where })
    return
  }
  const keys = index.columns.map((column) => keyOf(column.name as string))
  if (index.unique && index.where === null) {
    const identity = `unique${keys.map((field) => field.charAt(0).toUpperCase() + field.slice(1)).join('')}`
    const name = uniqueName(identity, new Set(Object.keys(plan.identities)))
    plan.identities[name] = keys
    const defaultName = `${plan.table}_${camelToSnake(name)}_index`
    if (index.origin === 'c' && index.name !== defaultName) plan.identityIndexNames[name] = index.name
    return
  }
  plan.customIndexes.push({ fields: keys, name: index.name, unique: index.unique, where: index.where })
}

/**
 * Index keys with expressions or DESC as `customIndexes` fields (`{ expression }`, `{ field, order: 'desc' }`),
 * or null when a key has a collation of its own, which the DSL does not declare.
 */
function indexFields(
  index: LiveIndex,
  ownCollation: (name: string) => string,
  keyOf: (column: string) => string,
): PlanValue[] | null {
  const terms = indexTerms(index.sql)
  if (terms === null || terms.length !== index.columns.length) return null
  const fields: PlanValue[] = []
  for (const [position, column] of index.columns.entries()) {
    if (column.name === null) {
      if (column.desc || column.collation.toUpperCase() !== 'BINARY') return null
      fields.push({ expression: terms[position] as string })
      continue
    }
    if (column.collation.toUpperCase() !== ownCollation(column.name)) return null
    fields.push(column.desc ? { field: keyOf(column.name), order: 'desc' } : keyOf(column.name))
  }
  return fields
}

/** Views and triggers become custom statements: triggers on their table's resource, views on the first one. */
function attachObjects(
  schema: LiveSchema,
  plans: ResourcePlan[],
  leftOut: ReadonlyMap<string, string>,
  warnings: PullWarning[],
): void {
  const byTable = new Map(plans.map((plan) => [plan.table.toLowerCase(), plan]))
  const holder = plans[0]
  const viewNames = new Set(schema.views.map((view) => view.name.toLowerCase()))
  for (const view of schema.views) {
    if (holder === undefined) {
      warnings.push({
        table: null,
        message: `view ${view.name} is not pulled (no table is): it stays in the baseline migration.`,
      })
      continue
    }
    holder.customStatements.push({
      name: statementName('view', view.name),
      up: view.sql,
      down: `DROP VIEW IF EXISTS ${quoteName(view.name)}`,
    })
  }
  for (const trigger of schema.triggers) {
    const table = trigger.table.toLowerCase()
    const owner = viewNames.has(table) ? holder : byTable.get(table)
    if (owner === undefined) {
      if (!leftOut.has(trigger.table))
        warnings.push({
          table: trigger.table,
          message: `trigger ${trigger.name} is not pulled: it stays in the baseline migration.`,
        })
      continue
    }
    owner.customStatements.push({
      name: statementName('trigger', trigger.name),
      up: trigger.sql,
      down: `DROP TRIGGER IF EXISTS ${quoteName(trigger.name)}`,
    })
  }
}

function quoteName(name: string): string {
  return isPlainIdentifier(name) ? name : `"${name.replaceAll('"', '""')}"`
}
