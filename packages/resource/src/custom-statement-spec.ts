/** `sqlite.customStatements` of a resource definition: named up/down SQL, matched by name between snapshots. */
import { describeValue } from './attribute-types.js'
import type { DefinitionCheck } from './definition-check.js'
import type { CustomStatementState } from './table-state.js'

export function customStatementSpecs(check: DefinitionCheck, value: unknown): CustomStatementState[] {
  const names = new Set<string>()
  return check.optionalArray(value, 'sqlite.customStatements', 'sqlite.customStatements').map((entry, index) => {
    const path = `sqlite.customStatements[${index}]`
    const options = check.object(entry, path, 'a custom statement')
    check.knownKeys(options, ['name', 'up', 'down'], path)
    const name = check.identifier(options.name, `${path}.name`, 'statement name')
    if (names.has(name)) {
      check.fail(
        'invalid_option',
        `${path}.name`,
        `repeats statement name "${name}"`,
        'Give every custom statement a unique name',
      )
    }
    names.add(name)
    const up = check.nonEmptyString(options.up, `${path}.up`, 'up SQL')
    if (typeof options.down !== 'string') {
      check.fail(
        'invalid_option',
        `${path}.down`,
        `must be a string, got ${describeValue(options.down)}`,
        "Write the SQL that undoes 'up' (or '' if nothing needs undoing)",
      )
    }
    return { name, up, down: options.down.trim() }
  })
}
