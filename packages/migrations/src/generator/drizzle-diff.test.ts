import { describe, expect, test } from 'vitest'
import { drizzleDiff } from './drizzle-diff.js'
import type { DrizzleKit, DrizzleSnapshot, Hint } from './drizzle-kit.js'
import { GenerateError } from './errors.js'

// drizzle-kit's generateMigration never asks for confirmations in these tests' real diffs, so the answering
// loop is driven by a stand-in differ that asks the way drizzle-kit's MissingHintsError does.
function askingDiffer(questions: unknown[][]): { kit: DrizzleKit; calls: Hint[][] } {
  const calls: Hint[][] = []
  const generateMigration = async (_from: unknown, _to: unknown, options?: { hints?: Hint[] }) => {
    calls.push([...(options?.hints ?? [])])
    const missingHints = questions.shift()
    if (missingHints !== undefined)
      throw Object.assign(new Error('missing hints'), { code: 'missing_hints', missingHints })
    return ['SELECT 1;']
  }
  return { kit: { generateMigration } as unknown as DrizzleKit, calls }
}

const snapshot = {} as DrizzleSnapshot

describe('drizzleDiff', () => {
  test('confirms data loss (and reports it) and answers other rename questions with "create"', async () => {
    const loss = {
      type: 'confirm_data_loss',
      kind: 'add_not_null',
      entity: ['public', 't', 'c'],
      reason: 'table_recreate',
    }
    const index = { type: 'rename_or_create', kind: 'index', entity: ['public', 't', 't_new_index'] }
    const { kit, calls } = askingDiffer([[loss, index]])
    const given: Hint[] = [{ type: 'create', kind: 'table', entity: ['public', 't'] }]
    const diff = await drizzleDiff(kit, snapshot, snapshot, given)
    expect(diff).toEqual({ statements: ['SELECT 1;'], confirmed: [loss] })
    expect(calls).toEqual([
      given,
      [
        ...given,
        { type: 'confirm_data_loss', kind: 'add_not_null', entity: ['public', 't', 'c'] },
        { type: 'create', kind: 'index', entity: ['public', 't', 't_new_index'] },
      ],
    ])
  })

  test('gives up with a GenerateError when drizzle-kit keeps asking', async () => {
    const question = [{ type: 'rename_or_create', kind: 'index', entity: ['public', 't', 'i'] }]
    const { kit } = askingDiffer(Array.from({ length: 20 }, () => question))
    await expect(drizzleDiff(kit, snapshot, snapshot, [])).rejects.toThrow(GenerateError)
  })

  test('wraps any other differ failure in a GenerateError', async () => {
    const kit = { generateMigration: async () => Promise.reject(new Error('boom')) } as unknown as DrizzleKit
    await expect(drizzleDiff(kit, snapshot, snapshot, [])).rejects.toThrow(
      'drizzle-kit could not diff the schemas: boom',
    )
  })
})
