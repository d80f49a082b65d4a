import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTempDir, type TempDir, writeMigration } from '../test-utils/migration-fixtures.js'
import { MissingMigrationFileError } from './errors.js'
import { listMigrationFolderNames, readMigrationFolders, splitStatements, timestampMillis } from './migration-files.js'

let temp: TempDir
let dir: string
beforeEach(async () => {
  temp = await createTempDir()
  dir = join(temp.path, 'migrations', 'main')
})
afterEach(async () => {
  await temp.remove()
})

describe('readMigrationFolders', () => {
  it('a migration folder without migration.sql is an error naming it, not skipped', async () => {
    await writeMigration(dir, '20260101000000_first', { up: ['CREATE TABLE a (id integer)'] })
    await mkdir(join(dir, '20260104000000_no_sql'), { recursive: true })
    const error = await readMigrationFolders(dir).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(MissingMigrationFileError)
    expect((error as MissingMigrationFileError).folder).toBe(join(dir, '20260104000000_no_sql'))
  })

  it('reads migration folders sorted by name and ignores everything else', async () => {
    await writeMigration(dir, '20260102000000_second', { up: ['CREATE TABLE b (id integer)'], down: ['DROP TABLE b'] })
    await writeMigration(dir, '20260101000000_first', { up: ['CREATE TABLE a (id integer)'] })
    await writeMigration(dir, '.20260103000000_hidden', { up: 'SELECT 1' })
    await writeMigration(dir, 'notes', { up: 'SELECT 1' })
    await writeFile(join(dir, '20260105000000_a_file.sql'), 'SELECT 1')
    await writeFile(join(dir, '.DS_Store'), '')

    const folders = await readMigrationFolders(dir)
    expect(folders.map(({ name, timestamp, path, downSql }) => ({ name, timestamp, path, downSql }))).toEqual([
      {
        name: '20260101000000_first',
        timestamp: '20260101000000',
        path: join(dir, '20260101000000_first'),
        downSql: null,
      },
      {
        name: '20260102000000_second',
        timestamp: '20260102000000',
        path: join(dir, '20260102000000_second'),
        downSql: 'DROP TABLE b',
      },
    ])
    expect(folders[0]?.upSql).toBe('CREATE TABLE a (id integer)')
    expect(await listMigrationFolderNames(dir)).toEqual(['20260101000000_first', '20260102000000_second'])
  })

  it('returns nothing for a repo without a migrations directory', async () => {
    expect(await readMigrationFolders(join(temp.path, 'nowhere'))).toEqual([])
  })

  it('computes hash and created_at exactly as drizzle-orm does (BOM, CRLF, non-ASCII, invalid UTF-8)', async () => {
    const contents: Array<[string, string | Buffer]> = [
      ['20260101000000_plain', 'CREATE TABLE a (id integer);\n--> statement-breakpoint\nINSERT INTO a VALUES (1);'],
      ['20260101000001_bom_crlf', '\uFEFFCREATE TABLE b (id integer);\r\n--> statement-breakpoint\r\nSELECT 1;\r\n'],
      ['20261231235959_unicode', "INSERT INTO a VALUES ('Zürich ✓ 東京');"],
      ['20270615120030_invalid_utf8', Buffer.from([0x53, 0x45, 0x4c, 0x45, 0x43, 0x54, 0x20, 0xff, 0xfe, 0x3b])],
    ]
    for (const [name, content] of contents) {
      await mkdir(join(dir, name), { recursive: true })
      await writeFile(join(dir, name, 'migration.sql'), content)
    }
    const ours = await readMigrationFolders(dir)
    const drizzles = readMigrationFiles({ migrationsFolder: dir })
    expect(ours.map((folder) => [folder.name, folder.hash, timestampMillis(folder.timestamp)])).toEqual(
      drizzles.map((migration) => [migration.name, migration.hash, migration.folderMillis]),
    )
  })
})

describe('splitStatements', () => {
  it('splits at every breakpoint, trims, and drops empty pieces', () => {
    const sql =
      'PRAGMA foreign_keys=OFF;--> statement-breakpoint\nCREATE TABLE `a` (\n\t`id` integer\n);\n--> statement-breakpoint\n\n--> statement-breakpoint\nDROP TABLE `b`;\n'
    expect(splitStatements(sql)).toEqual([
      'PRAGMA foreign_keys=OFF;',
      'CREATE TABLE `a` (\n\t`id` integer\n);',
      'DROP TABLE `b`;',
    ])
  })

  it('gives nothing for an empty file', () => {
    expect(splitStatements(' \n')).toEqual([])
  })
})

describe('timestampMillis', () => {
  it('reads the folder timestamp as UTC', () => {
    expect(timestampMillis('20261125120000')).toBe(Date.UTC(2026, 10, 25, 12, 0, 0))
  })
})
