import { access, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildConfig, createTempDir, type TempDir } from '../test-utils/migration-fixtures.js'
import { scalar } from '../test-utils/sqlite-file.js'
import { createDatabases, dropDatabases } from './create-drop.js'

let temp: TempDir
beforeEach(async () => {
  temp = await createTempDir()
})
afterEach(async () => {
  await temp.remove()
})

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  )

describe('createDatabases / dropDatabases', () => {
  it('creates each database file with its parent folders, then reports it as existing', async () => {
    const config = buildConfig(temp.path, [
      { name: 'main', url: 'file:data/nested/main.db' },
      { name: 'tenants', databases: () => [{ name: 't1', url: 'file:tenants/t1.db' }] },
    ])
    expect(await createDatabases(config)).toEqual({
      ok: true,
      databases: [
        { repo: 'main', database: 'main', url: 'file:data/nested/main.db', status: 'created' },
        { repo: 'tenants', database: 't1', url: 'file:tenants/t1.db', status: 'created' },
      ],
    })
    expect(await scalar(join(temp.path, 'data', 'nested', 'main.db'), 'SELECT 1')).toBe(1)
    expect((await createDatabases(config)).databases.map((result) => result.status)).toEqual(['exists', 'exists'])
  })

  it('drops the file with its -wal, -shm and -journal files; a second drop finds it absent', async () => {
    const config = buildConfig(temp.path, [{ name: 'main', url: 'file:main.db' }])
    await createDatabases(config)
    const files = ['main.db-wal', 'main.db-shm', 'main.db-journal'].map((name) => join(temp.path, name))
    for (const file of files) await writeFile(file, '')
    expect((await dropDatabases(config)).databases).toEqual([
      { repo: 'main', database: 'main', url: 'file:main.db', status: 'dropped' },
    ])
    for (const file of [join(temp.path, 'main.db'), ...files]) expect(await exists(file)).toBe(false)
    expect((await dropDatabases(config)).databases[0]?.status).toBe('absent')
  })

  it('leaves remote and in-memory databases alone (unsupported) and reports errors per database', async () => {
    await mkdir(join(temp.path, 'blocker'))
    await writeFile(join(temp.path, 'blocker', 'file'), '')
    const config = buildConfig(temp.path, [
      { name: 'remote', url: 'libsql://db.example.com?authToken=SECRET-TOKEN' },
      { name: 'memory', url: ':memory:' },
      // A parent "folder" that is a file: mkdir fails for this one database only.
      { name: 'broken', url: 'file:blocker/file/main.db' },
      { name: 'fine', url: 'file:fine.db' },
    ])
    const result = await createDatabases(config, { concurrency: 1 })
    expect(result.ok).toBe(false)
    expect(result.databases.map(({ repo, status, url }) => ({ repo, status, url }))).toEqual([
      { repo: 'broken', status: 'error', url: 'file:blocker/file/main.db' },
      { repo: 'fine', status: 'created', url: 'file:fine.db' },
      { repo: 'memory', status: 'unsupported', url: ':memory:' },
      { repo: 'remote', status: 'unsupported', url: 'libsql://db.example.com' },
    ])
    expect(JSON.stringify(result)).not.toContain('SECRET-TOKEN')
    expect(result.databases[0]?.error?.code).toBe('database_error')
  })

  it('reports each database as it finishes, with done/total', async () => {
    const config = buildConfig(temp.path, [
      { name: 'a', url: 'file:a.db' },
      { name: 'b', url: 'file:b.db' },
    ])
    const seen: string[] = []
    const counts: string[] = []
    await createDatabases(config, {
      concurrency: 1,
      onEvent: (event) => {
        if (event.type !== 'database_finished') return
        seen.push(`${event.result.database}:${event.result.status}`)
        counts.push(`${event.done}/${event.total}`)
      },
    })
    expect(seen).toEqual(['a:created', 'b:created'])
    expect(counts).toEqual(['1/2', '2/2'])
  })
})
