/**
 * The local D1 state `wrangler dev` uses, opened through Miniflare for `--local`. Miniflare is not a
 * dependency of the migrator: it is imported here, lazily, only when `--local` asks for it (wrangler brings
 * it; otherwise `npm install -D miniflare`). The instance is always disposed, whatever the work does.
 */
import { dirname, join, resolve } from 'node:path'
import type { D1Repo } from '@ash-sqlite/resource'
import type { ResolvedConfig } from '../config/resolved-config.js'
import type { D1DatabaseLike } from './binding.js'
import { D1LocalUnavailableError } from './errors.js'

/** wrangler's default `--persist-to`. */
export const defaultPersistTo = '.wrangler/state'

/**
 * Where the local D1 databases live: `<persistTo>/v3/d1` (wrangler's layout), `persistTo` relative to the
 * config file's folder (the working directory for a config given as an object).
 */
export function localD1PersistDir(config: Pick<ResolvedConfig, 'cwd' | 'configFile'>, repo: D1Repo): string {
  const base = config.configFile === null ? config.cwd : dirname(config.configFile)
  return join(resolve(base, repo.persistTo ?? defaultPersistTo), 'v3', 'd1')
}

export async function withLocalD1<T>(
  config: Pick<ResolvedConfig, 'cwd' | 'configFile'>,
  repo: D1Repo,
  work: (d1: D1DatabaseLike) => Promise<T>,
): Promise<T> {
  let Miniflare: typeof import('miniflare').Miniflare
  try {
    ;({ Miniflare } = await import('miniflare'))
  } catch (cause) {
    throw new D1LocalUnavailableError({ cause })
  }
  const miniflare = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response("") } }',
    compatibilityDate: '2026-04-01',
    // wrangler keys a database's local state by preview_database_id ?? database_id.
    d1Databases: { [repo.binding]: repo.databaseId ?? repo.binding },
    d1Persist: localD1PersistDir(config, repo),
  })
  try {
    const d1 = (await miniflare.getD1Database(repo.binding)) as unknown as D1DatabaseLike
    return await work(d1)
  } finally {
    await miniflare.dispose()
  }
}
