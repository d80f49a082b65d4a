/**
 * Validation and normalisation of a resource definition, done eagerly by `defineResource`. Everything that
 * can be checked without looking at other resources is checked here, so a bad definition fails where it is
 * written. What needs the targets of belongsTo relationships (key types, repos) is resolved later, on first
 * use, because targets may not be defined yet (see `resolve-state.ts`). Each part of a definition has its own
 * module: attributes, relationships, indexes, custom statements.
 */

import {
  type AttributeSpec,
  applyMigrationDefaults,
  applyMigrationTypes,
  attributeSpecs,
  attributeSqlType,
  checkPrimaryKey,
  checkStrictType,
  checkUniqueColumns,
  checkUniqueRenames,
} from './attribute-spec.js'
import { describeValue } from './attribute-types.js'
import { type CheckConstraintSpec, checkConstraintSpecs } from './check-constraint-spec.js'
import { customStatementSpecs } from './custom-statement-spec.js'
import { isRepo } from './define-repo.js'
import { DefinitionCheck } from './definition-check.js'
import {
  type CustomIndexSpec,
  checkUniqueIndexNames,
  customIndexSpecs,
  type IdentitySpec,
  identitySpecs,
} from './index-spec.js'
import {
  type BelongsToSpec,
  checkNilifyTargets,
  type OtherRelationshipSpec,
  relationshipSpecs,
} from './relationship-spec.js'
import type { Repo } from './repo.js'
import { checkColumnCount } from './sqlite-limits.js'
import type { CustomStatementState } from './table-state.js'

export type { AttributeSpec, RuntimeDefault } from './attribute-spec.js'
export { attributeSqlType, checkStrictType } from './attribute-spec.js'
export type { CheckConstraintSpec } from './check-constraint-spec.js'
export type { CustomIndexSpec, IdentitySpec, IndexFieldSpec } from './index-spec.js'
export type { BelongsToSpec, OtherRelationshipSpec } from './relationship-spec.js'

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
  /** `sqlite.checkConstraints` and the CHECKs of `attr.enum(..., { check: true })`, in definition order. */
  checkConstraints: CheckConstraintSpec[]
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
  'checkConstraints',
]

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
  checkColumnCount(check, attributes.length)

  const byKey = new Map(attributes.map((attribute) => [attribute.key, attribute]))
  applyMigrationTypes(check, byKey, sqlite.migrationTypes)
  applyMigrationDefaults(check, byKey, sqlite.migrationDefaults)
  checkNilifyTargets(check, belongsTo, byKey)

  const strict = check.boolean(sqlite.strict, 'sqlite.strict', false)
  if (strict) for (const attribute of attributes) checkStrictType(check, attribute, attributeSqlType(attribute))

  const identities = identitySpecs(check, tableName, byKey, raw.identities, sqlite)
  const customIndexes = customIndexSpecs(check, tableName, byKey, sqlite.customIndexes)
  checkUniqueIndexNames(check, tableName, identities, customIndexes)

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
    checkConstraints: checkConstraintSpecs(check, tableName, attributes, sqlite.checkConstraints),
  }
}

/** The SQL type of an attribute whose type is known (own attributes, typed belongsTo keys). */

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
