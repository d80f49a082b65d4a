import { describe, expect, test } from 'vitest'
import type { MigrationFolder, MigrationState } from '../migrator/index.js'
import type { DatabaseStatus } from '../migrator/types.js'
import { planUntrackedRollbacks } from './rollback-plan.js'

const A = '20260101000000_a'
const B = '20260101000001_b'
const C = '20260101000002_c'

function folder(name: string, downSql: string | null = 'DROP TABLE t;'): MigrationFolder {
  return {
    name,
    timestamp: name.slice(0, 14),
    path: `/project/migrations/main/${name}`,
    upSql: 'CREATE TABLE t (x);',
    downSql,
    hash: 'h',
  }
}

function database(name: string, states: Record<string, MigrationState>): DatabaseStatus {
  return {
    repo: 'main',
    database: name,
    url: `file:${name}.db`,
    migrations: Object.entries(states).map(([migration, state]) => ({ name: migration, state })),
    warnings: [],
  }
}

describe('planUntrackedRollbacks', () => {
  test('rolls back everything when the oldest applied untracked migration is the first folder', () => {
    const planning = planUntrackedRollbacks(
      'main',
      [A, B],
      [folder(A), folder(B)],
      [database('main', { [A]: 'applied', [B]: 'changed' })],
    )
    expect(planning).toEqual({
      plans: [{ repo: 'main', database: 'main', url: 'file:main.db', migrations: [B, A], to: null }],
      problems: [],
    })
  })

  test('skips databases that applied no untracked migration, whatever else they applied', () => {
    const planning = planUntrackedRollbacks(
      'main',
      [C],
      [folder(A), folder(B), folder(C)],
      [
        database('t1', { [A]: 'applied', [B]: 'applied', [C]: 'pending' }),
        database('t2', { [A]: 'applied', [B]: 'pending', [C]: 'pending' }),
      ],
    )
    expect(planning).toEqual({ plans: [], problems: [] })
  })

  test('refuses when the rollback target would also undo a migration whose folder is missing', () => {
    const planning = planUntrackedRollbacks(
      'main',
      [C],
      [folder(A), folder(C)],
      [database('t1', { [A]: 'applied', [B]: 'missing', [C]: 'applied' })],
    )
    expect(planning.plans).toEqual([])
    expect(planning.problems).toEqual([
      `main/t1: ${B} (its folder is missing) is applied after the untracked migration ${C}, and regen only rolls back untracked migrations. Roll the database back yourself (ash-sqlite rollback --to ${A}), or commit ${C}.`,
    ])
  })

  test('refuses an untracked migration whose down.sql undoes nothing', () => {
    const planning = planUntrackedRollbacks(
      'main',
      [B],
      [folder(A), folder(B, '  \n')],
      [database('main', { [A]: 'applied', [B]: 'applied' })],
    )
    expect(planning.problems).toEqual([
      `main: untracked migration ${B} is applied but its down.sql is empty, so rolling it back would undo nothing: write one (or roll the migration back by hand), then run regen again.`,
    ])
  })
})
