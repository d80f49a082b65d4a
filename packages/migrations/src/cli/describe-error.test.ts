import { ResourceDefinitionError } from '@ash-sqlite/resource'
import { SnapshotError } from '@ash-sqlite/snapshot'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors.js'
import { RenameAmbiguityError } from '../generator/errors.js'
import { describeError } from './describe-error.js'

describe('describeError', () => {
  it('prints our own errors as they are, with their exit code', () => {
    expect(describeError(new ConfigError('ash-sqlite.config.ts: domains is missing'))).toEqual({
      code: 'config_invalid',
      message: 'ash-sqlite.config.ts: domains is missing',
      exitCode: 1,
    })
  })

  it('prints resource definition errors as they are', () => {
    const error = new ResourceDefinitionError({
      code: 'missing_table',
      resource: 'User',
      path: 'sqlite.table',
      problem: 'no table name',
      fix: 'Set sqlite.table',
    })
    expect(describeError(error)).toMatchObject({ code: 'missing_table', exitCode: 1 })
    expect(describeError(error).message).toBe(error.message)
  })

  it('prints snapshot errors (a corrupt snapshot file) as they are, exit 1', () => {
    const error = new SnapshotError({
      code: 'snapshot_corrupt',
      file: 'resource_snapshots/main/users/20260101000000.json',
      problem: 'not valid JSON',
      fix: 'Restore it from git',
    })
    const report = describeError(error)
    expect(report.code).toBe('snapshot_corrupt')
    expect(report.exitCode).toBe(1)
    expect(report.message).toBe(error.message)
  })

  it('keeps exit code 2 for errors that need a decision', () => {
    expect(describeError(new RenameAmbiguityError([])).exitCode).toBe(2)
  })

  it('reports anything else as unexpected, pointing at --debug', () => {
    expect(describeError(new TypeError('x is undefined'))).toEqual({
      code: 'unexpected_error',
      message: 'Unexpected error: x is undefined',
      exitCode: 1,
      hint: 'Run again with --debug to see the stack trace.',
    })
  })
})
