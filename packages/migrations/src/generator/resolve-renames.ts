import type { TableState } from '@ash-sqlite/resource'
import type { ResolvedRepo } from '../config/resolved-config.js'
import { UsageError } from '../errors.js'
import { RenameConflictError } from './errors.js'
import { renameFlagText } from './rename-flags.js'
import type { ColumnRename, RenamePlan, TableRename } from './rename-plan.js'
import type { Tables } from './table-pairs.js'
import type { RenameAmbiguity, RenameDecision, RenameFlag } from './types.js'

export interface RenameSources {
  readonly repo: string
  /** Tables of the previous state that take part in the diff (changed or dropped). */
  readonly previous: Tables
  /** Tables of the current state that take part in the diff (changed or new). */
  readonly current: Tables
  /** `renamedFrom` of the resources. */
  readonly declared: ResolvedRepo['renames']
  readonly flags: readonly RenameFlag[]
}

export interface RenamePolicy {
  readonly noRenames: boolean
  readonly resolveAmbiguity: ((ambiguity: RenameAmbiguity) => Promise<RenameDecision>) | undefined
}

export interface RenameResolution {
  readonly plan: RenamePlan
  /** Ambiguities nobody could answer (no resolver): the run must stop and list them. */
  readonly unresolved: RenameAmbiguity[]
  /** The flags this repo used, so flags that match nothing anywhere can be reported. */
  readonly usedFlags: Set<RenameFlag>
}

/**
 * Decides, for every new table and column, whether it is a rename, before anything is diffed. Renames are
 * never guessed: the resources' `renamedFrom` first, then the command-line flags, then the resolver (a
 * prompt). A new entity is only ambiguous when an entity of the same kind (a table, or a column of the same
 * table) was dropped; with nothing dropped it is simply new.
 */
export async function resolveRenames(sources: RenameSources, policy: RenamePolicy): Promise<RenameResolution> {
  const usedFlags = new Set<RenameFlag>()
  const unresolved: RenameAmbiguity[] = []
  const ask = async (ambiguity: RenameAmbiguity): Promise<string | null> => {
    if (policy.noRenames) return null
    if (policy.resolveAmbiguity === undefined) {
      unresolved.push(ambiguity)
      return null
    }
    return answerOf(ambiguity, await policy.resolveAmbiguity(ambiguity))
  }

  const tableMatches = new Matcher(
    [...sources.previous.keys()].filter((name) => !sources.current.has(name)),
    [...sources.current.keys()].filter((name) => !sources.previous.has(name)),
  )
  const conflicts: string[] = []
  const tableNames = { previous: new Set(sources.previous.keys()), current: new Set(sources.current.keys()) }
  for (const [to, from] of Object.entries(sources.declared.tables)) {
    const conflict = renameConflict(from, to, tableNames, sources.declared.tables)
    if (conflict === null) tableMatches.take(from, to)
    else conflicts.push(`table ${to} is declared renamedFrom "${from}", but ${conflict}`)
  }
  for (const flag of sources.flags) {
    if (flag.kind === 'table' && tableMatches.take(flag.from, flag.to)) usedFlags.add(flag)
  }
  for (const to of tableMatches.unmatchedAdded()) {
    const candidates = tableMatches.unmatchedDropped()
    if (candidates.length === 0) break
    const from = await ask({
      repo: sources.repo,
      kind: 'table',
      name: to,
      candidates: candidates.map((name) => ({ from: name, flag: renameFlagText({ kind: 'table', from: name, to }) })),
    })
    if (from !== null) tableMatches.take(from, to)
  }
  const tables: TableRename[] = tableMatches.pairs()

  const columns: ColumnRename[] = []
  for (const current of sources.current.values()) {
    const fromName = tables.find((rename) => rename.to === current.table)?.from ?? current.table
    const previous = sources.previous.get(fromName)
    if (previous === undefined) continue
    const matches = columnMatcher(previous, current)
    const declaredColumns = sources.declared.columns[current.table] ?? {}
    const columnNames = { previous: namesOf(previous), current: namesOf(current) }
    for (const [to, from] of Object.entries(declaredColumns)) {
      const conflict = renameConflict(from, to, columnNames, declaredColumns)
      if (conflict === null) matches.take(from, to)
      else conflicts.push(`column ${current.table}.${to} is declared renamedFrom "${from}", but ${conflict}`)
    }
    for (const flag of sources.flags) {
      if (flag.kind !== 'column' || (flag.table !== current.table && flag.table !== fromName)) continue
      if (matches.take(flag.from, flag.to)) usedFlags.add(flag)
    }
    for (const to of matches.unmatchedAdded()) {
      const candidates = matches.unmatchedDropped()
      if (candidates.length === 0) break
      const from = await ask({
        repo: sources.repo,
        kind: 'column',
        table: current.table,
        name: to,
        candidates: candidates.map((name) => ({
          from: name,
          flag: renameFlagText({ kind: 'column', table: current.table, from: name, to }),
        })),
      })
      if (from !== null) matches.take(from, to)
    }
    for (const rename of matches.pairs()) columns.push({ table: current.table, ...rename })
  }
  if (conflicts.length > 0) throw new RenameConflictError(sources.repo, conflicts)
  return { plan: { tables, columns }, unresolved, usedFlags }
}

