/**
 * `defineDomain`: a named group of resources. Defining it compiles every resource (state and table,
 * including foreign key targets) and merges shared tables, so every definition error surfaces here,
 * at definition time, rather than in the middle of a migration.
 */
import { getTableConfig } from 'drizzle-orm/sqlite-core'
import { collectTableStates } from './collect-table-states.js'
import { DefinitionCheck } from './definition-check.js'
import { type DrizzleSchema, lazySchema } from './drizzle-schema.js'
import { isResource } from './resolve-state.js'
import type { AnyResource } from './resource.js'

/**
 * A named group of resources. `tables` and `relations` are its Drizzle schema, built on first read:
 * `drizzle({ connection, relations: blog.relations })`.
 */
export interface Domain<TResource extends AnyResource = AnyResource> extends DrizzleSchema<TResource> {
  readonly kind: 'domain'
  readonly name: string
  readonly resources: readonly TResource[]
}

export function defineDomain<const TResources extends readonly AnyResource[]>(definition: {
  name: string
  resources: TResources
}): Domain<TResources[number]> {
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
  const list = Object.freeze([...(resources as TResources[number][])])
  const schema = lazySchema<TResources[number]>(list)
  return Object.freeze({
    kind: 'domain' as const,
    name,
    resources: list,
    get tables() {
      return schema.tables
    },
    get relations() {
      return schema.relations
    },
  })
}

/**
 * The Drizzle schema of several domains together (relations may cross domains), for one `drizzle()` instance:
 * `drizzle({ connection, relations: schemaOf(blog, billing).relations })`. Resources listed twice count once.
 */
export function schemaOf<const TDomains extends readonly Domain<any>[]>(
  ...domains: TDomains
): DrizzleSchema<TDomains[number]['resources'][number]> & { readonly resources: readonly AnyResource[] } {
  const check = new DefinitionCheck('(schemaOf)')
  domains.forEach((domain, index) => {
    if (!isDomain(domain))
      check.fail('invalid_option', `[${index}]`, 'is not a domain', 'Pass domains made with defineDomain')
  })
  const resources = Object.freeze([...new Set(domains.flatMap((domain) => domain.resources))])
  const schema = lazySchema<TDomains[number]['resources'][number]>(resources)
  return Object.freeze({
    resources,
    get tables() {
      return schema.tables
    },
    get relations() {
      return schema.relations
    },
  })
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
