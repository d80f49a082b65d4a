import { join, resolve } from 'node:path'
import { attr, defineDomain, defineRepo, defineResource, ResourceDefinitionError } from '@ash-sqlite/resource'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors.js'
import { defineConfig } from './define-config.js'
import { resolveConfig } from './resolve-config.js'

const cwd = resolve('project-root')

function accounts(repo = defineRepo({ name: 'main', url: 'file:data/main.db' })) {
  const User = defineResource({
    name: 'User',
    attributes: { id: attr.integerPrimaryKey(), fullName: attr.string({ renamedFrom: 'name' }) },
    sqlite: { repo, table: 'users', renamedFrom: 'people' },
  })
  const Note = defineResource({
    name: 'Note',
    attributes: { id: attr.integerPrimaryKey(), body: attr.string() },
    sqlite: { repo, table: 'notes', migrate: false },
  })
  return { repo, User, Note, domain: defineDomain({ name: 'accounts', resources: [User, Note] }) }
}

function errorOf(run: () => unknown): Error {
  try {
    run()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error')
}

describe('resolveConfig', () => {
  it('discovers the repos of the resources, with absolute default directories', () => {
    const { domain, repo } = accounts()
    const config = resolveConfig(defineConfig({ domains: [domain] }), { cwd })

    expect(config.cwd).toBe(cwd)
    expect(config.configFile).toBeNull()
    expect(config.migrationsDir).toBe(join(cwd, 'migrations'))
    expect(config.snapshotsDir).toBe(join(cwd, 'resource_snapshots'))
    expect(config.repos).toHaveLength(1)
    const [main] = config.repos
    expect(main?.name).toBe('main')
    expect(main?.repo).toBe(repo)
    expect(main?.migrationsDir).toBe(join(cwd, 'migrations', 'main'))
    expect(main?.snapshotsDir).toBe(join(cwd, 'resource_snapshots', 'main'))
  })

  it('keeps only the tables of resources that migrate, and their declared renames', () => {
    const { domain } = accounts()
    const [main] = resolveConfig({ domains: [domain] }, { cwd }).repos

    expect(main?.tables.map((table) => table.table)).toEqual(['users'])
    expect(main?.renames).toEqual({ tables: { users: 'people' }, columns: { users: { full_name: 'name' } } })
  })

  it('resolves custom directories against cwd and names the config file', () => {
    const { domain } = accounts()
    const config = resolveConfig(
      { domains: [domain], migrationsDir: 'db/migrations', snapshotsDir: 'db/snapshots' },
      { cwd, configFile: 'config/ash-sqlite.config.ts' },
    )

    expect(config.configFile).toBe(join(cwd, 'config', 'ash-sqlite.config.ts'))
    expect(config.repos[0]?.migrationsDir).toBe(join(cwd, 'db', 'migrations', 'main'))
    expect(config.repos[0]?.snapshotsDir).toBe(join(cwd, 'db', 'snapshots', 'main'))
  })

  it('sorts repos by name and counts a resource listed in two domains once', () => {
    const tenants = defineRepo({ name: 'tenants', databases: () => [] })
    const Tenant = defineResource({
      name: 'Tenant',
      attributes: { id: attr.integerPrimaryKey() },
      sqlite: { repo: tenants, table: 'tenants' },
    })
    const { domain, User } = accounts()
    const config = resolveConfig(
      {
        domains: [
          defineDomain({ name: 'fleet', resources: [Tenant] }),
          domain,
          defineDomain({ name: 'again', resources: [User] }),
        ],
      },
      { cwd },
    )

    expect(config.repos.map((repo) => repo.name)).toEqual(['main', 'tenants'])
    expect(config.repos[0]?.tables.map((table) => table.table)).toEqual(['users'])
  })

  it('accepts two repo objects with one name when they describe the same database', () => {
    const first = accounts(defineRepo({ name: 'main', url: 'file:data/main.db' }))
    const second = accounts(defineRepo({ name: 'main', url: 'file:data/main.db' }))
    const config = resolveConfig(
      { domains: [first.domain, defineDomain({ name: 'other', resources: [second.Note] })] },
      { cwd },
    )
    expect(config.repos.map((repo) => repo.name)).toEqual(['main'])
  })

  it('rejects two repos that share a name but not a database', () => {
    const first = accounts(defineRepo({ name: 'main', url: 'file:data/main.db' }))
    const second = accounts(defineRepo({ name: 'main', url: 'file:data/other.db' }))
    const error = errorOf(() =>
      resolveConfig(
        { domains: [first.domain, defineDomain({ name: 'other', resources: [second.Note] })] },
        { cwd, configFile: 'ash-sqlite.config.ts' },
      ),
    )
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toBe(
      'ash-sqlite.config.ts: two different repos are named "main" (used by resources User and Note). ' +
        'Give each repo its own name, or define the repo once and share it.',
    )
  })

  it('lets conflicting table definitions across domains fail as resource definition errors', () => {
    const repo = defineRepo({ name: 'main', url: 'file:data/main.db' })
    const define = (name: string, type: 'string' | 'integer') =>
      defineResource({
        name,
        attributes: { id: attr.integerPrimaryKey(), value: type === 'string' ? attr.string() : attr.integer() },
        sqlite: { repo, table: 'values' },
      })
    const error = errorOf(() =>
      resolveConfig(
        {
          domains: [
            defineDomain({ name: 'a', resources: [define('A', 'string')] }),
            defineDomain({ name: 'b', resources: [define('B', 'integer')] }),
          ],
        },
        { cwd },
      ),
    )
    expect(error).toBeInstanceOf(ResourceDefinitionError)
    expect((error as ResourceDefinitionError).code).toBe('conflicting_table_definition')
  })
})

describe('resolveConfig validation', () => {
  const { domain } = accounts()
  const cases: [string, unknown, string][] = [
    [
      'a non-domain entry',
      { domains: [domain, { name: 'x' }] },
      'domains[1] is not a domain created with defineDomain()',
    ],
    ['missing domains', {}, 'domains is missing: list your domains, e.g. defineConfig({ domains: [blog] })'],
    [
      'domains that are not an array',
      { domains: domain },
      'domains must be an array of domains created with defineDomain(), got an object',
    ],
    [
      'an unknown option',
      { domains: [], migrationDir: 'x' },
      'unknown option "migrationDir" (did you mean "migrationsDir"?) (accepted: domains, migrationsDir, snapshotsDir)',
    ],
    [
      'a directory that is not a string',
      { domains: [], migrationsDir: 3 },
      'migrationsDir must be a directory path (a string), got number 3',
    ],
    [
      'an empty directory',
      { domains: [], snapshotsDir: ' ' },
      'snapshotsDir must not be empty: remove snapshotsDir to use the default, or name a directory',
    ],
    [
      'a config that is not an object',
      'domains',
      'the default export must be a config object, got the string "domains": export default defineConfig({ domains: [...] })',
    ],
    [
      'several problems',
      { domains: [1, 2] },
      '2 problems:\n  - domains[0] is not a domain created with defineDomain()\n  - domains[1] is not a domain created with defineDomain()',
    ],
    [
      'every problem of a config, with suggestions for misspelt options',
      { domains: 'blog', migrationDir: 'db', snapshotsDir: 4 },
      '3 problems:\n' +
        '  - domains must be an array of domains created with defineDomain(), got the string "blog"\n' +
        '  - snapshotsDir must be a directory path (a string), got number 4\n' +
        '  - unknown option "migrationDir" (did you mean "migrationsDir"?) (accepted: domains, migrationsDir, snapshotsDir)',
    ],
  ]

  it.each(cases)('reports %s, naming the file', (_, config, message) => {
    const error = errorOf(() => resolveConfig(config as never, { cwd, configFile: 'ash-sqlite.config.ts' }))
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toBe(`ash-sqlite.config.ts: ${message}`)
  })

  it('says "config" when the object did not come from a file', () => {
    const error = errorOf(() => resolveConfig({ domains: [3] } as never, { cwd }))
    expect(error.message).toBe('config: domains[0] is not a domain created with defineDomain()')
  })

  it('rejects repo names that cannot be folder names', () => {
    const repo = defineRepo({ name: 'main', url: 'file:x.db' })
    const odd = { ...repo, name: '../escape' }
    const Thing = defineResource({
      name: 'Thing',
      attributes: { id: attr.integerPrimaryKey() },
      sqlite: { repo: odd, table: 'things' },
    })
    const error = errorOf(() =>
      resolveConfig(
        { domains: [{ kind: 'domain', name: 'd', resources: [Thing], tables: {}, relations: {} }] },
        { cwd },
      ),
    )
    expect(error.message).toBe(
      'config: repo name "../escape" cannot be used as a folder name: use letters, digits, "_", "-" and "." only',
    )
  })
})
