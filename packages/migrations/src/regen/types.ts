/** The public shapes of `regen()`: its options, its result, and its progress events. */
import type { GenerateResult, GeneratorEvent, RenameAmbiguity, RenameDecision, RenameFlag } from '../generator/types.js'
import type { MigrateRunResult, MigratorEvent, RollbackRunResult } from '../migrator/types.js'

export interface RegenOptions {
  /** Folder suffix of the regenerated migration. Default `migrate_resources<N>`, as `generate`. */
  name?: string | undefined
  /** Limit the run to these repos. */
  repo?: readonly string[] | undefined
  /** Apply pending migrations (the regenerated one included) afterwards. */
  migrate?: boolean | undefined
  /** Report what would be rolled back, deleted and written; change nothing (no database, no file). */
  dryRun?: boolean | undefined
  /** As `generate`: the regenerated diff starts from the committed state, so renames are decided again. */
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

/** Progress, tagged with the step it belongs to. */
export type RegenEvent =
  | { readonly step: 'rollback' | 'migrate'; readonly event: MigratorEvent }
  | { readonly step: 'generate'; readonly event: GeneratorEvent }

/** What git does not track yet in one repo. */
export interface UntrackedRepoFiles {
  repo: string
  /** Untracked migration folder names (`<YYYYMMDDHHMMSS>_<name>`), sorted. */
  migrations: string[]
  /** Absolute paths of untracked resource snapshot files, sorted. */
  snapshotFiles: string[]
}

/** The untracked migrations one database has applied, which regen rolls back. */
export interface DatabaseRollbackPlan {
  repo: string
  database: string
  /** Redacted. */
  url: string
  /** Newest first, the order they are rolled back in. */
  migrations: string[]
  /** The `rollback` target: the folder just before the oldest of them, or null to roll back everything. */
  to: string | null
}

export interface RegenRepoResult extends UntrackedRepoFiles {
  /** One entry per database of the repo that has untracked migrations applied. */
  rollbacks: DatabaseRollbackPlan[]
}

export interface RegenResult {
  /** False when a rollback failed (then nothing was deleted or written) or `migrate` failed somewhere. */
  ok: boolean
  dryRun: boolean
  /** One entry per selected repo, in the config's order. */
  repos: RegenRepoResult[]
  /** The rollback run; null when nothing was applied, or in a dry run. */
  rollback: RollbackRunResult | null
  /** Absolute paths of the migration folders and snapshot files deleted (or that would be); empty if stopped. */
  removed: string[]
  /** The regenerated files (written, or that would be in a dry run); null when a rollback failed first. */
  generated: GenerateResult | null
  /** The `migrate` run after regenerating, with `migrate: true` (never in a dry run). */
  migrate: MigrateRunResult | null
}
