/**
 * `defineDomain`: a named group of resources. Defining it compiles every resource (state and table,
 * including foreign key targets) and merges shared tables, so every definition error surfaces here,
 * at definition time, rather than in the middle of a migration.
 */
import { getTableConfig } from 'drizzle-orm/sqlite-core'
import { collectTableStates } from './collect-table-states.js'
import { DefinitionCheck } from './definition-check.js'
import { isResource } from './resolve-state.js'
import type { AnyResource } from './resource.js'

export interface Domain {
  readonly kind: 'domain'
  readonly name: string
  readonly resources: readonly AnyResource[]
}

export function defineDomain(definition: { name: string; resources: readonly AnyResource[] }): Domain {
  const outer: DefinitionCheck = new DefinitionCheck('(unnamed domain)')
  const raw = outer.object(definition, 'definition', 'a domain definition')
  const name = outer.nonEmptyString(raw.name, 'name', 'domain name')
  const check: DefinitionCheck = new DefinitionCheck(name)
  check.knownKeys(raw, ['name', 'resources'], undefined)
  const resources = check.array(raw.resources, 'resources', 'resources')
  resources.forEach((resource, index) => {
    if (!isResource(resource)) {
      check.fail(
        'invalid_option',
        `resources[${index}]`,
        'is not a resource',
        'List resources made with defineResource',
      )
    }
  })
  for (const resource of resources as AnyResource[]) {
    // getTableConfig runs the table's deferred parts (indexes, named foreign keys); reading each foreign
    // key's reference resolves its target column.
    for (const foreignKey of getTableConfig(resource.table).foreignKeys) foreignKey.reference()
  }
  collectTableStates(resources as AnyResource[])
  return Object.freeze({ kind: 'domain' as const, name, resources: Object.freeze([...(resources as AnyResource[])]) })
}

/** Brand check (no instanceof: configs may load a second copy of this module). */
export function isDomain(value: unknown): value is Domain {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'domain' &&
    Array.isArray((value as { resources?: unknown }).resources)
  )
}
