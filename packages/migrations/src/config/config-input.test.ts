import { join } from 'node:path'
import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
import { createClient } from '@libsql/client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDatabases } from '../database/create-drop.js'
import { migrate } from '../migrator/migrate.js'
import { rollback } from '../migrator/rollback.js'
import { status } from '../migrator/status.js'
import { createTempDir, type TempDir, writeMigration } from '../test-utils/migration-fixtures.js'
import { defineConfig } from './define-config.js'

// DESIGN section 8: production code may pass the defineConfig object itself (no config file, no loadConfig)
// and name one repo with a plain string, as in `rollback(config, { repo: 'main', to })`.
describe('the programmatic API with a plain defineConfig object', () => {
  let dir: TempDir
  beforeEach(async () => {
    dir = await createTempDir()
  })
  afterEach(() => dir.remove())

  function plainConfig() {
    const main = defineRepo({ name: 'main', url: `file:${join(dir.path, 'main.db')}` })
    const Note = defineResource({
      name: 'Note',
      attributes: { id: attr.integerPrimaryKey(), body: attr.string() },
      sqlite: { repo: main, table: 'notes' },
    })
    return defineConfig({
      domains: [defineDomain({ name: 'notes', resources: [Note] })],
      // Absolute, so the test does not depend on the process's working directory.
      migrationsDir: join(dir.path, 'migrations'),
      snapshotsDir: join(dir.path, 'resource_snapshots'),
    })
  }

  it('creates, migrates, reports status and rolls back one repo named by a string', async () => {
    const config = plainConfig()
    const repoDir = join(dir.path, 'migrations', 'main')
    await writeMigration(repoDir, '20260101000000_notes', {
      up: ['CREATE TABLE `notes` (`id` integer PRIMARY KEY AUTOINCREMENT, `body` text);'],
      down: ['DROP TABLE `notes`;'],
    })
    await writeMigration(repoDir, '20260102000000_body_index', {
      up: ['CREATE INDEX `notes_body_index` ON `notes` (`body`);'],
      down: ['DROP INDEX `notes_body_index`;'],
    })

    expect((await createDatabases(config, { repo: 'main' })).databases.map((d) => d.status)).toEqual(['created'])
    const migrated = await migrate(config, { repo: 'main' })
    expect(migrated.ok).toBe(true)
    expect(migrated.databases[0]?.results.map((r) => [r.migrationName, r.status])).toEqual([
      ['20260101000000_notes', 'success'],
      ['20260102000000_body_index', 'success'],
    ])

    const rolledBack = await rollback(config, { repo: 'main', to: '20260101000000' })
    expect(rolledBack.databases[0]?.results.map((r) => [r.migrationName, r.direction, r.status])).toEqual([
      ['20260102000000_body_index', 'down', 'success'],
    ])
    const states = (await status(config, { repo: 'main' })).databases[0]?.migrations.map((m) => [m.name, m.state])
    expect(states).toEqual([
      ['20260101000000_notes', 'applied'],
      ['20260102000000_body_index', 'pending'],
    ])

    const client = createClient({ url: `file:${join(dir.path, 'main.db')}` })
    try {
      const indexes = await client.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'notes'")
      expect(indexes.rows).toEqual([])
    } finally {
      client.close()
    }
  })

  it('rejects an unknown repo given as a string, listing the known ones', async () => {
    await expect(migrate(plainConfig(), { repo: 'nope' })).rejects.toThrow(
      'Unknown repo "nope" (--repo). Repos in this config: main.',
    )
  })
})
