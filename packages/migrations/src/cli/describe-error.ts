/** How the CLI reports an error: a stable code, one or two lines, the exit code, and maybe a hint. */
export interface ErrorReport {
  code: string
  message: string
  exitCode: 1 | 2
  hint?: string | undefined
}

/** Errors of the lower packages, which cannot extend `AshSqliteError` (imports only go downward). */
const USER_FACING_ERROR_NAMES = new Set(['ResourceDefinitionError', 'SnapshotError'])

/**
 * Our errors (`AshSqliteError` and subclasses), the resource package's `ResourceDefinitionError` and the snapshot
 * package's `SnapshotError` are written for users: print their message as it is. They are recognised by shape rather than `instanceof`
 * because a config loaded through jiti may carry its own copy of the classes. Anything else is a bug or an
 * environment problem: say so, and point at `--debug` for the stack.
 */
export function describeError(error: unknown): ErrorReport {
  if (isCodedError(error)) {
    const exitCode = 'exitCode' in error && error.exitCode === 2 ? 2 : 1
    return { code: error.code, message: error.message, exitCode }
  }
  const message = error instanceof Error ? error.message : String(error)
  return {
    code: 'unexpected_error',
    message: `Unexpected error: ${message}`,
    exitCode: 1,
    hint: 'Run again with --debug to see the stack trace.',
  }
}

function isCodedError(error: unknown): error is Error & { code: string; exitCode?: unknown } {
  if (!(error instanceof Error) || typeof (error as { code?: unknown }).code !== 'string') return false
  return USER_FACING_ERROR_NAMES.has(error.name) || typeof (error as { exitCode?: unknown }).exitCode === 'number'
}
