/** Stable, machine-readable codes of resource definition errors. */
export type ResourceDefinitionErrorCode =
  | 'unknown_type'
  | 'duplicate_column'
  | 'unknown_attribute'
  | 'unknown_relationship'
  | 'cross_repo_relationship'
  | 'missing_table'
  | 'missing_repo'
  | 'invalid_identifier'
  | 'conflicting_table_definition'
  | 'invalid_option'
  | 'exceeds_sqlite_limit'

export interface ResourceDefinitionErrorDetails {
  code: ResourceDefinitionErrorCode
  /** Resource (or repo/domain) name the error is about. */
  resource: string
  /** The attribute, relationship or option at fault, e.g. `attributes.email` or `sqlite.references.author`. */
  path?: string | undefined
  /** What is wrong. */
  problem: string
  /** How to fix it. */
  fix: string
}

/**
 * Thrown at definition time for a resource, repo or domain that cannot be compiled. The message names the
 * resource, the attribute or option, what is wrong and how to fix it; `code` is stable for programs.
 */
export class ResourceDefinitionError extends Error {
  override readonly name = 'ResourceDefinitionError'
  readonly code: ResourceDefinitionErrorCode
  readonly resource: string
  readonly path: string | undefined

  constructor(details: ResourceDefinitionErrorDetails) {
    const where = details.path ? `${details.resource}.${details.path}` : details.resource
    super(`${where}: ${details.problem}. ${details.fix}`)
    this.code = details.code
    this.resource = details.resource
    this.path = details.path
  }
}
