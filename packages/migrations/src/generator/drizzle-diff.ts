import type { TableState } from '@ash-sqlite/resource'
import { type DrizzleKit, type DrizzleSnapshot, type Hint, type MissingHint, missingHintsOf } from './drizzle-kit.js'
import { buildDrizzleTables, type TableLookup } from './drizzle-schema.js'
import { GenerateError } from './errors.js'
import { assertDiffable } from './schema-guard.js'

export interface DrizzleDiff {
  readonly statements: string[]
  /** Data-loss confirmations drizzle-kit asked for (and got): they become warnings. */
  readonly confirmed: MissingHint[]
}

/** Enough rounds for every kind of question drizzle-kit asks in stages (tables, then columns, then the rest). */
const MAX_HINT_ROUNDS = 8

/** drizzle-kit's snapshot of the given tables; foreign keys to other tables resolve through `lookup`. */
export function drizzleSnapshot(
  kit: DrizzleKit,
  tables: Iterable<TableState>,
  lookup: TableLookup,
  prevId?: string,
): Promise<DrizzleSnapshot> {
  const states = [...tables]
  assertDiffable(states)
  return kit.generateDrizzleJson(buildDrizzleTables(states, lookup), prevId)
}

/**
 * Runs drizzle-kit's differ with the planned hints. Renames were decided before (see resolve-renames), so a
 * question drizzle-kit still asks is answered without guessing: anything else it wants to rename (an index,
 * a foreign key) is dropped and created, and a data-loss confirmation is given and reported.
 */
export async function drizzleDiff(
  kit: DrizzleKit,
  from: DrizzleSnapshot,
  to: DrizzleSnapshot,
  hints: readonly Hint[],
): Promise<DrizzleDiff> {
  const answers = [...hints]
  const confirmed: MissingHint[] = []
  for (let round = 0; round < MAX_HINT_ROUNDS; round++) {
    try {
      return { statements: await kit.generateMigration(from, to, { hints: answers }), confirmed }
    } catch (error) {
      const missing = missingHintsOf(error)
      if (missing === undefined)
        throw new GenerateError(`drizzle-kit could not diff the schemas: ${messageOf(error)}`, { cause: error })
      for (const question of missing) {
        if (question.type === 'confirm_data_loss') confirmed.push(question)
        answers.push(answerTo(question))
      }
    }
  }
  throw new GenerateError('drizzle-kit kept asking for decisions the generator already gave it; please report this')
}

function answerTo(question: MissingHint): Hint {
  if (question.type === 'confirm_data_loss') {
    return { type: 'confirm_data_loss', kind: question.kind, entity: question.entity } as Hint
  }
  return { type: 'create', kind: question.kind, entity: question.entity } as Hint
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
