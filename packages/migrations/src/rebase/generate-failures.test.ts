import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { attr, belongsTo, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
import { STAGING_DIR, writeFileSet } from '@ash-sqlite/snapshot'
import { afterEach, describe, expect, test } from 'vitest'
import { defineConfig } from '../config/define-config.js'
import { resolveConfig } from '../config/resolve-config.js'
import { ConfigError } from '../errors.js'
import { DroppedTableReferencedError } from '../generator/errors.js'
import { generate } from '../generator/generate.js'
import type { GeneratorEvent } from '../generator/types.js'
import { MissingMigrationFileError } from '../migrator/errors.js'
import { migrate, status } from '../migrator/index.js'
import { createMergeProject, type MergeProject } from './__fixtures__/merge-project.js'

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second))
const projects: MergeProject[] = []
afterEach(async () => {
  await Promise.all(projects.splice(0).map((project) => project.remove()))
})

function blog(options: { userInDomain: boolean; userMigrated?: boolean }) {
  const repo = defineRepo({ name: 'main', url: 'file:main.db' })
  const User = defineResource({
    name: 'User',
    attributes: { id: attr.integerPrimaryKey(), email: attr.string() },
    sqlite: { repo, table: 'users', migrate: options.userMigrated ?? true },
  })
  const Post = defineResource({
    name: 'Post',
    attributes: { id: attr.integerPrimaryKey(), title: attr.string() },
    relationships: { author: belongsTo(() => User) },
    sqlite: { repo, table: 'posts' },
  })
  return defineConfig({
    domains: [defineDomain({ name: 'blog', resources: options.userInDomain ? [User, Post] : [Post] })],
  })
}

describe('generate refuses what would leave a dangling foreign key', () => {
  test('a belongsTo target in no domain is a config error naming both resources', () => {
    const error = (() => {
      try {
        resolveConfig(blog({ userInDomain: false }), { cwd: '/project' })
      } catch (caught) {
        return caught as ConfigError
      }
      throw new Error('expected a ConfigError')
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toContain('resource Post belongsTo User (relationship author), but User is in no domain')
  })

  test('a dropped table still referenced by a current table fails generate, writing nothing', async () => {
    const project = await createMergeProject()
    projects.push(project)
    const cwd = project.dir
    await generate(resolveConfig(blog({ userInDomain: true }), { cwd }), { now: at(0) })
    const before = await project.files()
    // `migrate: false` takes users out of the generated schema while posts.author_id still points at it.
    const config = resolveConfig(blog({ userInDomain: true, userMigrated: false }), { cwd })
    const error = await generate(config, { now: at(1) }).catch((caught) => caught)
    expect(error).toBeInstanceOf(DroppedTableReferencedError)
    expect(error.code).toBe('dropped_table_referenced')
    expect(error.message).toContain('table users would be dropped, but posts.author_id still references it')
    expect(await project.files()).toEqual(before)
  })
})

describe('a migration folder without migration.sql', () => {
  test('is reported by migrate, status and generate --check (exit 1), not skipped', async () => {
    const project = await createMergeProject()
    projects.push(project)
    await generate(project.config({}), { name: 'init', now: at(0) })
    const second = await generate(project.config({ slug: true }), { name: 'add_slug', now: at(1) })
    const folder = second.repos[0]!.migration!.dir
    await rm(join(folder, 'migration.sql'))

    const migrated = await migrate(project.config({ slug: true }))
    expect(migrated.ok).toBe(false)
    expect(migrated.databases[0]!.error).toBeInstanceOf(MissingMigrationFileError)
    expect(migrated.databases[0]!.error!.message).toContain(`Migration folder ${folder} has no migration.sql`)
    expect(migrated.databases[0]!.results).toEqual([])

    const current = await status(project.config({ slug: true }))
    expect(current.ok).toBe(false)
    expect(current.databases[0]!.error?.code).toBe('migration_file_missing')

    const check = await generate(project.config({ slug: true }), { check: true }).catch((caught) => caught)
    expect(check).toBeInstanceOf(MissingMigrationFileError)
    expect(check.exitCode).toBe(1)
  })
})

describe('generate runs that overlap or were interrupted', () => {
  test('concurrent runs on one project: one writes the migration, the others find nothing, none fails', async () => {
    const project = await createMergeProject()
    projects.push(project)
    await generate(project.config({}), { name: 'init', now: at(0) })
    const runs = await Promise.allSettled(
      [1, 2, 3, 4].map(() => generate(project.config({ slug: true }), { name: 'add_slug', now: at(1) })),
    )
    expect(runs.filter((run) => run.status === 'rejected')).toEqual([])
    const changed = runs.filter((run) => run.status === 'fulfilled' && run.value.changed)
    expect(changed).toHaveLength(1)
    expect(await readdir(join(project.dir, 'migrations', 'main'))).toHaveLength(2)
  })

  test('a run that stopped after its commit point is finished by the next one, which says so', async () => {
    const project = await createMergeProject()
    projects.push(project)
    const stagingDir = join(project.dir, STAGING_DIR)
    const planned = await generate(project.config({}), { name: 'init', dryRun: true, now: at(0) })
    // The process "dies" right after committing: the files are staged and the manifest written, none placed.
    const died = await writeFileSet(planned.files, {
      stagingDir,
      onProgress: (event) => {
        if (event.kind === 'committed') throw new Error('killed')
      },
    }).catch((caught: Error) => caught.message)
    expect(died).toBe('killed')
    expect(await readdir(project.dir)).not.toContain('migrations')

    const events: GeneratorEvent[] = []
    const next = await generate(project.config({}), { now: at(1), onEvent: (event) => events.push(event) })
    expect(events).toContainEqual({ type: 'recovered', outcome: 'completed' })
    // The recovered run's migration is in place, so this run has nothing left to write.
    expect(next.changed).toBe(false)
    expect(await readdir(join(project.dir, 'migrations', 'main'))).toEqual([planned.repos[0]!.migration!.folder])
  })
})
