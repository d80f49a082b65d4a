import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { DatabaseError } from './errors.js'
import { redactUrl } from './redact-url.js'

/** Where a database lives, and the URL @libsql/client should open it with. */
export type DatabaseLocation =
  | { readonly kind: 'file'; readonly path: string; readonly connectionUrl: string }
  | { readonly kind: 'memory'; readonly connectionUrl: string }
  | { readonly kind: 'remote'; readonly connectionUrl: string }

const remoteSchemes = new Set(['libsql:', 'http:', 'https:', 'ws:', 'wss:'])

/**
 * Classifies a repo URL. Relative `file:` paths are resolved against `cwd` (the config's working
 * directory), not the process's, so `--cwd` and programmatic use open the same file as the CLI would.
 */
export function locateDatabase(url: string, cwd: string): DatabaseLocation {
  const scheme = /^([a-z][a-z0-9+.-]*:)/i.exec(url)?.[1]?.toLowerCase()
  if (url === ':memory:' || url.startsWith('file::memory:')) return { kind: 'memory', connectionUrl: url }
  if (scheme === 'file:') return locateFile(url, cwd)
  if (scheme !== undefined && remoteSchemes.has(scheme)) return { kind: 'remote', connectionUrl: url }
  throw new DatabaseError(
    `Unsupported database URL ${JSON.stringify(redactUrl(url))}: use file:PATH, libsql://, http(s):// or ws(s)://.`,
  )
}

function locateFile(url: string, cwd: string): DatabaseLocation {
  const queryStart = url.indexOf('?')
  const withoutQuery = queryStart === -1 ? url : url.slice(0, queryStart)
  const query = queryStart === -1 ? '' : url.slice(queryStart)
  const path = filePathOf(withoutQuery, url)
  const absolute = isAbsolute(path) ? path : resolve(cwd, path)
  return { kind: 'file', path: absolute, connectionUrl: pathToFileURL(absolute).href + query }
}

function filePathOf(withoutQuery: string, url: string): string {
  try {
    // file://host/path is a real URL; file:relative/path and file:/abs/path are libSQL's shorthand.
    if (withoutQuery.startsWith('file://')) return fileURLToPath(withoutQuery)
    const path = decodeURIComponent(withoutQuery.slice('file:'.length))
    if (path === '') throw new Error('empty path')
    return path
  } catch (cause) {
    throw new DatabaseError(
      `Invalid file URL ${JSON.stringify(redactUrl(url))}: write file:relative/path.db or file:///absolute/path.db.`,
      { cause },
    )
  }
}
