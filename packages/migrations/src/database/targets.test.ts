import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../errors.js'
import { buildConfig } from '../test-utils/migration-fixtures.js'
import { DatabaseListError } from './errors.js'
import { type DatabaseEntry, resolveDatabases } from './targets.js'

const root = join('/', 'project')
const config = buildConfig(root, [
  { name: 'main', url: 'file:data/main.db' },
  {
    name: 'tenants',
    databases: async () => [
      { name: 't1', url: 'file:tenants/t1.db' },
      { name: 't2', url: 'http://localhost:8080/dev/t2/', authToken: 'secret-token' },
    ],
  },
])

function summary(entries: DatabaseEntry[]): unknown[] {
  return entries.map((entry) =>
    entry.kind === 'database'
      ? { repo: entry.database.repo.name, name: entry.database.name, location: entry.database.location }
      : { repo: entry.unresolved.repo, name: entry.unresolved.database, error: entry.unresolved.error.code },
  )
}

describe('resolveDatabases', () => {
  it('lists single repos and fleet members, resolving relative file: paths against the config cwd', async () => {
    expect(summary(await resolveDatabases(config))).toEqual([
      {
        repo: 'main',
        name: 'main',
        location: {
          kind: 'file',
          path: join(root, 'data', 'main.db'),
          connectionUrl: `file://${join(root, 'data', 'main.db')}`,
        },
      },
      {
        repo: 'tenants',
        name: 't1',
        location: {
          kind: 'file',
          path: join(root, 'tenants', 't1.db'),
          connectionUrl: `file://${join(root, 'tenants', 't1.db')}`,
        },
      },
      { repo: 'tenants', name: 't2', location: { kind: 'remote', connectionUrl: 'http://localhost:8080/dev/t2/' } },
    ])
  })

  it('filters by --repo and --database', async () => {
    expect(summary(await resolveDatabases(config, { repo: ['main'] })).map((entry: any) => entry.name)).toEqual([
      'main',
    ])
    expect(summary(await resolveDatabases(config, { database: 't2' })).map((entry: any) => entry.name)).toEqual(['t2'])
  })

  it('names the valid repos and databases when a name is unknown', async () => {
    await expect(resolveDatabases(config, { repo: ['mian'] })).rejects.toThrow(
      new UsageError('Unknown repo "mian" (--repo). Repos in this config: main, tenants.'),
    )
    await expect(resolveDatabases(config, { database: 't3' })).rejects.toThrow(
      new UsageError('Unknown database "t3" (--database). Databases of the selected repos: main, t1, t2.'),
    )
  })

  it('turns a failing or malformed fleet listing into one unresolved entry, keeping the other repos', async () => {
    const broken = buildConfig(root, [
      { name: 'main', url: 'file:main.db' },
      {
        name: 'tenants',
        databases: () => {
          throw new Error('tenant registry unreachable')
        },
      },
      {
        name: 'dupes',
        databases: () => [
          { name: 'a', url: 'file:a.db' },
          { name: 'a', url: 'file:b.db' },
        ],
      },
    ])
    const entries = await resolveDatabases(broken)
    expect(summary(entries)).toEqual([
      { repo: 'dupes', name: '*', error: 'database_list_failed' },
      expect.objectContaining({ repo: 'main', name: 'main' }),
      { repo: 'tenants', name: '*', error: 'database_list_failed' },
    ])
    const [dupes, , tenants] = entries
    expect(tenants?.kind === 'unresolved' && tenants.unresolved.error).toEqual(
      new DatabaseListError('tenants', 'databases() of repo tenants failed: tenant registry unreachable'),
    )
    expect(dupes?.kind === 'unresolved' && dupes.unresolved.error.message).toBe(
      'databases() of repo dupes lists "a" twice: names must be unique.',
    )
  })

  it('reports an unusable URL as an unresolved entry without its secrets', async () => {
    const entries = await resolveDatabases(buildConfig(root, [{ name: 'odd', url: 'postgres://u:pw-secret@x/db' }]))
    expect(entries).toEqual([
      {
        kind: 'unresolved',
        unresolved: expect.objectContaining({ repo: 'odd', database: 'odd', url: 'postgres://x/db' }),
      },
    ])
    const [entry] = entries
    expect(entry?.kind === 'unresolved' && entry.unresolved.error.message).toBe(
      'Unsupported database URL "postgres://x/db": use file:PATH, libsql://, http(s):// or ws(s)://.',
    )
  })

  it('carries a namespace admin from databases() to the database, and rejects a malformed one for that fleet only', async () => {
    const admin = { url: 'http://127.0.0.1:9090', namespace: 't1', authToken: 'admin-key' }
    const entries = await resolveDatabases(
      buildConfig(root, [
        { name: 'good', databases: () => [{ name: 't1', url: 'http://localhost:8080/dev/t1/', admin }] },
        {
          name: 'bad',
          databases: () => [
            { name: 't1', url: 'http://localhost:8080/dev/t1/', admin: { ...admin, namespace: 'a/b' } },
          ],
        },
      ]),
    )
    const [bad, good] = entries
    expect(good?.kind === 'database' && good.database.admin).toEqual(admin)
    expect(bad?.kind === 'unresolved' && bad.unresolved.error.message).toBe(
      "databases() of repo bad: entry 0 has an invalid admin: give { url: 'http://host:port' (sqld's admin API), namespace: letters, digits, '-' or '_', authToken?: string }.",
    )
  })
})
