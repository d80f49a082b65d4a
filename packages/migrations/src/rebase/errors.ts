import { AshSqliteError } from '../errors.js'

/**
 * Some database of the repo could not be read, so rebase cannot tell whether the migrations to rebase are
 * applied there: rolling back the others and deleting the folders would strand it. Nothing was changed.
 */
export class RebaseStatusError extends AshSqliteError {
  override name = 'RebaseStatusError'
  readonly failures: readonly string[]
  constructor(failures: readonly string[], migrations: readonly string[]) {
    super(
      'rebase_status_failed',
      `rebase cannot tell where ${migrations.join(', ')} ${migrations.length === 1 ? 'is' : 'are'} applied, nothing was changed:\n  ${failures.join('\n  ')}\n  Make every database of the repo reachable (or remove it from the repo's databases), then run rebase again.`,
    )
    this.failures = failures
  }
}
