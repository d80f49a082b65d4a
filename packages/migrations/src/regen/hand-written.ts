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
    for (const folder of entry.migrations) {
      if (existsSync(join(dir, folder, CUSTOM_MARKER)))
        reasons.push(
          `${entry.repo}/${folder} is a hand-written migration (generate --custom): commit it first, or delete it yourself.`,
        )
      else if (existsSync(join(dir, folder, SQUASH_MANIFEST)))
        reasons.push(`${entry.repo}/${folder} is a squash: commit it first.`)
    }
  }
  if (reasons.length > 0) throw new RegenBlockedError(reasons)
}
