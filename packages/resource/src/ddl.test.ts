import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { Post, User } from './__fixtures__/blog.js'
import {
  Account,
  Currency,
  catalog,
  Defaults,
  Everything,
  Options,
  Order,
  OrderLine,
  shop,
} from './__fixtures__/catalog.js'
import { attr, collectTableStates, defineResource, type Resource, sqliteTablesFromStates } from './index.js'
import { createStatements } from './test-utils/ddl.js'
import { execute, openTempDatabase, storedSchema, type TempDatabase } from './test-utils/sqlite.js'

const tablesOf = (resources: readonly Resource[]): Record<string, SQLiteTable> =>
  Object.fromEntries(resources.map((resource) => [resource.tableName, resource.table]))

/** CREATE statements drizzle-kit writes for the resources, keyed by the table or index they create. */
async function ddlOf(resources: readonly Resource[]): Promise<Record<string, string>> {
  const statements = await createStatements(tablesOf(resources))
  return Object.fromEntries(
    statements.map((statement) => [/^CREATE (?:UNIQUE )?(?:TABLE|INDEX) `(\w+)`/.exec(statement)?.[1], statement]),
  )
}

const ddl = await ddlOf(catalog)

describe('CREATE TABLE for every attribute type', () => {
  test('types without options', () => {
    expect(ddl.everything).toBe(
      [
        'CREATE TABLE `everything` (',
        '\t`id` text PRIMARY KEY NOT NULL,',
        '\t`name` text,',
        '\t`email` text COLLATE NOCASE,',
        '\t`quantity` integer,',
        '\t`weight` real,',
        '\t`price` text,',
        '\t`active` integer,',
        '\t`external_id` text,',
        '\t`release_date` text,',
        '\t`opens_at` text,',
        '\t`published_at` text,',
        '\t`checked_at` text,',
        '\t`local_time` text,',
        '\t`metadata` text,',
        '\t`tags` text,',
        '\t`thumbnail` blob,',
        '\t`status` text,',
        '\t`inserted_at` text NOT NULL,',
        '\t`updated_at` text NOT NULL',
        ');',
      ].join('\n'),
    )
  })

  test('literal, expression and migration defaults, quoted and escaped', () => {
    expect(ddl.defaults).toBe(
      [
        'CREATE TABLE `defaults` (',
        '\t`id` integer PRIMARY KEY AUTOINCREMENT,',
        "\t`name` text DEFAULT 'it''s',",
        "\t`email` text COLLATE NOCASE DEFAULT 'NOBODY@EXAMPLE.COM',",
        '\t`quantity` integer DEFAULT -1 NOT NULL,',
        '\t`weight` real DEFAULT 2.5,',
        "\t`price` text DEFAULT '9.99',",
        '\t`active` integer DEFAULT 1 NOT NULL,',
        '\t`archived` integer DEFAULT 0,',
        "\t`external_id` text DEFAULT '00000000-0000-0000-0000-000000000000',",
        "\t`release_date` text DEFAULT '2024-01-31',",
        "\t`opens_at` text DEFAULT '09:00:00',",
        "\t`published_at` text DEFAULT '2024-01-02T03:04:05Z',",
        '\t`checked_at` text DEFAULT (CURRENT_TIMESTAMP),',
        "\t`local_time` text DEFAULT (datetime('now')),",
        `\t\`metadata\` text DEFAULT '{"color":"red","note":"O''Brien"}',`,
        `\t\`tags\` text DEFAULT '["a","b"]',`,
        "\t`thumbnail` blob DEFAULT X'00ff10',",
        "\t`status` text DEFAULT 'draft' NOT NULL,",
        '\t`nothing` text,',
        '\t`overridden` integer DEFAULT (abs(random()) % 10),',
        '\t`stamped` text DEFAULT (CURRENT_TIMESTAMP) NOT NULL',
        ');',
      ].join('\n'),
    )
  })

  test('allowNull, source, generated columns, migrationTypes (STRICT is applied by the generator)', () => {
    expect(ddl.options).toBe(
      [
        'CREATE TABLE `options` (',
        '\t`id` integer PRIMARY KEY,',
        '\t`headline` text NOT NULL,',
        '\t`upper_title` text GENERATED ALWAYS AS (upper(headline)) VIRTUAL,',
        '\t`title_length` integer GENERATED ALWAYS AS (length(headline)) STORED NOT NULL,',
        '\t`price` text NOT NULL,',
        '\t`code` text COLLATE NOCASE,',
        '\t`anything` any',
        ');',
      ].join('\n'),
    )
  })

  test('foreign keys with every reference option, a self reference and a non-primary-key destination', () => {
    expect(ddl.orders).toBe(
      [
        'CREATE TABLE `orders` (',
        '\t`id` integer PRIMARY KEY AUTOINCREMENT,',
        '\t`note` text,',
        '\t`account_id` text NOT NULL,',
        '\t`buyer_id` text,',
        '\t`approver_id` text,',
        '\t`auditor_id` text,',
        '\t`reviewed_by` text,',
        '\t`parent_id` integer,',
        '\t`currency_code` text COLLATE NOCASE,',
        '\tCONSTRAINT `fk_orders_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE CASCADE ON DELETE CASCADE,',
        '\tCONSTRAINT `fk_orders_buyer_id_accounts_id_fk` FOREIGN KEY (`buyer_id`) REFERENCES `accounts`(`id`) ON UPDATE RESTRICT ON DELETE SET NULL,',
        '\tCONSTRAINT `fk_orders_auditor_id_accounts_id_fk` FOREIGN KEY (`auditor_id`) REFERENCES `accounts`(`id`),',
        '\tCONSTRAINT `fk_orders_parent_id_orders_id_fk` FOREIGN KEY (`parent_id`) REFERENCES `orders`(`id`) ON DELETE CASCADE,',
        '\tCONSTRAINT `fk_orders_currency_code_currencies_code_fk` FOREIGN KEY (`currency_code`) REFERENCES `currencies`(`code`),',
        '\tCONSTRAINT `orders_approver_fk` FOREIGN KEY (`approver_id`) REFERENCES `accounts`(`id`) ON DELETE RESTRICT',
        ');',
      ].join('\n'),
    )
  })

  test('a composite primary key made of an attribute and a belongsTo key', () => {
    expect(ddl.order_lines).toBe(
      [
        'CREATE TABLE `order_lines` (',
        '\t`position` integer NOT NULL,',
        '\t`quantity` integer DEFAULT 1 NOT NULL,',
        '\t`order_id` integer NOT NULL,',
        '\tCONSTRAINT `order_lines_pk` PRIMARY KEY(`position`, `order_id`),',
        '\tCONSTRAINT `fk_order_lines_order_id_orders_id_fk` FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON DELETE CASCADE',
        ');',
      ].join('\n'),
    )
  })
})

