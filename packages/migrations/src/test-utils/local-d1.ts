/**
 * A real local D1 (Miniflare running workerd) for tests: one instance per test file, one binding per test.
 * Offline: the workerd binary ships in an npm package. `using...`-style helpers always dispose the instance.
 */
import { Miniflare, type MiniflareOptions } from 'miniflare'
import type { D1DatabaseLike } from '../d1/binding.js'

/** A D1 binding as Miniflare hands it to Node (typed by the part the tests use). */
export type D1Database = D1DatabaseLike

export interface LocalD1 {
  readonly miniflare: Miniflare
  /**
   * The binding `name` (declared when the instance started), relayed through the SQL worker: every `all()`
   * and `batch()` is one request that the worker runs on its real `env[name]`. Miniflare's own Node proxy
   * makes a round trip per prepare/bind, several times slower (see the D1 facts notes).
   */
  binding(name: string): Promise<D1Database>
  /** Miniflare's Node proxy of the binding: the full D1Database API (for drizzle-orm's driver). */
  proxy(name: string): Promise<D1Database>
  dispose(): Promise<void>
}

/**
 * Runs what the relay sends on the real binding inside workerd. Errors come back as their message, which is
 * all D1 gives in a Worker too.
 */
const sqlWorker = `
export default {
  async fetch(request, env) {
    const { binding, queries, batch } = await request.json()
    const db = env[binding]
    const prepared = queries.map((query) => db.prepare(query.sql).bind(...query.args))
    try {
      const results = batch ? await db.batch(prepared) : [await prepared[0].all()]
      return Response.json({ results: results.map((result) => result.results ?? []) })
    } catch (error) {
      return Response.json({ error: String(error && error.message ? error.message : error) })
    }
  },
}
`

function relay(miniflare: Miniflare, binding: string): D1Database {
  const send = async (queries: { sql: string; args: unknown[] }[], batch: boolean): Promise<unknown[][]> => {
    const response = await miniflare.dispatchFetch('http://sql/', {
      method: 'POST',
      body: JSON.stringify({ binding, queries, batch }),
    })
    const body = (await response.json()) as { results?: unknown[][]; error?: string }
    if (body.error !== undefined) throw new Error(body.error)
    return body.results ?? []
  }
  interface Relayed extends ReturnType<D1Database['prepare']> {
    readonly query: { sql: string; args: unknown[] }
  }
  const statement = (sql: string, args: unknown[]): Relayed => ({
    query: { sql, args },
    bind: (...values: unknown[]) => statement(sql, values),
    all: async <Row>() => ({ results: (await send([{ sql, args }], false))[0] as Row[] }),
  })
  return {
    prepare: (sql) => statement(sql, []),
    batch: async (statements) => {
      const results = await send(
        statements.map((candidate) => (candidate as Relayed).query),
        true,
      )
      return results.map((rows) => ({ results: rows }))
    },
  }
}

/**
 * Starts one workerd with a D1 database per name in `bindings`. `worker` replaces the no-op script (a module
 * worker's source, or `modules` for several files); `persistTo` keeps the databases on disk.
 */
export async function startLocalD1(
  options: {
    bindings: readonly string[]
    script?: string
    modules?: MiniflareOptions['modules']
    modulesRoot?: string
    d1Persist?: string
    d1Databases?: Record<string, string>
  } = { bindings: ['DB'] },
): Promise<LocalD1> {
  const d1Databases = options.d1Databases ?? Object.fromEntries(options.bindings.map((name) => [name, name]))
  const miniflare = new Miniflare({
    compatibilityDate: '2026-04-01',
    ...(options.modules === undefined
      ? { modules: true, script: options.script ?? sqlWorker }
      : {
          modules: options.modules,
          ...(options.modulesRoot === undefined ? {} : { modulesRoot: options.modulesRoot }),
        }),
    d1Databases,
    ...(options.d1Persist === undefined ? {} : { d1Persist: options.d1Persist }),
  } as MiniflareOptions)
  await miniflare.ready
  return {
    miniflare,
    binding: async (name) =>
      options.script === undefined && options.modules === undefined
        ? relay(miniflare, name)
        : ((await miniflare.getD1Database(name)) as D1Database),
    proxy: (name) => miniflare.getD1Database(name) as Promise<D1Database>,
    dispose: () => miniflare.dispose(),
  }
}

/** Every row of a query, for assertions. */
export async function d1Rows(db: D1Database, sql: string, ...args: unknown[]): Promise<Record<string, unknown>[]> {
  const statement = args.length === 0 ? db.prepare(sql) : db.prepare(sql).bind(...args)
  return (await statement.all()).results
}

/** Runs statements as one batch, the way wrangler runs a migration file. */
export async function d1Batch(db: D1Database, statements: readonly string[]): Promise<void> {
  await db.batch(statements.map((statement) => db.prepare(statement)))
}

/**
 * The whole schema and data of a D1 database, comparable with toEqual: every sqlite_master object (but
 * D1's and SQLite's internal ones) with its SQL, and every row of every table in rowid order.
 */
export async function d1Dump(
  db: D1Database,
): Promise<{ objects: Record<string, unknown>[]; rows: Record<string, unknown[]> }> {
  const objects = await d1Rows(
    db,
    `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> '__drizzle_migrations' ORDER BY type, name`,
  )
  const rows: Record<string, unknown[]> = {}
  for (const object of objects) {
    if (object.type !== 'table') continue
    const name = String(object.name)
    rows[name] = await d1Rows(db, `SELECT rowid AS "rowid", * FROM "${name}" ORDER BY rowid`)
  }
  return { objects, rows }
}
