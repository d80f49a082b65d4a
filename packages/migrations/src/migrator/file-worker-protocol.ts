/** The messages between the file worker pool and its threads (file-worker-pool.ts, file-worker.ts). */
import type { ResolvedDatabase } from '../database/targets.js'
import type { MigrationFolder } from './migration-files.js'
import type { StrategySpec } from './strategy.js'

/** What every thread of a run gets when it starts. */
export interface FileWorkerData {
  readonly spec: StrategySpec
  readonly lockTimeoutMs: number | undefined
  readonly maxTransactionMs: number | undefined
  readonly repos: ReadonlyArray<{
    readonly name: string
    readonly migrationsDir: string
    readonly folders: readonly MigrationFolder[]
  }>
}

/** A database as sent to a thread: its repo by name (the repo object holds functions). */
export type WireDatabase = Omit<ResolvedDatabase, 'repo'> & { readonly repo: string }

export interface WorkerTask {
  readonly id: number
  readonly database: WireDatabase
}

/** `event` and `outcome` are in thread-wire.ts's format (errors as records). */
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'event'; readonly id: number; readonly event: unknown }
  | { readonly type: 'done'; readonly id: number; readonly events: unknown; readonly outcome: unknown }
