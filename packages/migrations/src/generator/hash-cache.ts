import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { TableState } from '@ash-sqlite/resource'
import { hashTableState, SNAPSHOT_VERSION } from '@ash-sqlite/snapshot'

/**
 * What a generate run learnt about content it may see again, so that a run where little changed does not
 * check every snapshot file and hash every table again (at 1000 tables, most of a no-op run):
 *   - digests of snapshot file texts that passed the full check (`parseSnapshot`);
 *   - the canonical hash of each table state, keyed by a digest of its plain `JSON.stringify`, which is
 *     native and cheap, where the canonical form is not.
 * Everything is keyed by content, never by a path or a time: a file edited by hand has another digest and is
 * checked in full, and the files are always read. The cache is machine-local (in the temp folder, one file per
 * project) and best effort: unreadable means empty, unwritable means not kept.
 */
export interface HashCache {
  /** Digests of snapshot texts known to pass the full check. */
  readonly trustedDigests: ReadonlySet<string>
  /** The snapshot hash of a state (`hashTableState`), remembered. */
  hashOf(state: TableState): string
  /** Remembers snapshot texts that passed the check (read) or that this run wrote. */
  trust(digests: Iterable<string>): void
  /** Writes what this run used and learnt, when it differs from what was read. */
  save(): void
}

/** Bump when a key or value changes meaning. The snapshot version is part of the key too. */
const CACHE_VERSION = 1

interface CacheFile {
  readonly version: string
  readonly digests: string[]
  readonly states: Record<string, string>
}

export function openHashCache(projectDir: string): HashCache {
  const file = join(tmpdir(), 'ash-sqlite-cache', `${digest(projectDir).slice(0, 20)}.json`)
  const version = `${CACHE_VERSION}-${SNAPSHOT_VERSION}`
  const stored = readCache(file, version)
  const knownDigests = new Set(stored.digests)
  const knownStates = new Map(Object.entries(stored.states))
  const usedDigests = new Set<string>()
  const usedStates = new Map<string, string>()
  let learnt = false
  return {
    trustedDigests: knownDigests,
    hashOf(state) {
      const key = digest(JSON.stringify(state))
      let hash = knownStates.get(key)
      if (hash === undefined) {
        hash = hashTableState(state)
        learnt = true
      }
      usedStates.set(key, hash)
      return hash
    },
    trust(digests) {
      for (const entry of digests) {
        if (!knownDigests.has(entry)) learnt = true
        usedDigests.add(entry)
      }
    },
    save() {
      // Only this run's entries are kept, so the file stays the size of the project's schema.
      const shrunk = usedDigests.size < knownDigests.size || usedStates.size < knownStates.size
      if (!learnt && !shrunk) return
      writeCache(file, { version, digests: [...usedDigests], states: Object.fromEntries(usedStates) })
    },
  }
}

function digest(text: string): string {
  return createHash('sha1').update(text).digest('hex')
}

function readCache(file: string, version: string): CacheFile {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile>
    if (parsed.version === version && Array.isArray(parsed.digests) && typeof parsed.states === 'object') {
      return parsed as CacheFile
    }
  } catch {
    // missing or unreadable: start empty
  }
  return { version, digests: [], states: {} }
}

function writeCache(file: string, contents: CacheFile): void {
  try {
    mkdirSync(dirname(file), { recursive: true })
    const temp = `${file}.${process.pid}.tmp`
    writeFileSync(temp, JSON.stringify(contents))
    renameSync(temp, file)
  } catch {
    // best effort: the next run checks and hashes again
  }
}
