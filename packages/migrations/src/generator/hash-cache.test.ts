import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
import { hashTableState, SnapshotError, snapshotDigest } from '@ash-sqlite/snapshot'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createScenarioProject, type ScenarioProject, tick } from './__fixtures__/scenario-project.js'
import { openHashCache } from './hash-cache.js'

// The generator remembers, per project, which snapshot texts passed the full check and the hash of each
// state. These tests hold it to "never trusted over the files".

const main = defineRepo({ name: 'main', url: 'file:main.db' })
const users = (extra = {}) =>
  defineDomain({
    name: 'blog',
    resources: [
      defineResource({
        name: 'User',
        attributes: { id: attr.integerPrimaryKey(), name: attr.string({ allowNull: false }), ...extra },
        sqlite: { repo: main, table: 'users' },
      }),
    ],
  })

let project: ScenarioProject

beforeEach(async () => {
  project = await createScenarioProject()
})

afterEach(async () => {
  await project.remove()
})

async function snapshotFile(): Promise<string> {
  const dir = join(project.cwd, 'resource_snapshots', 'main', 'users')
  const [name] = (await readdir(dir)).sort().reverse()
  return join(dir, name!)
}

describe('the generator hash cache', () => {
  test('remembers the snapshots a run wrote and the states it hashed', async () => {
    await project.generate(users(), { now: tick(0) })
    const cache = openHashCache(project.cwd)
    expect(cache.trustedDigests.has(snapshotDigest(await readFile(await snapshotFile(), 'utf8')))).toBe(true)
    const state = project.config(users()).repos[0]!.tables[0]!
    expect(cache.hashOf(state)).toBe(hashTableState(state))
  })

  test('a snapshot edited by hand is caught although its earlier text was remembered', async () => {
    await project.generate(users(), { now: tick(0) })
    expect((await project.generate(users(), { now: tick(1) })).changed).toBe(false)
    const file = await snapshotFile()
    const snapshot = JSON.parse(await readFile(file, 'utf8'))
    snapshot.state.columns[1].allowNull = true
    await writeFile(file, JSON.stringify(snapshot, null, 2))

    const error = await project.generate(users(), { now: tick(2) }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SnapshotError)
    expect((error as SnapshotError).code).toBe('snapshot_mismatch')
  })

  test('a deliberate edit (state and hash together) is read from the file, not from the cache', async () => {
    await project.generate(users(), { now: tick(0) })
    expect((await project.generate(users(), { now: tick(1) })).changed).toBe(false)
    const file = await snapshotFile()
    const snapshot = JSON.parse(await readFile(file, 'utf8'))
    snapshot.state.columns = snapshot.state.columns.filter((column: { source: string }) => column.source !== 'name')
    snapshot.hash = hashTableState(snapshot.state)
    await writeFile(file, JSON.stringify(snapshot, null, 2))

    const result = await project.generate(users(), { now: tick(2) })
    expect(result.changed).toBe(true)
    expect(result.repos[0]?.migration?.up).toEqual(['ALTER TABLE `users` ADD `name` text NOT NULL;'])
  })

  test('a corrupt cache file is ignored', async () => {
    await project.generate(users(), { now: tick(0) })
    const cacheDir = join((await import('node:os')).tmpdir(), 'ash-sqlite-cache')
    for (const name of await readdir(cacheDir)) await writeFile(join(cacheDir, name), '{not json')
    expect((await project.generate(users({ age: attr.integer() }), { now: tick(1) })).changed).toBe(true)
  })
})
