import { GenerateError } from './errors.js'

/**
 * drizzle-kit's (1.0.0-rc.5) SQLite output, read once into data. Every shape its SQLite convertor writes is
 * listed here (drizzle-kit `src/dialects/sqlite/convertor.ts`); a statement that is none of them fails
 * `generate` (code `unrecognised_drizzle_statement`) instead of being passed through unseen, so an upgrade
 * of drizzle-kit that changes its output is caught by the first test run, not by a production database.
 *
 * A table rebuild (`PRAGMA foreign_keys=OFF`, `CREATE TABLE __new_t`, copy, `DROP TABLE t`, rename,
 * `PRAGMA foreign_keys=ON`) is read as one `rebuild` statement: the plan renders every rebuild itself.
 */
export type DrizzleStatement =
  | { readonly kind: 'create_table'; readonly table: string; readonly sql: string }
  | { readonly kind: 'drop_table'; readonly table: string; readonly sql: string }
  | { readonly kind: 'rename_table'; readonly from: string; readonly to: string; readonly sql: string }
  | { readonly kind: 'add_column'; readonly table: string; readonly column: string; readonly sql: string }
  | { readonly kind: 'drop_column'; readonly table: string; readonly column: string; readonly sql: string }
  | {
      readonly kind: 'rename_column'
      readonly table: string
      readonly from: string
      readonly to: string
      readonly sql: string
    }
  | { readonly kind: 'create_index'; readonly table: string; readonly index: string; readonly sql: string }
  | { readonly kind: 'drop_index'; readonly index: string; readonly sql: string }
  | { readonly kind: 'create_view' | 'drop_view'; readonly view: string; readonly sql: string }
  | { readonly kind: 'rebuild'; readonly table: string; readonly sql: readonly string[] }

/** Prefix drizzle-kit gives the new table of a rebuild. */
export const REBUILD_PREFIX = '__new_'

const NAME = '`([^`]+)`'
const SHAPES: ReadonlyArray<{ pattern: RegExp; read: (match: string[], sql: string) => DrizzleStatement }> = [
  {
    pattern: new RegExp(`^CREATE TABLE ${NAME} \\(\\n`),
    read: ([, table], sql) => ({ kind: 'create_table', table: table!, sql }),
  },
  {
    pattern: new RegExp(`^DROP TABLE ${NAME};$`),
    read: ([, table], sql) => ({ kind: 'drop_table', table: table!, sql }),
  },
  {
    pattern: new RegExp(`^ALTER TABLE ${NAME} RENAME TO ${NAME};$`),
    read: ([, from, to], sql) => ({ kind: 'rename_table', from: from!, to: to!, sql }),
  },
  {
    pattern: new RegExp(`^ALTER TABLE ${NAME} RENAME COLUMN ${NAME} TO ${NAME};$`),
    read: ([, table, from, to], sql) => ({ kind: 'rename_column', table: table!, from: from!, to: to!, sql }),
  },
  {
    pattern: new RegExp(`^ALTER TABLE ${NAME} DROP COLUMN ${NAME};$`),
    read: ([, table, column], sql) => ({ kind: 'drop_column', table: table!, column: column!, sql }),
  },
  {
    pattern: new RegExp(`^ALTER TABLE ${NAME} ADD ${NAME} `),
    read: ([, table, column], sql) => ({ kind: 'add_column', table: table!, column: column!, sql }),
  },
  {
    pattern: new RegExp(`^CREATE (?:UNIQUE )?INDEX ${NAME} ON ${NAME} \\(`),
    read: ([, index, table], sql) => ({ kind: 'create_index', index: index!, table: table!, sql }),
  },
  {
    pattern: new RegExp(`^DROP INDEX (?:IF EXISTS )?${NAME};$`),
    read: ([, index], sql) => ({ kind: 'drop_index', index: index!, sql }),
  },
  {
    pattern: new RegExp(`^CREATE VIEW ${NAME} AS `),
    read: ([, view], sql) => ({ kind: 'create_view', view: view!, sql }),
  },
  { pattern: new RegExp(`^DROP VIEW ${NAME};$`), read: ([, view], sql) => ({ kind: 'drop_view', view: view!, sql }) },
]

/** Words that start every statement drizzle-kit writes for SQLite: a statement starting otherwise is unknown. */
export function classifyStatements(statements: readonly string[]): DrizzleStatement[] {
  const classified: DrizzleStatement[] = []
  for (let index = 0; index < statements.length; index++) {
    const sql = statements[index]!
    if (sql === 'PRAGMA foreign_keys=OFF;') {
      const rebuild = readRebuild(statements, index)
      classified.push(rebuild)
      index += rebuild.sql.length - 1
      continue
    }
    classified.push(classifyOne(sql))
  }
  return classified
}

function classifyOne(sql: string): DrizzleStatement {
  for (const shape of SHAPES) {
    const match = shape.pattern.exec(sql)
    if (match !== null) return shape.read([...match], sql)
  }
  throw unrecognised(sql, 'it matches none of the statement shapes drizzle-kit 1.0.0-rc.5 writes for SQLite')
}

/**
 * `PRAGMA foreign_keys=OFF; CREATE TABLE __new_t (...); INSERT INTO __new_t(...) SELECT ... FROM t;
 * DROP TABLE t; ALTER TABLE __new_t RENAME TO t; PRAGMA foreign_keys=ON;`, exactly.
 */
function readRebuild(statements: readonly string[], start: number): DrizzleStatement {
  const sql = statements.slice(start, start + 6)
  const [, create = '', copy = '', drop = '', rename = '', on = ''] = sql
  const table = /^CREATE TABLE `__new_([^`]+)` \(\n/.exec(create)?.[1]
  const quoted = table === undefined ? '' : `\`${table}\``
  const ok =
    table !== undefined &&
    copy.startsWith(`INSERT INTO \`${REBUILD_PREFIX}${table}\`(`) &&
    copy.endsWith(` FROM ${quoted};`) &&
    drop === `DROP TABLE ${quoted};` &&
    rename === `ALTER TABLE \`${REBUILD_PREFIX}${table}\` RENAME TO ${quoted};` &&
    on === 'PRAGMA foreign_keys=ON;'
  if (!ok) throw unrecognised(sql.join('\n'), 'it starts like a table rebuild but is not the six statements of one')
  return { kind: 'rebuild', table, sql }
}

function unrecognised(sql: string, why: string): GenerateError {
  const shown = sql.length > 300 ? `${sql.slice(0, 300)}...` : sql
  return new GenerateError(
    `drizzle-kit wrote a statement the generator does not recognise (${why}):\n  ${shown.replaceAll('\n', '\n  ')}\n` +
      'Nothing was written. This is a bug of ash-sqlite (or an unsupported drizzle-kit version): please report it ' +
      'with the resources involved.',
    { code: 'unrecognised_drizzle_statement' },
  )
}

/** The tables drizzle-kit rebuilds, by their final names. */
export function drizzleRebuilds(statements: readonly DrizzleStatement[]): Set<string> {
  return new Set(statements.flatMap((statement) => (statement.kind === 'rebuild' ? [statement.table] : [])))
}

/** The rendered SQL of a classified statement (a rebuild's statements one after the other). */
export function statementSql(statement: DrizzleStatement): readonly string[] {
  return statement.kind === 'rebuild' ? statement.sql : [statement.sql]
}
