/**
 * CHECK constraints of a resource definition: `sqlite.checkConstraints` as written, plus one per
 * `attr.enum(values, { check: true })` that keeps the column to its values in the database.
 */
import type { AttributeSpec } from './attribute-spec.js'
import type { DefinitionCheck } from './definition-check.js'
import { isSqlExpression, quoteString, sqlExpressionText } from './sql-text.js'

export interface CheckConstraintSpec {
  name: string
  /** SQL condition, as it goes inside CHECK(...). */
  check: string
  /** What to tell a user whose row breaks it (application side; SQLite reports the constraint name). */
  message: string | null
  /** The enum attribute this constraint was derived from, if any. */
  attribute: string | null
}

export function checkConstraintSpecs(
  check: DefinitionCheck,
  tableName: string,
  attributes: readonly AttributeSpec[],
  value: unknown,
): CheckConstraintSpec[] {
  const specs = check
    .optionalArray(value, 'sqlite.checkConstraints', 'sqlite.checkConstraints')
    .map((entry, index): CheckConstraintSpec => {
      const path = `sqlite.checkConstraints[${index}]`
      const options = check.object(entry, path, 'a check constraint ({ name, check, message? })')
      check.knownKeys(options, ['name', 'check', 'message'], path)
      const condition = isSqlExpression(options.check) ? sqlExpressionText(options.check) : options.check
      return {
        name: check.identifier(options.name, `${path}.name`, 'constraint name'),
        check: check.nonEmptyString(condition, `${path}.check`, 'SQL condition'),
        message: check.optionalString(options.message, `${path}.message`, 'message'),
        attribute: null,
      }
    })
  for (const attribute of attributes) {
    if (!attribute.enumCheck || !attribute.enumValues) continue
    specs.push({
      name: check.identifier(
        `${tableName}_${attribute.source}_enum`,
        `attributes.${attribute.key}.check`,
        'constraint name',
      ),
      check: `"${attribute.source}" IN (${attribute.enumValues.map(quoteString).join(', ')})`,
      message: `must be one of ${attribute.enumValues.join(', ')}`,
      attribute: attribute.key,
    })
  }
  const seen = new Map<string, CheckConstraintSpec>()
  for (const [index, spec] of specs.entries()) {
    const other = seen.get(spec.name.toLowerCase())
    if (other) {
      check.fail(
        'invalid_option',
        spec.attribute ? `attributes.${spec.attribute}.check` : `sqlite.checkConstraints[${index}].name`,
        `names check constraint "${spec.name}", which ${other.attribute ? `the enum check of ${other.attribute}` : 'another check constraint'} already uses`,
        'Give every check constraint a unique name',
      )
    }
    seen.set(spec.name.toLowerCase(), spec)
  }
  return specs
}
