/** Rows in the real database: inserted, deleted and read back in the data model's terms. */
import type { Client } from '@libsql/client'
import type { DataModel, RowModel } from './data-model.js'
import { nonKeyColumns, type SchemaModel } from './schema-model.js'
import { describeValue, fromDatabase, type StoredValue, toArgument } from './stored-value.js'

const quote = (name: string) => `"${name}"`

export async function insertRows(
  client: Client,
  inserts: readonly { readonly table: string; readonly row: RowModel }[],
  model: SchemaModel,
): Promise<void> {
  for (const { table, row } of inserts) {
    // Generated columns are computed by SQLite: they cannot be inserted into.
    const generated = new Set(
      model.tables
        .find((candidate) => candidate.name === table)
        ?.columns.filter((c) => c.generated)
        .map((c) => c.name),
    )
    const cells = Object.entries(row.cells).filter(([column]) => !generated.has(column))
    const columns = ['id', ...cells.map(([column]) => column)]
    const values = [row.id, ...cells.map(([, value]) => value)]
    await client.execute({
      sql: `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      args: values.map(toArgument),
    })
  }
}

/**
 * Deletes rows with foreign keys off, as a user clearing rows before a migration would: the data model has
 * already chosen every dependent row, so nothing must cascade or be refused.
 */
export async function deleteRows(
  client: Client,
  deletions: ReadonlyMap<string, readonly StoredValue[]>,
): Promise<void> {
  if (deletions.size === 0) return
  await client.execute('PRAGMA foreign_keys=OFF')
  try {
    for (const [table, ids] of deletions) {
      for (const id of ids)
        await client.execute({ sql: `DELETE FROM ${quote(table)} WHERE id = ?`, args: [toArgument(id)] })
    }
  } finally {
    await client.execute('PRAGMA foreign_keys=ON')
  }
}

/** Every row of the model's tables, each cell with its storage class, rows sorted by id. */
export async function readRows(client: Client, model: SchemaModel): Promise<DataModel> {
  const data = new Map<string, RowModel[]>()
  for (const table of model.tables) {
    const columns = ['id', ...nonKeyColumns(table)]
    const selected = columns.flatMap((column) => [quote(column), `typeof(${quote(column)})`])
    const result = await client.execute(`SELECT ${selected.join(', ')} FROM ${quote(table.name)}`)
    const rows = result.rows.map((row): RowModel => {
      const cell = (position: number) => fromDatabase(row[position * 2 + 1], row[position * 2])
      const cells = Object.fromEntries(columns.slice(1).map((column, position) => [column, cell(position + 1)]))
      return { id: cell(0), cells }
    })
    data.set(table.name, sortRows(rows))
  }
  return data
}

/** Rows in a stable order for comparison (ids are unique per table). */
export function sortRows(rows: readonly RowModel[]): RowModel[] {
  const key = (row: RowModel) => describeValue(row.id)
  return [...rows].sort((left, right) => (key(left) < key(right) ? -1 : key(left) > key(right) ? 1 : 0))
}

/** A data model in a plain, comparable and readable form: table -> id -> column -> `describeValue`. */
export function comparableData(data: DataModel): Record<string, Record<string, Record<string, string>>> {
  const result: Record<string, Record<string, Record<string, string>>> = {}
  for (const [table, rows] of data) {
    result[table] = Object.fromEntries(
      sortRows(rows).map((row) => [
        describeValue(row.id),
        Object.fromEntries(Object.entries(row.cells).map(([column, value]) => [column, describeValue(value)])),
      ]),
    )
  }
  return result
}
