/**
 * `pull` round trips on schemas nobody here wrote (Chinook, Northwind): pull -> generate writes nothing ->
 * migrate does nothing -> a fresh database migrated from the baseline has the original's schema, and the
 * resources alone (generated from nothing) describe every pulled table exactly.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { generate } from '../generator/generate.js'
import { diffSchemas } from '../introspect/schema-diff.js'
import { migrate } from '../migrator/index.js'
import {
  configAt,
  databaseFromModule,
  liveSchemaOf,
  masterOf,
  pragmasOf,
  pullDatabase,
  type RoundTrip,
  rowsOf,
  typecheckModule,
} from './test-utils/round-trip.js'

// The round trips load drizzle-kit, run tsc and migrate several databases: allow for a busy machine.
vi.setConfig({ testTimeout: 240_000 })

const fixture = (name: string) => readFile(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')

let trip: RoundTrip | undefined
afterEach(async () => {
  await trip?.project.remove()
  trip = undefined
})

/** Every check of the round trip; `leftOut` is what pull must name in a warning instead of pulling. */
async function expectRoundTrip(
  current: RoundTrip,
  leftOut: readonly string[],
  knownDifferences: readonly string[] = [],
): Promise<void> {
  const { result, config, project, originalPath } = current
  expect(result.leftOut.sort()).toEqual([...leftOut].sort())
  for (const table of leftOut)
    expect(result.warnings.map((warning) => warning.message).join('\n')).toContain(`table ${table} is not pulled`)

  // The next generate finds nothing, and migrate has nothing to apply to the pulled database.
  const check = await generate(config, { check: true })
  expect(check.changed).toBe(false)
  const run = await migrate(config)
  expect(run.ok).toBe(true)
  expect(run.databases.flatMap((database) => database.results)).toEqual([])

  // A fresh database migrated from the baseline has the same sqlite_master and pragmas.
  const freshPath = join(project.dir, 'fresh.db')
  const fresh = await migrate(configAt(config, `file:${freshPath}`))
  expect(fresh.ok).toBe(true)
  expect(await masterOf(freshPath)).toEqual(await masterOf(originalPath))
  expect(await pragmasOf(freshPath)).toEqual(await pragmasOf(originalPath))

  // The resources alone describe every pulled table (columns, keys, foreign keys, indexes, checks, views).
  const scratchPath = join(project.dir, 'scratch.db')
  await databaseFromModule(current, scratchPath)
  const differences = diffSchemas(await liveSchemaOf(originalPath), await liveSchemaOf(scratchPath), {
    uniqueByColumns: true,
  })
  expect(
    differences.map(
      (difference) => `${difference.kind} ${difference.name}: ${difference.expected} -> ${difference.actual}`,
    ),
  ).toEqual(knownDifferences)
}

describe('pull on public sample schemas', () => {
  test('Chinook: every table pulled, PascalCase columns through source, composite key, self reference', async () => {
    trip = await pullDatabase(await fixture('chinook.sql'), {
      rows: [
        "INSERT INTO Artist VALUES (1, 'AC/DC'), (2, 'Accept');",
        "INSERT INTO Album VALUES (1, 'For Those About To Rock', 1), (2, 'Balls to the Wall', 2);",
        "INSERT INTO Employee (EmployeeId, LastName, FirstName) VALUES (1, 'Adams', 'Andrew');",
      ].join('\n'),
    })
    await expectRoundTrip(trip, [])
    expect(trip.result.tables).toHaveLength(11)
    const module = await readFile(trip.result.module, 'utf8')
    expect(module).toContain('export const Album = defineResource({')
    expect(module).toContain("albumId: attr.integer({ source: 'AlbumId', primaryKey: true }),")
    expect(module).toContain("artistId: attr.integer({ source: 'ArtistId', allowNull: false }),")
    expect(module).toContain("artist: belongsTo(() => Artist, { attributes: ['artistId'] }),")
    expect(module).toContain("reportsToRecord: belongsTo(() => Employee, { attributes: ['reportsTo'] }),")
    expect(module).toContain("title: 'nvarchar(160)'")
    await typecheckModule(trip)
    // Pulling changed no row.
    expect(await rowsOf(trip.originalPath, 'SELECT * FROM Album ORDER BY AlbumId')).toHaveLength(2)
  })

  test('Northwind: views as custom statements, the tables the DSL cannot describe named in warnings', async () => {
    trip = await pullDatabase(await fixture('northwind.sql'))
    // "Order Details" has a space in its name: the only table the DSL cannot describe.
    const leftOut = ['Order Details']
    // Its CustomerID is a nullable TEXT primary key: the resource makes it NOT NULL, and says so.
    await expectRoundTrip(trip, leftOut, [
      'column Customers.CustomerID: text PRIMARY KEY#1 -> text NOT NULL PRIMARY KEY#1',
    ])
    expect(trip.result.warnings.map((warning) => warning.message)).toContain(
      'column Customers.CustomerID is nullable in the database, but the resource declares it NOT NULL (a primary key is never null in the DSL); the database changes only when the table is next rebuilt.',
    )
    const module = await readFile(trip.result.module, 'utf8')
    expect(module).toContain('export const Category = defineResource({')
    expect(module).toContain('view_alphabetical_list_of_products')
    expect(module).toContain("{ name: 'Products_check', check: '[UnitPrice]>=(0)' },")
    expect(module).toContain('Not described here (kept in the baseline migration): ')
  })
})

