/** Reading and resetting a database on a test sqld server, for assertions outside the migrator. */
import { type Client, createClient, type InValue } from '@libsql/client'

export async function onServer<T>(
  url: string,
  authToken: string | undefined,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = createClient(authToken === undefined ? { url } : { url, authToken })
  try {
    return await work(client)
  } finally {
    client.close()
  }
}

export function remoteRows(
  url: string,
  authToken: string | undefined,
  sql: string,
  args: InValue[] = [],
): Promise<Record<string, unknown>[]> {
  return onServer(url, authToken, async (client) =>
    (await client.execute({ sql, args })).rows.map((row) => Object.fromEntries(Object.entries(row))),
  )
}

export async function remoteScalar(url: string, authToken: string | undefined, sql: string): Promise<unknown> {
  const [row] = await remoteRows(url, authToken, sql)
  return row === undefined ? undefined : Object.values(row)[0]
}

/** Names of the tables (not sqlite_*), sorted. */
export async function remoteTables(url: string, authToken: string | undefined): Promise<string[]> {
  const rows = await remoteRows(
    url,
    authToken,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  )
  return rows.map((row) => String(row.name))
}

/** Drops every table, so one server serves several tests from a clean slate. */
export async function wipe(url: string, authToken: string | undefined): Promise<void> {
  const rows = await remoteRows(
    url,
    authToken,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  )
  const drops = rows.map((row) => `DROP TABLE IF EXISTS "${String(row.name)}"`)
  if (drops.length > 0)
    await onServer(url, authToken, (client) => client.executeMultiple(`PRAGMA foreign_keys=OFF; ${drops.join('; ')}`))
}

/** Everything a user could see of a result: messages, stacks and causes of every error in it. */
export function everythingIn(value: unknown): string {
  return JSON.stringify(value, (_key, item) =>
    item instanceof Error ? { name: item.name, message: item.message, stack: item.stack, cause: item.cause } : item,
  )
}
