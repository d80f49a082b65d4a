import { GenerateError } from './errors.js'
import type { DirectionPlan, PlanStep } from './migration-plan.js'
import type { RebuildRenderer } from './rebuild-renderers.js'

/** The marker drizzle-orm's migrator and ours split migration files on. */
const BREAKPOINT_MARKER = '--> statement-breakpoint'

/**
 * The last step of the pipeline: the plan's steps as statements, rebuilds rendered for the target.
 *
 * Migration files are split on `--> statement-breakpoint` by every migrator (drizzle-orm's included), with no
 * regard for quotes or comments: a statement holding the marker (in a string default, a comment of a custom
 * statement) would be cut in two and never apply. It cannot be escaped, so it is refused here, naming where it
 * comes from.
 */
export function renderPlan(plan: DirectionPlan, renderer: RebuildRenderer): string[] {
  const statements: string[] = []
  for (const step of plan.steps) {
    const rendered = step.kind === 'rebuild' ? renderer.render(step.rebuild) : [step.sql]
    for (const sql of rendered) {
      if (sql.includes(BREAKPOINT_MARKER)) throw breakpointError(step, sql)
      statements.push(sql)
    }
  }
  return statements
}

function breakpointError(step: PlanStep, sql: string): GenerateError {
  const where =
    step.kind === 'rebuild'
      ? `the rebuild of table ${step.rebuild.table}`
      : (step.label ?? `a statement written by ${step.origin}`)
  const shown = sql.length > 200 ? `${sql.slice(0, 200)}...` : sql
  return new GenerateError(
    `${where} contains the text "${BREAKPOINT_MARKER}", which migrators split migration files on, so the ` +
      `migration could never apply:\n  ${shown.replaceAll('\n', '\n  ')}\n` +
      'Remove it from the default, expression or custom statement (in a string, write it as ' +
      `'--' || '> statement-breakpoint'). Nothing was written.`,
    { code: 'statement_breakpoint_in_sql' },
  )
}
