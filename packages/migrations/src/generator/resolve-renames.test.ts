import type { TableState } from '@ash-sqlite/resource'
import { describe, expect, test } from 'vitest'
import { UsageError } from '../errors.js'
import { column, integerKey, REPO, table } from './__fixtures__/states.js'
import { RenameAmbiguityError, RenameConflictError } from './errors.js'
import { type RenamePolicy, type RenameSources, resolveRenames } from './resolve-renames.js'
import { tablesByName } from './table-pairs.js'
import type { RenameAmbiguity, RenameDecision, RenameFlag } from './types.js'

const notes = table('notes', [integerKey(), column('a'), column('b')])
const noteRenamed = table('notes', [integerKey(), column('c'), column('b')])

function sources(previous: TableState[], current: TableState[], extra: Partial<RenameSources> = {}): RenameSources {
  return {
    repo: REPO,
    previous: tablesByName(previous),
    current: tablesByName(current),
    declared: { tables: {}, columns: {} },
    flags: [],
    ...extra,
  }
}

const ask = (answers: RenameDecision[]) => {
  const asked: RenameAmbiguity[] = []
  const policy: RenamePolicy = {
    noRenames: false,
    resolveAmbiguity: async (ambiguity) => {
      asked.push(ambiguity)
      const answer = answers.shift()
      if (answer === undefined) throw new Error('asked once too often')
      return answer
    },
  }
  return { asked, policy }
}

const silent: RenamePolicy = { noRenames: false, resolveAmbiguity: undefined }

