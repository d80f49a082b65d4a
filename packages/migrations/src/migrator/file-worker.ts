/**
 * Entry of a worker thread of the file worker pool (file-worker-pool.ts). @libsql/client works on
 * `file:` databases synchronously, so databases on one thread never overlap, however many are "in
 * flight": each commit waits for the disk with the whole event loop. A few threads let a fleet of files
 * overlap those waits (and use more than one core).
 *
 * The thread receives the run's repos, their migration folders and the strategy once (workerData), then
 * one database at a time; it answers with the database's events and outcome in one message at the end
 * (only a wait for another process's lock is told as it happens). Everything it sends goes through thread-wire.ts so errors keep their classes.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { ResolvedRepo } from '../config/resolved-config.js'
import type { ResolvedDatabase } from '../database/targets.js'
import type { FileWorkerData, WorkerReply, WorkerTask } from './file-worker-protocol.js'
import type { MigrationFolder } from './migration-files.js'
import { runOnDatabase } from './run-database.js'
import { type Planner, type Strategy, strategyFor } from './strategy.js'
import { toWire } from './thread-wire.js'

interface RepoWork {
  readonly repo: ResolvedRepo
  readonly folders: readonly MigrationFolder[]
  readonly planner: Planner
}

function prepare(data: FileWorkerData): { strategy: Strategy; repos: Map<string, RepoWork> } {
  const strategy = strategyFor(data.spec)
  const repos = new Map<string, RepoWork>()
  for (const { name, migrationsDir, folders } of data.repos) {
    // Only the name and migrationsDir of a repo are used from here on; the rest is a placeholder.
    const repo: ResolvedRepo = {
      name,
      migrationsDir,
      repo: { kind: 'repo', name, databases: () => [] },
      tables: [],
      renames: { tables: {}, columns: {} },
      snapshotsDir: '',
    }
    repos.set(name, { repo, folders, planner: strategy.plannerFor(repo, folders) })
  }
  return { strategy, repos }
}

const port = parentPort
if (port === null) throw new Error('file-worker.ts runs only as a worker thread (see file-worker-pool.ts)')
const data = workerData as FileWorkerData
const { strategy, repos } = prepare(data)
const reply = (message: WorkerReply): void => port.postMessage(message)

port.on('message', async (task: WorkerTask) => {
  const work = repos.get(task.database.repo)
  if (work === undefined) throw new Error(`file worker: unknown repo ${task.database.repo}`)
  const database: ResolvedDatabase = { ...task.database, repo: work.repo }
  // One message per database: the events of its migrations travel with its outcome (messages between
  // threads cost more than migrating a small database). Only a wait for a lock is told as it happens.
  const events: unknown[] = []
  const outcome = await runOnDatabase(database, work.folders, work.planner, {
    strategy,
    lockTimeoutMs: data.lockTimeoutMs,
    maxTransactionMs: data.maxTransactionMs,
    emit: (event) => {
      if (event.type === 'waiting_for_lock') reply({ type: 'event', id: task.id, event: toWire(event) })
      else events.push(event)
    },
  })
  reply({ type: 'done', id: task.id, events: toWire(events), outcome: toWire(outcome) })
})
reply({ type: 'ready' })
