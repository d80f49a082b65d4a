/**
 * Writes resource plans as a readable TypeScript module: one `defineResource` per table, parents first,
 * options only where they differ from the DSL's defaults, SQL in template literals when it spans lines.
 */

import { referenceOption } from './instantiate-plan.js'
import { camelCase } from './naming.js'
import type { PlanValue, ResourcePlan } from './resource-plan.js'

export interface RenderOptions {
  readonly repo: string
  /** The `url` of the repo as it should appear in code (a file URL relative to the project, typically). */
  readonly url: string
  /** Names of tables left out, listed in the header so a reader of the module sees them too. */
  readonly leftOut: readonly string[]
  /** Where the schema came from, for the header (never a URL with secrets). */
  readonly source: string
  /** A remote database: the repo reads its auth token from the environment. */
  readonly remote: boolean
}

export function renderModule(plans: readonly ResourcePlan[], options: RenderOptions): string {
  const repoVar = variableName(options.repo, 'Repo')
  const needsAnyResource = plans.some((plan) => plan.belongsTo.some((relation) => relation.loose))
  const needsBelongsTo = plans.some((plan) => plan.belongsTo.length > 0)
  const imports = [
    ...(needsAnyResource ? ['type AnyResource'] : []),
    'attr',
    ...(needsBelongsTo ? ['belongsTo'] : []),
    'defineDomain',
    'defineRepo',
    'defineResource',
  ]
  const envName = `${options.repo.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_DB_URL`
  // A remote database's token is never written into code: the module reads it from the environment.
  const tokenName = `${options.repo.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_DB_AUTH_TOKEN`
  const lines = [
    '/**',
    ` * Resources of the ${options.repo} repo, pulled by \`ash-sqlite pull\` from ${options.source}.`,
    ' * Edit freely: the next `ash-sqlite generate` turns every change into a migration.',
    ...(options.leftOut.length > 0
      ? [` * Not described here (kept in the baseline migration): ${options.leftOut.join(', ')}.`]
      : []),
    ' */',
    `import { ${imports.join(', ')} } from '@ash-sqlite/resource'`,
    '',
    options.remote
      ? `export const ${repoVar} = defineRepo({\n  name: ${str(options.repo)},\n  url: process.env.${envName} ?? ${str(options.url)},\n  authToken: process.env.${tokenName},\n})`
      : `export const ${repoVar} = defineRepo({ name: ${str(options.repo)}, url: process.env.${envName} ?? ${str(options.url)} })`,
    '',
  ]
  for (const plan of plans) lines.push(...renderResource(plan, repoVar), '')
  const domainVar = variableName(options.repo, 'Domain')
  lines.push(
    `export const ${domainVar} = defineDomain({`,
    `  name: ${str(options.repo)},`,
    `  resources: [${plans.map((plan) => plan.name).join(', ')}],`,
    '})',
    '',
  )
  return lines.join('\n')
}

function renderResource(plan: ResourcePlan, repoVar: string): string[] {
  const lines = [`export const ${plan.name} = defineResource({`, `  name: ${str(plan.name)},`]
  if (plan.attributes.length === 0) lines.push('  attributes: {},')
  else {
    lines.push('  attributes: {')
    for (const attribute of plan.attributes) {
      const options = Object.keys(attribute.options).length > 0 ? value(attribute.options, 2) : ''
      lines.push(`    ${propertyKey(attribute.key)}: attr.${attribute.builder}(${options}),`)
    }
    lines.push('  },')
  }
  if (plan.belongsTo.length > 0) {
    lines.push('  relationships: {')
    for (const relation of plan.belongsTo) {
      const target = relation.loose ? `(): AnyResource => ${relation.target}` : `() => ${relation.target}`
      const options = Object.keys(relation.options).length > 0 ? `, ${value(relation.options, 2)}` : ''
      lines.push(`    ${propertyKey(relation.name)}: belongsTo(${target}${options}),`)
    }
    lines.push('  },')
  }
  if (Object.keys(plan.identities).length > 0) lines.push(`  identities: ${value(plan.identities, 1)},`)
  lines.push('  sqlite: {', `    repo: ${repoVar},`, `    table: ${str(plan.table)},`)
  if (plan.strict) lines.push('    strict: true,')
  const references = plan.belongsTo.filter((relation) => relation.reference !== null)
  if (references.length > 0) {
    lines.push('    references: {')
    for (const relation of references) {
      const onDelete = referenceOption(relation.reference?.onDelete ?? '')
      const onUpdate = referenceOption(relation.reference?.onUpdate ?? '')
      lines.push(`      ${propertyKey(relation.name)}: { onDelete: ${str(onDelete)}, onUpdate: ${str(onUpdate)} },`)
    }
    lines.push('    },')
  }
  const sections: Array<[string, PlanValue, boolean]> = [
    ['identityIndexNames', plan.identityIndexNames, Object.keys(plan.identityIndexNames).length > 0],
    [
      'customIndexes',
      plan.customIndexes.map((index) => ({
        fields: index.fields,
        name: index.name,
        ...(index.unique ? { unique: true } : {}),
        ...(index.where === null ? {} : { where: index.where }),
      })),
      plan.customIndexes.length > 0,
    ],
    ['checkConstraints', plan.checkConstraints, plan.checkConstraints.length > 0],
    ['migrationTypes', plan.migrationTypes, Object.keys(plan.migrationTypes).length > 0],
    ['migrationDefaults', plan.migrationDefaults, Object.keys(plan.migrationDefaults).length > 0],
    ['customStatements', plan.customStatements, plan.customStatements.length > 0],
  ]
  for (const [name, section, present] of sections) if (present) lines.push(`    ${name}: ${value(section, 2)},`)
  lines.push('  },', '})')
  return lines
}

/** A TypeScript literal; short objects and arrays on one line, longer ones one entry per line. */
function value(item: PlanValue, depth: number): string {
  if (typeof item === 'string') return str(item)
  if (typeof item === 'number' || typeof item === 'boolean' || item === null) return String(item)
  const pad = '  '.repeat(depth + 1)
  const close = '  '.repeat(depth)
  if (Array.isArray(item)) {
    const parts = item.map((entry) => value(entry, depth + 1))
    const inline = `[${parts.join(', ')}]`
    return inline.length <= 80 && !inline.includes('\n')
      ? inline
      : `[\n${parts.map((part) => `${pad}${part},`).join('\n')}\n${close}]`
  }
  const entries = Object.entries(item as Record<string, PlanValue>).map(
    ([key, entry]) => `${propertyKey(key)}: ${value(entry, depth + 1)}`,
  )
  const inline = `{ ${entries.join(', ')} }`
  return inline.length <= 80 && !inline.includes('\n')
    ? inline
    : `{\n${entries.map((entry) => `${pad}${entry},`).join('\n')}\n${close}}`
}

/** A string literal: single quotes, or a template literal for SQL that spans lines. */
function str(text: string): string {
  if (text.includes('\n')) return `\`${text.replace(/[\\`]/g, '\\$&').replace(/\$\{/g, '\\${')}\``
  return `'${text.replace(/[\\']/g, '\\$&').replace(/\r/g, '\\r')}'`
}

function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : str(key)
}

function variableName(name: string, suffix: string): string {
  const base = camelCase(name.replace(/[^A-Za-z0-9_]+/g, '_'))
  return /^[A-Za-z_$]/.test(base) ? `${base}${suffix}` : `_${base}${suffix}`
}
