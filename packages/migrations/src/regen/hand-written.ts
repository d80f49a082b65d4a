import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ResolvedRepo } from '../config/resolved-config.js'
import { CUSTOM_MARKER } from '../generator/custom-migration.js'
import { SQUASH_MANIFEST } from '../migrator/squash-manifest.js'
import { RegenBlockedError } from './errors.js'
import type { UntrackedRepoFiles } from './types.js'

/**
 * regen regenerates what `generate` wrote. An untracked hand-written migration (`generate --custom`) or squash
 * cannot be written again, so regen refuses rather than delete it.
 */
export function refuseHandWritten(repos: readonly ResolvedRepo[], untracked: readonly UntrackedRepoFiles[]): void {
  const reasons: string[] = []
  for (const entry of untracked) {
    const dir = repos.find((repo) => repo.name === entry.repo)?.migrationsDir
    if (dir === undefined) continue
    reasons.push(...handWrittenReasons(entry.repo, dir, entry.migrations, 'commit it first, or delete it yourself'))
  }
  if (reasons.length > 0) throw new RegenBlockedError(reasons)
}

/**
 * One reason per folder among `folders` that `generate` did not write (a `generate --custom` migration or a
 * squash): deleting it and generating again would lose its SQL. `fix` says how to get unstuck.
 */
export function handWrittenReasons(
  repo: string,
  migrationsDir: string,
  folders: readonly string[],
  fix: string,
): string[] {
  const reasons: string[] = []
  for (const folder of folders) {
    if (existsSync(join(migrationsDir, folder, CUSTOM_MARKER)))
      reasons.push(`${repo}/${folder} is a hand-written migration (generate --custom): ${fix}.`)
    else if (existsSync(join(migrationsDir, folder, SQUASH_MANIFEST)))
      reasons.push(`${repo}/${folder} is a squash: ${fix}.`)
  }
  return reasons
}
