/**
 * Errors of @ash-sqlite/migrations. Every error has a stable `code` so programs and the CLI can branch on
 * it; the CLI prints `message` (one or two lines, no stack unless --debug) and maps `exitCode`.
 * Messages never contain auth tokens: build them from redacted URLs (see `redactUrl`).
 */
export class AshSqliteError extends Error {
  override name = 'AshSqliteError'
  readonly code: string
  /** Exit code the CLI uses for this error: 1 for errors, 2 for "needs a decision" / bad usage. */
  readonly exitCode: 1 | 2

  constructor(code: string, message: string, options: { cause?: unknown; exitCode?: 1 | 2 } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.exitCode = options.exitCode ?? 1
  }
}

/** The config file is missing, cannot be loaded, or is invalid. */
export class ConfigError extends AshSqliteError {
  override name = 'ConfigError'
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('config_invalid', message, options)
  }
}

/** Bad command-line usage (unknown repo, conflicting flags). Exit code 2. */
export class UsageError extends AshSqliteError {
  override name = 'UsageError'
  constructor(message: string) {
    super('bad_usage', message, { exitCode: 2 })
  }
}
