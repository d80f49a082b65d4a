import type { Domain, Repo, Resource } from '@ash-sqlite/resource'
import { ConfigError } from '../errors.js'

/** A repo with every resource (of any domain) that lives in it. */
export interface DiscoveredRepo {
  readonly repo: Repo
  readonly resources: readonly Resource[]
}

/**
 * Finds the repos the domains' resources use, as AshSqlite does: a repo exists because a resource names it.
 * A resource listed in several domains counts once. Two repo objects may share a name only when they
 * describe the same database (same url, or the same `databases` function); anything else is ambiguous.
 */
export function discoverRepos(domains: readonly Domain[], source: string): DiscoveredRepo[] {
  const byName = new Map<string, { repo: Repo; firstResource: string; resources: Set<Resource> }>()
  const all = uniqueResources(domains)
  refuseTargetsOutsideDomains(all, source)
  for (const resource of all) {
    const known = byName.get(resource.repo.name)
    if (known === undefined) {
      byName.set(resource.repo.name, {
        repo: resource.repo,
        firstResource: resource.name,
        resources: new Set([resource]),
      })
      continue
    }
    if (!sameDatabase(known.repo, resource.repo)) {
      throw new ConfigError(
        `${source}: two different repos are named "${resource.repo.name}" (used by resources ${known.firstResource} ` +
          `and ${resource.name}). Give each repo its own name, or define the repo once and share it.`,
      )
    }
    known.resources.add(resource)
  }
  return [...byName.values()]
    .map(({ repo, resources }) => ({ repo, resources: [...resources] }))
    .sort((a, b) => compareNames(a.repo.name, b.repo.name))
}

function uniqueResources(domains: readonly Domain[]): Set<Resource> {
  const resources = new Set<Resource>()
  for (const domain of domains) for (const resource of domain.resources) resources.add(resource)
  return resources
}

/**
 * A belongsTo whose target is in no domain: generate would see the target's table as dropped and drop it
 * while the foreign key still points at it. AshSqlite's domains list every resource; so must the config.
 */
function refuseTargetsOutsideDomains(resources: ReadonlySet<Resource>, source: string): void {
  for (const resource of resources) {
    const relationships = Object.entries((resource.relationships ?? {}) as Record<string, unknown>)
    for (const [name, relationship] of relationships) {
      const { type, target } = relationship as { type?: string; target?: () => unknown }
      if (type !== 'belongsTo' || typeof target !== 'function') continue
      const destination = target() as Resource
      if (resources.has(destination)) continue
      throw new ConfigError(
        `${source}: resource ${resource.name} belongsTo ${destination.name} (relationship ${name}), but ${destination.name} is in no domain of the config, so its table would be dropped. Add ${destination.name} to a domain (defineDomain({ resources: [...] })), or remove the relationship.`,
      )
    }
  }
}

function sameDatabase(a: Repo, b: Repo): boolean {
  if (a === b) return true
  if (a.dialect === 'd1' || b.dialect === 'd1') {
    if (a.dialect !== 'd1' || b.dialect !== 'd1') return false
    return a.binding === b.binding && a.databaseId === b.databaseId && a.persistTo === b.persistTo
  }
  if (a.databases !== undefined || b.databases !== undefined) return a.databases === b.databases
  return a.url === b.url && a.authToken === b.authToken
}

/** Code-unit order, so the order never depends on the machine's locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
