import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseSnapshot, SnapshotError } from '@ash-sqlite/snapshot'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { ResolvedConfig } from '../config/resolved-config.js'
import { UsageError } from '../errors.js'
import { createTestProject, type TestProject } from './__fixtures__/project.js'
import { column, integerKey, table, withColumn } from './__fixtures__/states.js'
import { commitGeneration, computeGeneration, generate, usingGenerateLock } from './generate.js'
import type { GenerateOptions, GenerateResult, GeneratorEvent } from './types.js'

// Replaced files: migration folders and snapshot files the plan treats as absent and the commit deletes
// (what regen and rebase replace), through the same two steps they call.

/** compute + commit with `without` replaced, as regen and rebase run them (compute only for a dry run). */
async function generateReplacing(
  config: ResolvedConfig,
  options: GenerateOptions & { without: readonly string[] },
): Promise<GenerateResult> {
  const { without, ...rest } = options
  const repos = config.repos.filter((repo) => rest.repo === undefined || rest.repo.includes(repo.name))
  if (rest.dryRun === true) return computeGeneration(config, repos, rest, without)
  return usingGenerateLock(config, rest.onEvent, async (stagingDir) => {
    const result = await computeGeneration(config, repos, rest, without)
    await commitGeneration(stagingDir, result, rest.onEvent)
    return result
  })
}

const v1 = table('users', [integerKey(), column('name')])
const v2 = withColumn(v1, column('age', 'integer'))
const v3 = withColumn(v2, column('email'))
const posts = table('posts', [integerKey(), column('title')])

const T0 = new Date('2026-01-02T03:04:05Z')
const T1 = new Date('2026-01-02T03:04:06Z')
const FIRST = '20260102030405_migrate_resources1'
const SECOND = '20260102030406_migrate_resources2'

let project: TestProject
beforeEach(async () => {
  project = await createTestProject()
})
afterEach(async () => {
  await project.remove()
})

const migrationDir = (folder: string) => join(project.cwd, 'migrations', 'main', folder)
const snapshotFile = (tableName: string, timestamp: string) =>
  join(project.cwd, 'resource_snapshots', 'main', tableName, `${timestamp}.json`)

/** The first migration creates `users`; the second one makes it `second` (v2 by default): the one to replace. */
async function twoMigrations(second: readonly ReturnType<typeof table>[] = [v2]): Promise<string[]> {
  await generate(project.config({ main: [v1] }), { now: T0 })
  const result = await generate(project.config({ main: [...second] }), { now: T1 })
  return [migrationDir(SECOND), ...result.repos[0]!.snapshotFiles]
}

function snapshotJsonOf(files: Record<string, string>, folder: string): { id: string; prevIds: string[] } {
  return JSON.parse(files[`migrations/main/${folder}/snapshot.json`]!)
}