describe('pull on a schema written by hand with every feature', () => {
  test('generated columns, collations, CHECKs, blob defaults, partial/expression/DESC indexes, composite keys, INSTEAD OF triggers', async () => {
    trip = await pullDatabase(await fixture('features.sql'), {
      rows: "INSERT INTO teams (name) VALUES ('core'); INSERT INTO accounts (id, email) VALUES ('a1', 'A@example.com');",
    })
    if (process.env.PRINT_MODULE) console.log(await readFile(trip.result.module, 'utf8'))
    await expectRoundTrip(trip, ['settings'])
    expect(trip.result.warnings.map((warning) => warning.message)).toContain(
      'table settings is not pulled: it is a WITHOUT ROWID table. It stays in the baseline migration; describe it by hand or keep managing it with SQL.',
    )
    const module = await readFile(trip.result.module, 'utf8')
    expect(module).toContain("createdAt: '(datetime(\\'now\\'))'")
    expect(module).toContain("membership: belongsTo(() => Membership, { attributes: ['accountId', 'teamId'] }),")
    expect(module).toContain("upperEmail: attr.string({ generated: { as: 'upper(email)' } }),")
    expect(module).toContain("{ fields: [{ expression: 'lower(email)' }], name: 'accounts_lower_email' },")
    expect(module).toContain("fields: [{ field: 'score', order: 'desc' }, 'createdAt'],")
  })
})

/** The schema a repo of the example app migrates to: its migration.sql files, in order. */
async function exampleSchema(repo: string): Promise<string> {
  const dir = new URL(`../../../../apps/example/migrations/${repo}/`, import.meta.url)
  const folders = (await readdir(dir)).filter((name) => /^\d{14}_/.test(name)).sort()
  const files = await Promise.all(folders.map((folder) => readFile(new URL(`${folder}/migration.sql`, dir), 'utf8')))
  return files
    .flatMap((file) => file.split('--> statement-breakpoint'))
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '')
    .map((statement) => `${statement};`)
    .join('\n')
}

describe('pull on the example app schemas', () => {
  test('main: foreign key actions, composite key, partial index, identities, triggers', async () => {
    trip = await pullDatabase(await exampleSchema('main'), {
      rows: [
        "INSERT INTO users VALUES ('u1', 'a@example.com', 'a', NULL, 'reader', '2026-01-01', '2026-01-01');",
        "INSERT INTO posts (slug, title, inserted_at, updated_at, author_id) VALUES ('p', 'P', '2026-01-01', '2026-01-01', 'u1');",
        "INSERT INTO comments VALUES ('c1', 'hi', '2026-01-01', 1, 'u1');",
      ].join('\n'),
    })
    await expectRoundTrip(trip, [])
    const module = await readFile(trip.result.module, 'utf8')
    if (process.env.PRINT_MODULE) console.log(module)
    expect(module).toContain("references: {\n      post: { onDelete: 'delete', onUpdate: 'nothing' },")
    expect(module).toContain('trigger_comments_count_on_insert')
    expect(module).toContain("identities: { uniqueEmail: ['email'], uniqueHandle: ['handle'] },")
    expect(module).toContain('post: belongsTo(() => Post, { allowNull: false }),')
    expect(await rowsOf(trip.originalPath, 'SELECT comment_count FROM posts')).toEqual([{ comment_count: 1 }])
    await typecheckModule(trip)
  })

  test('analytics: a STRICT table', async () => {
    trip = await pullDatabase(await exampleSchema('analytics'))
    await expectRoundTrip(trip, [])
    expect(await readFile(trip.result.module, 'utf8')).toContain('strict: true,')
  })
})