describe('CREATE INDEX for identities and custom indexes', () => {
  test('identities: default and explicit names, baseFilterSql as WHERE, skipUniqueIndexes', () => {
    expect(ddl.accounts_unique_email_index).toBe(
      'CREATE UNIQUE INDEX `accounts_unique_email_index` ON `accounts` (`email`) WHERE deleted_at IS NULL;',
    )
    expect(ddl.accounts_handle_key).toBe(
      'CREATE UNIQUE INDEX `accounts_handle_key` ON `accounts` (`tenant`,`handle`) WHERE deleted_at IS NULL;',
    )
    expect(Object.keys(ddl).filter((name) => name.includes('number'))).toEqual([])
    expect(ddl.currencies_unique_code_index).toBe(
      'CREATE UNIQUE INDEX `currencies_unique_code_index` ON `currencies` (`code`);',
    )
  })

  test('custom indexes: default names, unique, explicit name and where', () => {
    expect(ddl.accounts_city_index).toBe('CREATE INDEX `accounts_city_index` ON `accounts` (`city`);')
    expect(ddl.accounts_tenant_city_unique_index).toBe(
      'CREATE UNIQUE INDEX `accounts_tenant_city_unique_index` ON `accounts` (`tenant`,`city`);',
    )
    expect(ddl.accounts_deleted).toBe(
      'CREATE INDEX `accounts_deleted` ON `accounts` (`deleted_at`) WHERE deleted_at IS NOT NULL;',
    )
  })

  test('nothing else is created', () => {
    expect(Object.keys(ddl).sort()).toEqual(
      [
        'everything',
        'defaults',
        'options',
        'accounts',
        'currencies',
        'orders',
        'order_lines',
        'accounts_unique_email_index',
        'accounts_handle_key',
        'accounts_city_index',
        'accounts_deleted',
        'accounts_tenant_city_unique_index',
        'currencies_unique_code_index',
      ].sort(),
    )
  })
})

describe('the DESIGN.md example', () => {
  test('users and posts', async () => {
    expect(await createStatements(tablesOf([User, Post]))).toEqual([
      [
        'CREATE TABLE `users` (',
        '\t`id` text PRIMARY KEY NOT NULL,',
        '\t`email` text COLLATE NOCASE NOT NULL,',
        '\t`full_name` text,',
        '\t`age` integer DEFAULT 0,',
        "\t`role` text DEFAULT 'member',",
        '\t`inserted_at` text NOT NULL,',
        '\t`updated_at` text NOT NULL',
        ');',
      ].join('\n'),
      [
        'CREATE TABLE `posts` (',
        '\t`id` integer PRIMARY KEY AUTOINCREMENT,',
        '\t`title` text NOT NULL,',
        '\t`author_id` text NOT NULL,',
        '\tCONSTRAINT `fk_posts_author_id_users_id_fk` FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE CASCADE ON DELETE CASCADE',
        ');',
      ].join('\n'),
      'CREATE UNIQUE INDEX `users_unique_email_index` ON `users` (`email`);',
      'CREATE INDEX `posts_title_index` ON `posts` (`title`) WHERE title IS NOT NULL;',
    ])
  })
})

