import { UsageError } from '../errors.js'
import type { RenameFlag } from './types.js'

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * Parses `--rename users.name=full_name` (kind 'column') or `--rename-table old=new` (kind 'table').
 * Column renames name the table by its current name.
 */
export function parseRenameFlag(value: string, kind: 'column' | 'table'): RenameFlag {
  const trimmed = value.trim()
  return kind === 'column' ? parseColumnRename(trimmed) : parseTableRename(trimmed)
}

function parseColumnRename(value: string): RenameFlag {
  const match = /^([^.=]+)\.([^.=]+)=([^.=]+)$/.exec(value)
  if (match === null) {
    throw new UsageError(
      `--rename ${JSON.stringify(value)}: expected table.old=new, e.g. --rename users.name=full_name ` +
        '(use --rename-table old=new for a table)',
    )
  }
  const [, table, from, to] = match as unknown as [string, string, string, string]
  for (const name of [table, from, to]) assertIdentifier(name, `--rename ${value}`)
  return { kind: 'column', table, from, to }
}

function parseTableRename(value: string): RenameFlag {
  const match = /^([^.=]+)=([^.=]+)$/.exec(value)
  if (match === null) {
    throw new UsageError(
      `--rename-table ${JSON.stringify(value)}: expected old=new, e.g. --rename-table users=accounts`,
    )
  }
  const [, from, to] = match as unknown as [string, string, string]
  for (const name of [from, to]) assertIdentifier(name, `--rename-table ${value}`)
  return { kind: 'table', from, to }
}

function assertIdentifier(name: string, flag: string): void {
  if (IDENTIFIER.test(name)) return
  throw new UsageError(`${flag}: ${JSON.stringify(name)} is not a plain table or column name (letters, digits, _)`)
}

/** The flag text that states a rename, as the ambiguity report shows it. */
export function renameFlagText(flag: RenameFlag): string {
  return flag.kind === 'column'
    ? `--rename ${flag.table}.${flag.from}=${flag.to}`
    : `--rename-table ${flag.from}=${flag.to}`
}
