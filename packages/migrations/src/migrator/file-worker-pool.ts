/**
 * Worker threads for the `file:` databases of a run (see file-worker.ts for why). The pool starts up to
 * `size` threads on demand, gives each one database at a time (more databases wait their turn), and
 * forwards the database's events to the run when it is done (a wait for a lock as it happens). Threads are an optimisation only: when one cannot start (a bundler that left
 * file-worker.js behind, a platform without worker_threads), `run` answers undefined and the caller does
 * the work on its own thread.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { DatabaseError } from '../database/errors.js'
import type { ResolvedDatabase } from '../database/targets.js'
import type { FileWorkerData, WireDatabase, WorkerReply, WorkerTask } from './file-worker-protocol.js'
import type { DatabaseOutcome, DatabaseWorkEvent } from './run-database.js'
import { fromWire } from './thread-wire.js'

export interface FileWorkerPool {
  /** The database's outcome from a worker thread, or undefined when no thread is available. */
  run(database: ResolvedDatabase, emit: (event: DatabaseWorkEvent) => void): Promise<DatabaseOutcome | undefined>
  /** Stops every thread. */
  close(): Promise<void>
}

interface Pending {
  readonly emit: (event: DatabaseWorkEvent) => void
  readonly resolve: (outcome: DatabaseOutcome | undefined) => void
}

interface PooledThread {
  readonly worker: Worker
  ready: boolean
  /** It reported an error or exited; 'error' is followed by 'exit', and only the first one counts. */
  dead: boolean
  pending: Pending | undefined
}

export function createFileWorkerPool(size: number, data: FileWorkerData): FileWorkerPool {
  const idle: PooledThread[] = []
  const all = new Set<PooledThread>()
  /** Callers waiting for a thread to become idle, first come first served. */
  const waiting: Array<(thread: PooledThread | undefined) => void> = []
  let unavailable = false
  let closed = false
  let nextId = 0

  const release = (thread: PooledThread): void => {
    const next = waiting.shift()
    if (next === undefined) idle.push(thread)
    else next(thread)
  }
  const acquire = (): Promise<PooledThread | undefined> => {
    if (unavailable) return Promise.resolve(undefined)
    const thread = idle.pop() ?? (all.size < size ? start() : undefined)
    if (thread !== undefined) return Promise.resolve(thread)
    return new Promise((resolve) => waiting.push(resolve))
  }

  const start = (): PooledThread => {
    const thread: PooledThread = { worker: startWorker(data), ready: false, dead: false, pending: undefined }
    all.add(thread)
    thread.worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') {
        thread.ready = true
        return
      }
      const pending = thread.pending
      if (pending === undefined) return
      if (reply.type === 'event') {
        pending.emit(fromWire<DatabaseWorkEvent>(reply.event))
        return
      }
      thread.pending = undefined
      for (const event of fromWire<DatabaseWorkEvent[]>(reply.events)) pending.emit(event)
      pending.resolve(fromWire<DatabaseOutcome>(reply.outcome))
      release(thread)
    })
    const fail = (error: unknown): void => {
      if (thread.dead || closed) return
      thread.dead = true
      all.delete(thread)
      const idleAt = idle.indexOf(thread)
      if (idleAt !== -1) idle.splice(idleAt, 1)
      const pending = thread.pending
      thread.pending = undefined
      if (!thread.ready) {
        // It never got going: this environment cannot run the threads, so nobody gets one.
        unavailable = true
        pending?.resolve(undefined)
        for (const next of waiting.splice(0)) next(undefined)
        return
      }
      pending?.resolve({ results: [], warnings: [], error: crashed(error) })
      // A thread that died leaves room for a new one: hand it to whoever waits.
      const next = waiting.shift()
      if (next !== undefined) next(unavailable ? undefined : start())
    }
    thread.worker.once('error', fail)
    thread.worker.once('exit', (code) => fail(new Error(`the worker thread exited with code ${code}`)))
    return thread
  }

  return {
    async run(database, emit) {
      const thread = await acquire()
      if (thread === undefined) return undefined
      return new Promise((resolve) => {
        thread.pending = { emit, resolve }
        const { repo, ...rest } = database
        const task: WorkerTask = { id: nextId++, database: { ...rest, repo: repo.name } satisfies WireDatabase }
        thread.worker.postMessage(task)
      })
    },
    async close() {
      closed = true
      for (const next of waiting.splice(0)) next(undefined)
      const threads = [...all]
      all.clear()
      await Promise.all(threads.map((thread) => thread.worker.terminate()))
    },
  }
}

/**
 * Built output runs file-worker.js directly. From the TypeScript sources (tests, or loaded through jiti)
 * Node cannot load file-worker.ts by itself, so the thread loads it through jiti, as config files are.
 */
function startWorker(data: FileWorkerData): Worker {
  const here = import.meta.url
  if (!here.endsWith('.ts')) return new Worker(new URL('./file-worker.js', here), { workerData: data })
  const entry = new URL('./file-worker.ts', here).href
  const jiti = createRequire(here).resolve('jiti')
  const source = `require(${JSON.stringify(jiti)}).createJiti(${JSON.stringify(entry)}).import(${JSON.stringify(entry)})`
  return new Worker(source, { eval: true, workerData: data })
}

function crashed(error: unknown): DatabaseError {
  const reason = error instanceof Error ? error.message : String(error)
  return new DatabaseError(
    `The worker thread migrating this database stopped unexpectedly (${reason}). Its current migration was rolled back by SQLite; run the command again to finish.`,
    { cause: error },
  )
}
