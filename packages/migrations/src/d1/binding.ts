/**
 * The part of Cloudflare's `D1Database` binding the migrator uses, typed here so the package needs no
 * dependency on `@cloudflare/workers-types` (a real `env.DB` satisfies it). Pure module.
 */
export interface D1PreparedStatementLike {
  bind(...values: unknown[]): D1PreparedStatementLike
  all<Row = Record<string, unknown>>(): Promise<{ results: Row[] }>
}

export interface D1DatabaseLike {
  prepare(query: string): D1PreparedStatementLike
  /** Runs the statements as one transaction: a failing statement rolls back all of them, DDL included. */
  batch(statements: D1PreparedStatementLike[]): Promise<unknown[]>
}

/** Rows of one query. */
export async function queryD1(
  d1: D1DatabaseLike,
  sql: string,
  args: readonly unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const statement = args.length === 0 ? d1.prepare(sql) : d1.prepare(sql).bind(...args)
  const { results } = await statement.all<Record<string, unknown>>()
  return results
}

/** A statement with its arguments, ready for `batch()`. */
export function prepareD1(d1: D1DatabaseLike, sql: string, args: readonly unknown[] = []): D1PreparedStatementLike {
  return args.length === 0 ? d1.prepare(sql) : d1.prepare(sql).bind(...args)
}