describe('tables built from stored states', () => {
  test('give drizzle-kit exactly the DDL of the resource tables', async () => {
    const fromStates = sqliteTablesFromStates(collectTableStates(catalog))
    // Same statements; drizzle-kit orders tables as given, and states come sorted by table name.
    expect((await createStatements(fromStates)).sort()).toEqual((await createStatements(tablesOf(catalog))).sort())
  })
})

describe('on a real SQLite file', () => {
  let database: TempDatabase
  beforeEach(async () => {
    database = await openTempDatabase()
  })
  afterEach(async () => {
    await database.close()
  })

  test('every statement applies, and sqlite_master stores exactly that DDL', async () => {
    const statements = await createStatements(tablesOf(catalog))
    await execute(database.client, statements)
    const stored = await storedSchema(database.client)
    expect(stored).toEqual(
      Object.fromEntries(Object.entries(ddl).map(([name, statement]) => [name, statement.replace(/;$/, '')])),
    )
  })

  test('SQLite enforces what the DDL declares', async () => {
    await execute(database.client, await createStatements(tablesOf(catalog)))
    const { client } = database
    await client.execute(
      "INSERT INTO accounts (id, email, handle, tenant) VALUES ('a1', 'Ann@Example.com', 'ann', 't1')",
    )
    // ciString: the unique email index compares case-insensitively.
    await expect(
      client.execute("INSERT INTO accounts (id, email, handle, tenant) VALUES ('a2', 'ann@example.COM', 'ann2', 't1')"),
    ).rejects.toThrow(/UNIQUE constraint failed: accounts.email/)
    // The identity index is partial: a soft-deleted row does not count.
    await client.execute(
      "INSERT INTO accounts (id, email, handle, tenant, deleted_at) VALUES ('a3', 'ann@example.com', 'ann3', 't1', '2024-01-01T00:00:00Z')",
    )
    await client.execute("INSERT INTO orders (account_id, buyer_id) VALUES ('a1', 'a1')")
    // nilify: deleting the buyer keeps the order and clears buyer_id; delete: deleting the account removes it.
    await client.execute("UPDATE orders SET account_id = 'a3'")
    await client.execute("DELETE FROM accounts WHERE id = 'a1'")
    expect((await client.execute('SELECT account_id, buyer_id FROM orders')).rows.map((row) => ({ ...row }))).toEqual([
      { account_id: 'a3', buyer_id: null },
    ])
    await client.execute("DELETE FROM accounts WHERE id = 'a3'")
    expect((await client.execute('SELECT count(*) AS n FROM orders')).rows[0]?.n).toBe(0)
    // Generated columns compute from their expression.
    await client.execute("INSERT INTO options (id, headline, price) VALUES (1, 'Hello', '1.00')")
    expect({ ...(await client.execute('SELECT upper_title, title_length FROM options')).rows[0] }).toEqual({
      upper_title: 'HELLO',
      title_length: 5,
    })
  })
})

describe('a NULL primary key on a real SQLite file', () => {
  // SQLite lets a primary key column that is not the INTEGER rowid hold NULL unless it says NOT NULL.
  const Membership = defineResource({
    name: 'Membership',
    attributes: {
      tenant: attr.string({ primaryKey: true }),
      userId: attr.uuid({ primaryKey: true }),
      role: attr.string(),
    },
    sqlite: { repo: shop, table: 'memberships' },
  })
  let database: TempDatabase
  beforeEach(async () => {
    database = await openTempDatabase()
    await execute(database.client, await createStatements(tablesOf([Everything, Options, Membership])))
  })
  afterEach(async () => {
    await database.close()
  })

  test('is rejected for a uuid primary key', async () => {
    const insert = "INSERT INTO everything (id, inserted_at, updated_at) VALUES (NULL, 'now', 'now')"
    await expect(database.client.execute(insert)).rejects.toThrow(/NOT NULL constraint failed: everything\.id/)
  })

  test('is rejected for each column of a composite primary key', async () => {
    await expect(
      database.client.execute("INSERT INTO memberships (tenant, user_id) VALUES ('t1', NULL)"),
    ).rejects.toThrow(/NOT NULL constraint failed: memberships\.user_id/)
    await expect(
      database.client.execute("INSERT INTO memberships (tenant, user_id) VALUES (NULL, 'u1')"),
    ).rejects.toThrow(/NOT NULL constraint failed: memberships\.tenant/)
  })

  test('becomes the next rowid for an INTEGER PRIMARY KEY', async () => {
    await database.client.execute("INSERT INTO options (id, headline, price) VALUES (NULL, 'Hello', '1.00')")
    expect((await database.client.execute('SELECT id FROM options')).rows.map((row) => row.id)).toEqual([1])
  })
})

test('every resource of the catalog is used', () => {
  expect(catalog).toEqual([Everything, Defaults, Options, Account, Currency, Order, OrderLine])
})
