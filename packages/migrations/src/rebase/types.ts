/** The public shapes of `rebase()`: its options, its result, and its progress events. */
import type { GenerateResult, RenameAmbiguity, RenameDecision, RenameFlag } from '../generator/types.js'
import type { MigrateRunResult, RollbackRunResult } from '../migrator/types.js'
import type { DatabaseRollbackPlan, RegenEvent } from '../regen/types.js'

export interface RebaseOptions {
  /** Migration folders to rebase (full names or unique prefixes), e.g. the one a fork conflict names. */
  migrations: readonly string[]
  /** The repo of the migrations; needed only when several repos have a folder of that name. */
  repo?: string | undefined
  /** Folder suffix of the regenerated migration. Default: the (last) rebased migration's own suffix. */
  name?: string | undefined
  /** Apply pending migrations (the rebased one included) afterwards. */
  migrate?: boolean | undefined
  /** Report what would be rolled back, deleted and written; change nothing. */
  dryRun?: boolean | undefined
  renames?: readonly RenameFlag[] | undefined
  noRenames?: boolean | undefined
  dontDropColumns?: boolean | undefined
  resolveAmbiguity?: ((ambiguity: RenameAmbiguity) => Promise<RenameDecision>) | undefined
  /** Databases rolled back (and migrated) at once, default 4. */
  concurrency?: number | undefined
  /** Clock for the new migration's timestamp (tests). */
  now?: Date | undefined
  onEvent?: ((event: RegenEvent) => void) | undefined
}

export interface RebaseResult {
  /** False when a rollback failed (then nothing was deleted or written) or `migrate` failed somewhere. */
  ok: boolean
  dryRun: boolean
  repo: string
  /** The rebased migration folders, as found on disk. */
  migrations: string[]
  /** Per database that had them applied: what was (or would be) rolled back. */
  rollbacks: DatabaseRollbackPlan[]
  /** The rollback run; null when nothing was applied, or in a dry run. */
  rollback: RollbackRunResult | null
  /** Absolute paths deleted (or that would be): the migration folders and their snapshot files. */
  removed: string[]
  /** The regenerated files; null when a rollback failed first. */
  generated: GenerateResult | null
  migrate: MigrateRunResult | null
}