describe('resolveRenames', () => {
  test('a new column with no dropped column is no ambiguity', async () => {
    const result = await resolveRenames(sources([notes], [table('notes', [...notes.columns, column('c')])]), silent)
    expect(result).toEqual({ plan: { tables: [], columns: [] }, unresolved: [], usedFlags: new Set() })
  })

  test('without a resolver, every ambiguity is listed with the flag for each candidate', async () => {
    const previous = [notes, table('users', [integerKey()]), table('people', [integerKey()])]
    const current = [table('notes', [integerKey(), column('c'), column('d')]), table('accounts', [integerKey()])]
    const result = await resolveRenames(sources(previous, current), silent)
    expect(result.plan).toEqual({ tables: [], columns: [] })
    expect(result.unresolved).toEqual([
      {
        repo: REPO,
        kind: 'table',
        name: 'accounts',
        candidates: [
          { from: 'people', flag: '--rename-table people=accounts' },
          { from: 'users', flag: '--rename-table users=accounts' },
        ],
      },
      {
        repo: REPO,
        kind: 'column',
        table: 'notes',
        name: 'c',
        candidates: [
          { from: 'a', flag: '--rename notes.a=c' },
          { from: 'b', flag: '--rename notes.b=c' },
        ],
      },
      {
        repo: REPO,
        kind: 'column',
        table: 'notes',
        name: 'd',
        candidates: [
          { from: 'a', flag: '--rename notes.a=d' },
          { from: 'b', flag: '--rename notes.b=d' },
        ],
      },
    ])
    expect(new RenameAmbiguityError(result.unresolved).message).toBe(
      'Found 3 possible renames and no terminal to ask (nothing was written). Rerun with the flag that says what you did:\n' +
        '  [main] table accounts is new and people, users were dropped: --rename-table people=accounts  or  --rename-table users=accounts\n' +
        '  [main] column notes.c is new and a, b were dropped: --rename notes.a=c  or  --rename notes.b=c\n' +
        '  [main] column notes.d is new and a, b were dropped: --rename notes.a=d  or  --rename notes.b=d\n' +
        "Or declare it in the resource, which every later generate sees too: renamedFrom: 'a' in the options of the attribute for notes.c; sqlite: { table: 'accounts', renamedFrom: 'people' }.\n" +
        'Or pass --no-renames to drop the old ones and create the new ones.\n' +
        'Columns of a table renamed by --rename-table are compared after that decision, so a rerun may ask about them.',
    )
  })

  test('renamedFrom decides without asking; a stale one (old name already gone) is ignored', async () => {
    const declared = { tables: { memos: 'notes', ghosts: 'gone' }, columns: { memos: { c: 'a' } } }
    const memos = { ...noteRenamed, table: 'memos' }
    const result = await resolveRenames(sources([notes], [memos], { declared }), silent)
    expect(result.plan).toEqual({
      tables: [{ from: 'notes', to: 'memos' }],
      columns: [{ table: 'memos', from: 'a', to: 'c' }],
    })
    expect(result.unresolved).toEqual([])
  })

  test('flags decide, and are reported as used (also when naming the table by its old name)', async () => {
    const flags: RenameFlag[] = [
      { kind: 'table', from: 'notes', to: 'memos' },
      { kind: 'column', table: 'notes', from: 'a', to: 'c' },
      { kind: 'column', table: 'other', from: 'x', to: 'y' },
    ]
    const memos = { ...noteRenamed, table: 'memos' }
    const result = await resolveRenames(sources([notes], [memos], { flags }), silent)
    expect(result.plan).toEqual({
      tables: [{ from: 'notes', to: 'memos' }],
      columns: [{ table: 'memos', from: 'a', to: 'c' }],
    })
    expect([...result.usedFlags]).toEqual([flags[0], flags[1]])
  })

  test('the resolver is asked once per ambiguity, and a taken candidate is offered no more', async () => {
    const { asked, policy } = ask([
      { action: 'rename', from: 'b' },
      { action: 'rename', from: 'a' },
    ])
    const current = [table('notes', [integerKey(), column('c'), column('d')])]
    const result = await resolveRenames(sources([notes], current), policy)
    expect(asked.map((ambiguity) => [ambiguity.name, ambiguity.candidates.map((candidate) => candidate.from)])).toEqual(
      [
        ['c', ['a', 'b']],
        ['d', ['a']],
      ],
    )
    expect(result.plan.columns).toEqual([
      { table: 'notes', from: 'b', to: 'c' },
      { table: 'notes', from: 'a', to: 'd' },
    ])
  })

  test('answering "create" leaves the old column to be dropped', async () => {
    const { policy } = ask([{ action: 'create' }])
    const result = await resolveRenames(sources([notes], [noteRenamed]), policy)
    expect(result.plan).toEqual({ tables: [], columns: [] })
    expect(result.unresolved).toEqual([])
  })

  test('a resolver answer that is not a candidate is a usage error', async () => {
    const { policy } = ask([{ action: 'rename', from: 'zzz' }])
    await expect(resolveRenames(sources([notes], [noteRenamed]), policy)).rejects.toThrow(
      new UsageError('column notes.c cannot be renamed from zzz: choose one of a, or create it'),
    )
  })

  test('noRenames answers "create" to everything without asking', async () => {
    const { asked, policy } = ask([])
    const result = await resolveRenames(sources([notes], [noteRenamed]), { ...policy, noRenames: true })
    expect(asked).toEqual([])
    expect(result).toEqual({ plan: { tables: [], columns: [] }, unresolved: [], usedFlags: new Set() })
  })

  // Found with the schema evolution harness (src/evolution): the declared rename was silently ignored, so the
  // old column was altered in place (its rows converted to the new column's type) and the renamed one came
  // out empty.
  test('a declared rename whose old name is still defined is refused, for columns and tables', async () => {
    const columnReused = table('notes', [integerKey(), column('c'), column('a', 'real'), column('b')])
    const columnDeclared = { tables: {}, columns: { notes: { c: 'a' } } }
    await expect(
      resolveRenames(sources([notes], [columnReused], { declared: columnDeclared }), silent),
    ).rejects.toThrow(
      new RenameConflictError(REPO, ['column notes.c is declared renamedFrom "a", but a is still defined']),
    )
    const tableReused = [table('notes', [integerKey()]), table('memos', notes.columns)]
    const tableDeclared = { tables: { memos: 'notes' }, columns: {} }
    const error = await resolveRenames(sources([notes], tableReused, { declared: tableDeclared }), silent).catch(
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(RenameConflictError)
    expect((error as RenameConflictError).conflicts).toEqual([
      'table memos is declared renamedFrom "notes", but notes is still defined',
    ])
    expect((error as RenameConflictError).message).toMatch(
      /generate the rename first \(through a temporary name for a swap\), then add the new one/,
    )
  })

  test('declared renames that swap names are refused', async () => {
    const swapped = table('notes', [integerKey(), column('b'), column('a')])
    const declared = { tables: {}, columns: { notes: { a: 'b', b: 'a' } } }
    const error = await resolveRenames(sources([notes], [swapped], { declared }), silent).catch((caught) => caught)
    expect((error as RenameConflictError).conflicts).toEqual([
      'column notes.a is declared renamedFrom "b", but a is itself declared renamed (a swap or rotation of names)',
      'column notes.b is declared renamedFrom "a", but b is itself declared renamed (a swap or rotation of names)',
    ])
  })

  test('an old name reused after its rename was generated is no conflict (renamedFrom may stay in the code)', async () => {
    const renamedEarlier = table('notes', [integerKey(), column('c'), column('b')])
    const reused = table('notes', [integerKey(), column('c'), column('b'), column('a', 'real')])
    const declared = { tables: {}, columns: { notes: { c: 'a' } } }
    const result = await resolveRenames(sources([renamedEarlier], [reused], { declared }), silent)
    expect(result.plan).toEqual({ tables: [], columns: [] })
  })
})
