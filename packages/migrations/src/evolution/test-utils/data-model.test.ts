import { describe, expect, test } from 'vitest'
import { type DataModel, planStepData, type RowModel, seedRows } from './data-model.js'
import { comparableData } from './live-data.js'
import { applyCommand, type Command, EMPTY_SCHEMA, type SchemaModel, startStep } from './schema-model.js'

const text = (value: string) => ({ class: 'text', value }) as const
const int = (value: number) => ({ class: 'integer', value }) as const
const NULL = { class: 'null' } as const

function modelOf(commands: Command[]): SchemaModel {
  return commands.reduce(applyCommand, startStep(EMPTY_SCHEMA))
}

function step(model: SchemaModel, commands: Command[]): { start: SchemaModel; after: SchemaModel } {
  const start = startStep(model)
  return { start, after: commands.reduce(applyCommand, start) }
}

const parentsAndChildren = modelOf([
  { kind: 'addTable', table: 'alpha', key: 'integer', strict: false },
  { kind: 'addColumn', table: 'alpha', column: 'amber', type: 'string', allowNull: true, default: null },
  { kind: 'addTable', table: 'bravo', key: 'integer', strict: false },
  { kind: 'addBelongsTo', table: 'bravo', name: 'owner', target: 'alpha', allowNull: true, onDelete: 'nothing' },
])

const rows: DataModel = new Map<string, RowModel[]>([
  [
    'alpha',
    [
      { id: int(1), cells: { amber: text('a') } },
      { id: int(2), cells: { amber: NULL } },
      { id: int(3), cells: { amber: text('a') } },
    ],
  ],
  [
    'bravo',
    [
      { id: int(4), cells: { owner_id: int(2) } },
      { id: int(5), cells: { owner_id: int(1) } },
    ],
  ],
])

describe('planStepData', () => {
  test('a NULL meeting a new NOT NULL with a default takes the default; nothing is deleted', () => {
    const { start, after } = step(parentsAndChildren, [
      { kind: 'setDefault', table: 'alpha', column: 'amber', default: 'z' },
      { kind: 'setNullability', table: 'alpha', column: 'amber', allowNull: false },
    ])
    const plan = planStepData(start, after, rows)
    expect(plan.deletions.size).toBe(0)
    expect(comparableData(plan.after).alpha).toEqual({
      '1': { amber: "'a'" },
      '2': { amber: "'z'" },
      '3': { amber: "'a'" },
    })
  })

  test('a NULL meeting a NOT NULL without default: the row goes, and so does every row pointing at it', () => {
    const { start, after } = step(parentsAndChildren, [
      { kind: 'setNullability', table: 'alpha', column: 'amber', allowNull: false },
    ])
    const plan = planStepData(start, after, rows)
    expect(Object.fromEntries(plan.deletions)).toEqual({ alpha: [int(2)], bravo: [int(4)] })
    expect(Object.keys(comparableData(plan.after).alpha!)).toEqual(['1', '3'])
    expect(Object.keys(comparableData(plan.after).bravo!)).toEqual(['5'])
  })

  test('a new unique index keeps the first of equal keys; NULLs never clash', () => {
    const { start, after } = step(parentsAndChildren, [
      { kind: 'addIdentity', table: 'alpha', name: 'k1', columns: ['amber'] },
    ])
    const plan = planStepData(start, after, rows)
    expect(Object.fromEntries(plan.deletions)).toEqual({ alpha: [int(3)] })
  })

  test('a value a STRICT column refuses: the row goes', () => {
    const { start, after } = step(parentsAndChildren, [
      { kind: 'changeType', table: 'alpha', column: 'amber', type: 'integer', default: null },
      { kind: 'setStrict', table: 'alpha', strict: true },
    ])
    const plan = planStepData(start, after, rows)
    expect(Object.fromEntries(plan.deletions)).toEqual({ alpha: [int(1), int(3)], bravo: [int(5)] })
  })

  test('renamed tables and columns carry their rows; added columns start at their default', () => {
    const { start, after } = step(parentsAndChildren, [
      { kind: 'renameTable', table: 'alpha', to: 'charlie' },
      { kind: 'renameColumn', table: 'charlie', column: 'amber', to: 'basil' },
      { kind: 'addColumn', table: 'charlie', column: 'cedar', type: 'boolean', allowNull: false, default: true },
    ])
    const plan = planStepData(start, after, rows)
    expect(comparableData(plan.after).charlie).toEqual({
      '1': { basil: "'a'", cedar: '1' },
      '2': { basil: 'null', cedar: '1' },
      '3': { basil: "'a'", cedar: '1' },
    })
    expect(after.tables.find((table) => table.name === 'bravo')!.belongsTo[0]!.target).toBe('charlie')
  })
})

describe('seedRows', () => {
  test('keys point at existing rows; a NOT NULL key with nothing to point at skips the row', () => {
    const model = modelOf([
      { kind: 'addTable', table: 'alpha', key: 'uuid', strict: false },
      { kind: 'addTable', table: 'bravo', key: 'integer', strict: false },
      { kind: 'addBelongsTo', table: 'bravo', name: 'owner', target: 'alpha', allowNull: false, onDelete: 'delete' },
    ])
    const empty = seedRows(model, new Map(), [{ table: 1, values: [0] }], 1)
    expect(empty.inserts).toEqual([])
    const seeded = seedRows(
      model,
      new Map(),
      [
        { table: 0, values: [0] },
        { table: 1, values: [0] },
      ],
      1,
    )
    expect(seeded.inserts.map((insert) => [insert.table, insert.row.id, insert.row.cells])).toEqual([
      ['alpha', text('u1'), {}],
      ['bravo', int(2), { owner_id: text('u1') }],
    ])
    expect(seeded.nextId).toBe(3)
  })
})