describe('generate without', () => {
  test('diffs from the state before the removed files, and replaces them in the same run', async () => {
    const without = await twoMigrations()
    const before = await project.files()
    const events: GeneratorEvent[] = []

    // Same clock as the first run: the removed folder's timestamp is free again, and so is its number.
    const result = await generateReplacing(project.config({ main: [v3] }), {
      without,
      now: T0,
      onEvent: (event) => events.push(event),
    })

    expect(result.removed).toEqual([migrationDir(SECOND), snapshotFile('users', '20260102030406')])
    expect(result.changed).toBe(true)
    const repo = result.repos[0]!
    expect(repo.migration?.folder).toBe(SECOND)
    expect(repo.migration?.up).toEqual([
      'ALTER TABLE `users` ADD `age` integer;',
      'ALTER TABLE `users` ADD `email` text;',
    ])
    expect(repo.migration?.down).toEqual([
      'ALTER TABLE `users` DROP COLUMN `age`;',
      'ALTER TABLE `users` DROP COLUMN `email`;',
    ])
    expect(repo.snapshotFiles).toEqual([snapshotFile('users', '20260102030406')])
    expect(events.slice(-2)).toEqual([
      { type: 'files_removed', count: 2 },
      { type: 'files_written', count: 4 },
    ])

    const after = await project.files()
    // Nothing else on disk: the old files are gone, the new ones in place, the staging folder cleaned up.
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort())
    expect(after[`migrations/main/${SECOND}/migration.sql`]).toBe(
      'ALTER TABLE `users` ADD `age` integer;--> statement-breakpoint\nALTER TABLE `users` ADD `email` text;',
    )
    expect(parseSnapshot(after['resource_snapshots/main/users/20260102030406.json']!, 'users').state).toEqual({
      ...v3,
      repo: 'main',
    })
    // Chained to the kept migration's snapshot.json, not to the removed one's.
    expect(snapshotJsonOf(after, SECOND).prevIds).toEqual([snapshotJsonOf(before, FIRST).id])
    expect(snapshotJsonOf(before, SECOND).prevIds).toEqual([snapshotJsonOf(before, FIRST).id])
  })

  test('the removed folders do not count for the timestamp or the migrate_resources number', async () => {
    const without = await twoMigrations()
    const third = await generate(project.config({ main: [v3] }), { now: T1 })
    expect(third.repos[0]?.migration?.folder).toBe('20260102030407_migrate_resources3')

    const result = await generateReplacing(project.config({ main: [v3] }), {
      dryRun: true,
      without: [...without, third.repos[0]!.migration!.dir, ...third.repos[0]!.snapshotFiles],
      now: T0,
    })

    expect(result.repos[0]?.migration?.folder).toBe(SECOND)
    expect(result.repos[0]?.migration?.up).toHaveLength(2)
  })

  test('a dry run lists the removals and the files, and changes nothing', async () => {
    const without = await twoMigrations()
    const before = await project.files()

    const result = await generateReplacing(project.config({ main: [v3] }), { without, dryRun: true, now: T0 })

    expect(result.removed).toEqual([migrationDir(SECOND), snapshotFile('users', '20260102030406')])
    expect(result.files.map((file) => file.path)).toEqual([
      join(migrationDir(SECOND), 'migration.sql'),
      join(migrationDir(SECOND), 'down.sql'),
      join(migrationDir(SECOND), 'snapshot.json'),
      snapshotFile('users', '20260102030406'),
    ])
    expect(await project.files()).toEqual(before)
  })

  test('a snapshot folder left empty is removed as a whole, even when nothing is written', async () => {
    const without = await twoMigrations([v1, posts])
    expect(without).toEqual([migrationDir(SECOND), snapshotFile('posts', '20260102030406')])

    const result = await generateReplacing(project.config({ main: [v1] }), { without, now: T0 })

    expect(result).toMatchObject({ changed: false, files: [] })
    expect(result.removed).toEqual([migrationDir(SECOND), join(project.cwd, 'resource_snapshots', 'main', 'posts')])
    expect(Object.keys(await project.files()).sort()).toEqual([
      `migrations/main/${FIRST}/down.sql`,
      `migrations/main/${FIRST}/migration.sql`,
      `migrations/main/${FIRST}/snapshot.json`,
      'resource_snapshots/main/users/20260102030405.json',
    ])
  })

  test('a table created by the removed migration is created again, its snapshot folder placed anew', async () => {
    const without = await twoMigrations([v1, posts])

    const result = await generateReplacing(project.config({ main: [v1, posts] }), { without, now: T0 })

    expect(result.removed).toEqual([migrationDir(SECOND), join(project.cwd, 'resource_snapshots', 'main', 'posts')])
    expect(result.repos[0]?.migration?.up).toEqual([
      'CREATE TABLE `posts` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`title` text\n);\n',
    ])
    const files = await project.files()
    expect(
      Object.keys(files)
        .filter((path) => path.startsWith('resource_snapshots/'))
        .sort(),
    ).toEqual([
      'resource_snapshots/main/posts/20260102030406.json',
      'resource_snapshots/main/users/20260102030405.json',
    ])
  })

  test('a file set that cannot be written deletes nothing either', async () => {
    const without = await twoMigrations()
    // A loose file where the new table's snapshot folder must go: the file set is refused before its commit.
    await writeFile(join(project.cwd, 'resource_snapshots', 'main', 'teams'), 'in the way')
    const before = await project.files()

    const error = await generateReplacing(project.config({ main: [v3, table('teams', [integerKey()])] }), {
      without,
      now: T0,
    }).catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(SnapshotError)
    expect(error).toMatchObject({ code: 'invalid_file_set' })
    expect(await project.files()).toEqual(before)
  })

  test('a path that does not exist is treated as absent and not listed', async () => {
    await generate(project.config({ main: [v1] }), { now: T0 })

    const result = await generateReplacing(project.config({ main: [v2] }), {
      without: [migrationDir('20990101000000_gone'), snapshotFile('users', '20990101000000')],
      dryRun: true,
      now: T0,
    })

    expect(result.removed).toEqual([])
    expect(result.repos[0]?.migration?.folder).toBe(SECOND)
  })

  test('anything but a migration folder or snapshot file of a selected repo is refused before reading', async () => {
    await twoMigrations()
    const before = await project.files()
    const config = project.config({ main: [v3], other: [v1] })
    const otherSnapshot = join(project.cwd, 'resource_snapshots', 'other', 'users', '20260102030405.json')
    const refused = [
      join('migrations', 'main', SECOND),
      join(project.cwd, 'migrations', 'main'),
      join(migrationDir(SECOND), 'migration.sql'),
      join(project.cwd, 'resource_snapshots', 'main', 'users', 'latest.json'),
      join(project.cwd, 'resource_snapshots', 'main', '.staging', '20260102030406.json'),
      otherSnapshot,
    ]
    for (const path of refused) {
      const error = await generateReplacing(config, { without: [path], repo: ['main'], now: T0 }).catch(
        (caught) => caught,
      )
      expect(error, path).toBeInstanceOf(UsageError)
    }

    const error = await generateReplacing(config, { without: [otherSnapshot], repo: ['main'], dryRun: true }).catch(
      (caught: unknown) => caught,
    )
    expect((error as UsageError).message).toBe(
      `without: ${otherSnapshot} is neither a migration folder nor a resource snapshot file of the selected repos. ` +
        `Pass absolute paths shaped like ${join(project.cwd, 'migrations', 'main', '<YYYYMMDDHHMMSS>_<name>')} or ` +
        `${join(project.cwd, 'resource_snapshots', 'main', '<table>', '<YYYYMMDDHHMMSS>.json')}.`,
    )
    expect(await project.files()).toEqual(before)
  })
})
