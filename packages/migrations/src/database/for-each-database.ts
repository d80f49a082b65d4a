/**
 * The one loop over the databases of a run, shared by migrate, rollback, status, create and drop: bounded
 * concurrency, databases the run could not resolve turned into results, and the same progress events for
 * every command. A command says what it does to one database (`work`), what an unresolved one becomes,
 * and which results count as failures; the loop does the rest and returns the results in list order.
 */
import { mapWithConcurrency } from './concurrency.js'
import { type DatabaseProgress, progressCounter } from './progress.js'
import type { DatabaseEntry, ResolvedDatabase, UnresolvedDatabase } from './targets.js'

interface DatabaseIdentity {
  readonly repo: string
  readonly database: string
}

/**
 * What every command over databases reports as it goes. Per database: `database_started` (not for a
 * database the run could not resolve), maybe `waiting_for_lock` (another process holds the database's lock
 * and the wait has lasted a second), then `database_finished` with its result and the run's `done`/`total`.
 * Databases run concurrently, so the events of different databases interleave.
 */
export type DatabaseEvent<Result> =
  | (DatabaseIdentity & {
      readonly type: 'database_started'
      /** Redacted. */
      readonly url: string
      readonly databaseIndex: number
      readonly total: number
    })
  | (DatabaseIdentity & { readonly type: 'waiting_for_lock'; readonly waitedMs: number })
  | (DatabaseIdentity & DatabaseProgress & { readonly type: 'database_finished'; readonly result: Result })

export interface DatabaseLoop<Result, Event> {
  /** At most this many databases at once. */
  readonly concurrency: number
  /** Does the command's work on one database; failures are returned as data, never thrown. */
  work(database: ResolvedDatabase, emit: (event: Event | DatabaseEvent<Result>) => void): Promise<Result>
  /** The result for a database the run could not even start on. */
  unresolved(database: UnresolvedDatabase): Result
  failed(result: Result): boolean
  readonly onEvent?: ((event: Event | DatabaseEvent<Result>) => void) | undefined
}

export async function forEachDatabase<Result, Event = never>(
  entries: readonly DatabaseEntry[],
  loop: DatabaseLoop<Result, Event>,
): Promise<Result[]> {
  const emit = (event: Event | DatabaseEvent<Result>): void => loop.onEvent?.(event)
  const total = entries.length
  const progress = progressCounter(total)
  return mapWithConcurrency(entries, loop.concurrency, async (entry, databaseIndex) => {
    let identity: DatabaseIdentity
    let result: Result
    if (entry.kind === 'unresolved') {
      identity = { repo: entry.unresolved.repo, database: entry.unresolved.database }
      result = loop.unresolved(entry.unresolved)
    } else {
      const { database } = entry
      identity = { repo: database.repo.name, database: database.name }
      emit({ ...identity, type: 'database_started', url: database.displayUrl, databaseIndex, total })
      result = await loop.work(database, emit)
    }
    emit({ ...identity, type: 'database_finished', result, ...progress.finish(databaseIndex, loop.failed(result)) })
    return result
  })
}