/**
 * Why a declared rename cannot be part of this migration, or null. The diff pairs tables and columns by name,
 * so a rename is only expressible when the old name goes and the new one comes:
 * - the old name is still defined (a rename plus a new entity under the old name): the old entity would be
 *   altered in place and the renamed one created empty;
 * - names swap or rotate (`b` from `a` while something is renamed from `b`): both exist on both sides.
 * A rename generated in an earlier migration (`renamedFrom` may stay in the code) has its new name in the
 * previous state already and its old name free to be reused: no conflict.
 */
function renameConflict(
  from: string,
  to: string,
  names: { readonly previous: ReadonlySet<string>; readonly current: ReadonlySet<string> },
  declared: Readonly<Record<string, string>>,
): string | null {
  if (!names.previous.has(from) || !names.current.has(from)) return null
  if (!names.previous.has(to)) return `${from} is still defined`
  const renamedAway = Object.values(declared).includes(to)
  return renamedAway && names.current.has(to) ? `${to} is itself declared renamed (a swap or rotation of names)` : null
}

function namesOf(state: TableState): Set<string> {
  return new Set(state.columns.map((column) => column.source))
}

function columnMatcher(previous: TableState, current: TableState): Matcher {
  const before = new Set(previous.columns.map((column) => column.source))
  const after = new Set(current.columns.map((column) => column.source))
  return new Matcher(
    [...before].filter((name) => !after.has(name)),
    [...after].filter((name) => !before.has(name)),
  )
}

function answerOf(ambiguity: RenameAmbiguity, decision: RenameDecision): string | null {
  if (decision.action === 'create') return null
  if (ambiguity.candidates.some((candidate) => candidate.from === decision.from)) return decision.from
  const what = ambiguity.kind === 'table' ? `table ${ambiguity.name}` : `column ${ambiguity.table}.${ambiguity.name}`
  const choices = ambiguity.candidates.map((candidate) => candidate.from).join(', ')
  throw new UsageError(`${what} cannot be renamed from ${decision.from}: choose one of ${choices}, or create it`)
}

/** Pairs dropped names with added names, each name at most once. */
class Matcher {
  private readonly dropped: Set<string>
  private readonly added: Set<string>
  private readonly matched = new Map<string, string>()

  constructor(dropped: readonly string[], added: readonly string[]) {
    this.dropped = new Set(dropped)
    this.added = new Set(added)
  }

  /** Records `from -> to` when both are still free; true when the rename is (now or already) in the plan. */
  take(from: string, to: string): boolean {
    if (this.matched.get(to) === from) return true
    if (!this.dropped.has(from) || !this.added.has(to)) return false
    this.dropped.delete(from)
    this.added.delete(to)
    this.matched.set(to, from)
    return true
  }

  unmatchedAdded(): string[] {
    return [...this.added].sort()
  }

  unmatchedDropped(): string[] {
    return [...this.dropped].sort()
  }

  pairs(): Array<{ from: string; to: string }> {
    return [...this.matched].map(([to, from]) => ({ from, to }))
  }
}
