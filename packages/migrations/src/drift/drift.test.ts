/**
 * `status --drift` on a fleet of 20 real SQLite files migrated alike: one database changed by hand (columns
 * added, an index dropped, a trigger replaced) is the only one reported, with exactly those differences;
 * the CLI exits 1 and its JSON lists them. Also: a database on an older migration is compared with the
 * schema of its own migrations, and a view changed by hand is reported.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { runCli } from '../cli/main.js'
import { migrate } from '../migrator/migrate.js'
import { buildPackages } from '../test-utils/build-packages.js'
import { captureIo } from '../test-utils/capture-io.js'
import { buildConfig, writeMigration } from '../test-utils/migration-fixtures.js'
import { createTempProject } from '../test-utils/temp-project.js'
import { drift } from './drift.js'

const FLEET_CONFIG = `import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
const tenants = defineRepo({
  name: 'tenants',
  databases: async () => Array.from({ length: 20 }, (_, index) => ({ name: \`t\${index}\`, url: \`file:t\${index}.db\` })),
})
const Account = defineResource({
  name: 'Account',
  attributes: { id: attr.integerPrimaryKey() },
  sqlite: { repo: tenants, table: 'accounts' },
})
export default { domains: [defineDomain({ name: 'ledger', resources: [Account] })] }
`

let temp: { path: string; remove(): Promise<void> }
beforeEach(async () => {
  const project = await createTempProject()
  temp = { path: project.dir, remove: () => project.remove() }
  const dir = join(temp.path, 'migrations', 'tenants')
  await writeMigration(dir, '20260101000000_initial', {
    up: [
      'CREATE TABLE `accounts` (`id` integer PRIMARY KEY AUTOINCREMENT, `email` text COLLATE NOCASE NOT NULL, `balance` integer DEFAULT 0 NOT NULL)',
      'CREATE UNIQUE INDEX `accounts_unique_email_index` ON `accounts` (`email`)',
      'CREATE TABLE `entries` (`id` integer PRIMARY KEY AUTOINCREMENT, `account_id` integer NOT NULL, `amount` integer NOT NULL, CONSTRAINT `fk_entries_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON DELETE CASCADE)',
      'CREATE INDEX `entries_account_id_index` ON `entries` (`account_id`)',
    ],
    down: ['DROP TABLE `entries`', 'DROP TABLE `accounts`'],
  })
  await writeMigration(dir, '20260102000000_ledger', {
    up: [
      'CREATE TRIGGER entries_balance AFTER INSERT ON entries BEGIN UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.account_id; END',
      'CREATE VIEW `rich_accounts` AS SELECT id, email FROM accounts WHERE balance > 1000',
    ],
    down: ['DROP VIEW `rich_accounts`', 'DROP TRIGGER entries_balance'],
  })
})
afterEach(async () => {
  await temp.remove()
})

const fleet = (count: number) =>
  buildConfig(temp.path, [
    {
      name: 'tenants',
      databases: () => Array.from({ length: count }, (_, index) => ({ name: `t${index}`, url: `file:t${index}.db` })),
    },
  ])

async function exec(name: string, statements: readonly string[]): Promise<void> {
  const client = createClient({ url: `file:${join(temp.path, `${name}.db`)}` })
  try {
    for (const statement of statements) await client.execute(statement)
  } finally {
    client.close()
  }
}

describe('status --drift', () => {
  test('a 20-database fleet: exactly the database changed by hand is reported, with each change', async () => {
    const config = fleet(20)
    expect((await migrate(config)).ok).toBe(true)
    await exec('t13', [
      "INSERT INTO accounts (email) VALUES ('a@example.com')",
      'ALTER TABLE accounts ADD COLUMN nickname text',
      "ALTER TABLE entries ADD COLUMN memo text DEFAULT '' NOT NULL",
      'DROP INDEX entries_account_id_index',
      'DROP TRIGGER entries_balance',
      'CREATE TRIGGER entries_balance AFTER INSERT ON entries BEGIN UPDATE accounts SET balance = balance + 2 * NEW.amount WHERE id = NEW.account_id; END',
    ])

    const result = await drift(config)
    expect(result.ok).toBe(true)
    expect(result.drifted).toBe(true)
    expect(result.databases).toHaveLength(20)
    expect(
      result.databases.filter((database) => database.differences.length > 0).map((database) => database.database),
    ).toEqual(['t13'])
    const t13 = result.databases.find((database) => database.database === 't13')
    expect(t13?.applied).toEqual(['20260101000000_initial', '20260102000000_ledger'])
    expect(t13?.differences.map((difference) => [difference.kind, difference.name, difference.change])).toEqual([
      ['column', 'accounts.nickname', 'unexpected'],
      ['column', 'entries.memo', 'unexpected'],
      ['index', 'entries_account_id_index', 'missing'],
      ['trigger', 'entries_balance', 'changed'],
    ])

    // The CLI, through a real config file: exit 1, the JSON names t13 and its differences only.
    await buildPackages(['resource'])
    await writeFile(join(temp.path, 'ash-sqlite.config.ts'), FLEET_CONFIG)
    const io = captureIo()
    expect(await runCli(['status', '--drift', '--json', '--cwd', temp.path], io)).toBe(1)
    const json = JSON.parse(io.out()) as {
      drifted: boolean
      databases: { database: string; drifted: boolean; differences: unknown[] }[]
    }
    expect(json.drifted).toBe(true)
    expect(
      json.databases
        .filter((database) => database.drifted)
        .map((database) => [database.database, database.differences.length]),
    ).toEqual([['t13', 4]])
    const human = captureIo()
    expect(await runCli(['status', '--drift', '--cwd', temp.path], human)).toBe(1)
    expect(human.out()).toContain('column accounts.nickname not made by any migration (text)')
    expect(human.out()).toContain('1 database drifted of 20.')
  }, 120_000)

  test('the CLI exits 1 and lists the differences; 0 when nothing drifted', async () => {
    const config = buildConfig(temp.path, [{ name: 'tenants', url: 'file:single.db' }])
    expect((await migrate(config)).ok).toBe(true)
    expect((await drift(config)).drifted).toBe(false)
    await exec('single', ['DROP VIEW rich_accounts', 'CREATE VIEW rich_accounts AS SELECT id FROM accounts'])
    const result = await drift(config)
    expect(result.databases[0]?.differences).toEqual([
      expect.objectContaining({ kind: 'view', name: 'rich_accounts', change: 'changed', table: null }),
    ])
  })

  test('a database on an older migration is compared with what its own migrations build', async () => {
    const config = buildConfig(temp.path, [{ name: 'tenants', url: 'file:old.db' }])
    expect((await migrate(config, { step: 1 })).ok).toBe(true)
    const result = await drift(config)
    expect(result.databases[0]?.applied).toEqual(['20260101000000_initial'])
    expect(result.databases[0]?.differences).toEqual([])
  })
})
