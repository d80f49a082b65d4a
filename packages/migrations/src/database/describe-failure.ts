/**
 * Turns what @libsql/client, fetch or the file system threw into a DatabaseError a user can act on:
 * the database's name and redacted URL, what went wrong in words, and what to do. The raw error stays
 * as the `cause` (redacted when it carried a secret).
 *
 * The shapes recognised are the ones pinned by src/test-utils/remote-facts.test.ts: an unreachable http
 * server is a bare `TypeError: fetch failed` whose `cause` has the socket error code; ws reports
 * `HRANA_WEBSOCKET_ERROR: connect ECONNREFUSED ...`; sqld answers a bad token with HTTP 401 and an unknown
 * namespace with HTTP 404; a file that is not SQLite fails with SQLITE_NOTADB.
 */
import { AshSqliteError } from '../errors.js'
import { DatabaseError, type DatabaseFailureReason } from './errors.js'
import { databaseRedactor, redactError, redactedMessage, type SecretBearingTarget } from './redact-url.js'

/** What a failure message needs to know about the database. */
export interface DescribedDatabase extends SecretBearingTarget {
  readonly name: string
  /** The URL without secrets. */
  readonly displayUrl: string
}

const socketErrors: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
}

/** Our own errors pass through; anything else becomes a DatabaseError naming the database. */
export function describeDatabaseFailure(error: unknown, database: DescribedDatabase): AshSqliteError {
  if (error instanceof AshSqliteError) return error
  const redact = databaseRedactor(database)
  const where = `Database ${database.name} (${database.displayUrl})`
  const failure = (message: string, reason?: DatabaseFailureReason): DatabaseError =>
    new DatabaseError(message, { cause: redactError(error, redact), ...(reason === undefined ? {} : { reason }) })

  const socket = socketFailure(error)
  if (socket !== undefined) {
    return failure(
      `Cannot reach database ${database.name} at ${database.displayUrl}: ${socket}. Is the server running, and are the host and port right?`,
      'unreachable',
    )
  }
  const code = codeOf(error)
  const message = redactedMessage(error, redact)
  if (code === 'SQLITE_NOTADB' || /file is not a database/i.test(message)) {
    return failure(
      `${where}: the file is not a database (SQLITE_NOTADB): it is damaged, or not SQLite at all. It was left as it is: restore it from a backup, or move it away and run \`migrate\` again.`,
      'not_a_database',
    )
  }
  const status = /HTTP status (\d{3})/.exec(message)?.[1]
  if (status === '401' || status === '403' || code?.startsWith('AUTH_') === true) {
    return failure(
      `${where} refused the credentials${status === undefined ? '' : ` (HTTP ${status})`}: check its authToken (a token signed for this server, not expired, allowed to write).`,
      'unauthorized',
    )
  }
  if (status === '404') {
    const hint =
      database.admin === undefined
        ? 'check the URL (a sqld namespace must exist before it is used)'
        : 'its namespace does not exist yet: `ash-sqlite create` creates it'
    return failure(`${where} was not found on the server (HTTP 404): ${hint}.`, 'not_found')
  }
  return failure(`${where}: ${message}`)
}

/** The words for a socket-level failure, or undefined when `error` is not one. */
function socketFailure(error: unknown): string | undefined {
  // fetch (http:) wraps the socket error: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }).
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const causeCode = codeOf((error as { cause?: unknown }).cause)
    const words = causeCode === undefined ? undefined : socketErrors[causeCode]
    return words === undefined ? `the request failed${causeCode ? ` (${causeCode})` : ''}` : `${words} (${causeCode})`
  }
  // ws: reports the socket error in its message.
  if (codeOf(error) === 'HRANA_WEBSOCKET_ERROR') {
    const text = error instanceof Error ? error.message : String(error)
    const socketCode = Object.keys(socketErrors).find((candidate) => text.includes(candidate))
    if (socketCode !== undefined) return `${socketErrors[socketCode]} (${socketCode})`
  }
  return undefined
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code
  return typeof code === 'string' ? code : undefined
}
