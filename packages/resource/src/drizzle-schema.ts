/**
 * The Drizzle schema of a set of resources: their tables keyed by SQL table name, and drizzle-orm 1.0
 * relations (v2, `defineRelations`) built from their relationships, so
 * `drizzle({ connection, relations: blog.relations })` answers `db.query.users.findMany({ with: { posts: true } })`
 * with no relation written by hand. Types follow the resources: `with` keys are relationship names and results
 * nest the target rows.
 */
import { type AnyRelation, defineRelations, type Many, type One } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { IsAny } from './column-types.js'
import { type RelationKeys, relationKeysOf } from './relation-keys.js'
import type { BelongsTo, HasMany, HasOne, ManyToMany, TargetOf } from './relationships.js'
import type { AnyResource } from './resource.js'

/** Every table of the resources, keyed by SQL table name (the first resource of a shared table wins). */
export type SchemaTables<TResource extends AnyResource> = {
  [R in TResource as R['tableName']]: R['table']
}

/** The Drizzle relation of one relationship, or never when its target is not among the tables. */
type RelationOf<TRelationship, TTableName extends string> =
  TRelationship extends BelongsTo<infer TThunk, infer O>
    ? TargetOf<TThunk>['tableName'] extends TTableName
      ? One<TargetOf<TThunk>['tableName'], O extends { allowNull: false } | { primaryKey: true } ? false : true>
      : never
    : TRelationship extends HasMany<infer TThunk, any>
      ? TargetOf<TThunk>['tableName'] extends TTableName
        ? Many<TargetOf<TThunk>['tableName']>
        : never
      : TRelationship extends HasOne<infer TThunk, any>
        ? TargetOf<TThunk>['tableName'] extends TTableName
          ? One<TargetOf<TThunk>['tableName'], true>
          : never
        : TRelationship extends ManyToMany<infer TThunk, any>
          ? TargetOf<TThunk>['tableName'] extends TTableName
            ? Many<TargetOf<TThunk>['tableName']>
            : never
          : never

/** The relations of one resource, keyed by relationship name; relationships to tables outside are left out. */
export type ResourceRelations<TResource extends AnyResource, TTableName extends string> =
  IsAny<TResource['relationships']> extends true
    ? Record<string, AnyRelation>
    : KnownResourceRelations<TResource, TTableName>

type KnownResourceRelations<TResource extends AnyResource, TTableName extends string> = {
  [K in keyof TResource['relationships'] & string as [RelationOf<TResource['relationships'][K], TTableName>] extends [
    never,
  ]
    ? never
    : K]: RelationOf<TResource['relationships'][K], TTableName>
}

/** What `defineRelations` returns for these resources: drizzle's `TablesRelationalConfig`, exactly typed. */
export type SchemaRelations<TResource extends AnyResource> = {
  [R in TResource as R['tableName']]: {
    table: R['table']
    name: R['tableName']
    relations: ResourceRelations<R, TResource['tableName']>
  }
}

/** The Drizzle schema of some resources: what `domain.tables` and `domain.relations` hold. */
export interface DrizzleSchema<TResource extends AnyResource = AnyResource> {
  /** Every table, keyed by its SQL table name. */
  readonly tables: SchemaTables<TResource>
  /** drizzle-orm relations v2 for `drizzle({ connection, relations })`. */
  readonly relations: SchemaRelations<TResource>
}

/** Tables keyed by table name; resources sharing a table contribute the first resource's table. */
export function tablesOf(resources: readonly AnyResource[]): Record<string, SQLiteTable> {
  const tables: Record<string, SQLiteTable> = {}
  for (const resource of resources) {
    if (!Object.hasOwn(tables, resource.tableName)) tables[resource.tableName] = resource.table as SQLiteTable
  }
  return tables
}

type RelationBuilder = Record<string, any>

/**
 * Drizzle relations for the resources' relationships whose targets (and join resources) are among the tables.
 * Every relation names its columns on both sides (`from`/`to`), so several relationships between the same two
 * tables need no aliases.
 */
export function relationsOf(resources: readonly AnyResource[]): Record<string, unknown> {
  const tables = tablesOf(resources)
  const owners = new Map<string, AnyResource[]>()
  for (const resource of resources)
    owners.set(resource.tableName, [...(owners.get(resource.tableName) ?? []), resource])
  const relationKeys = resources.map((resource) => ({ resource, keys: relationKeysOf(resource) }))
  return defineRelations(tables, (r: RelationBuilder) => {
    const config: Record<string, Record<string, AnyRelation>> = {}
    for (const { resource, keys } of relationKeys) {
      if ((owners.get(resource.tableName) ?? [])[0] !== resource) continue
      const relations: Record<string, AnyRelation> = {}
      for (const relation of keys) {
        if (!isAmong(relation, tables, owners)) continue
        relations[relation.name] = drizzleRelation(r, resource, relation)
      }
      config[resource.tableName] = relations
    }
    return config
  }) as Record<string, unknown>
}

function isAmong(
  relation: RelationKeys,
  tables: Record<string, SQLiteTable>,
  owners: ReadonlyMap<string, AnyResource[]>,
): boolean {
  const among = (resource: AnyResource) =>
    Object.hasOwn(tables, resource.tableName) && (owners.get(resource.tableName) ?? [])[0] === resource
  return among(relation.target) && (relation.through === null || among(relation.through.resource))
}

function drizzleRelation(r: RelationBuilder, source: AnyResource, relation: RelationKeys): AnyRelation {
  const columns = (resource: AnyResource, keys: readonly string[]) =>
    keys.map((key) => r[resource.tableName][key] as { through(column: unknown): unknown })
  let from: unknown[] = columns(source, relation.from)
  let to: unknown[] = columns(relation.target, relation.to)
  if (relation.through) {
    const join = relation.through
    const joinFrom = columns(join.resource, join.from)
    const joinTo = columns(join.resource, join.to)
    from = (from as { through(column: unknown): unknown }[]).map((column, index) => column.through(joinFrom[index]))
    to = (to as { through(column: unknown): unknown }[]).map((column, index) => column.through(joinTo[index]))
  }
  const one = (list: unknown[]) => (list.length === 1 ? list[0] : list)
  const config = { from: one(from), to: one(to) }
  return relation.kind === 'one'
    ? r.one[relation.target.tableName]({ ...config, optional: relation.optional })
    : r.many[relation.target.tableName](config)
}

/** Lazy `tables` and `relations` getters over a list of resources, each built once on first read. */
export function lazySchema<TResource extends AnyResource>(resources: readonly AnyResource[]): DrizzleSchema<TResource> {
  let tables: Record<string, SQLiteTable> | undefined
  let relations: Record<string, unknown> | undefined
  return {
    get tables() {
      tables ??= tablesOf(resources)
      return tables as DrizzleSchema<TResource>['tables']
    },
    get relations() {
      relations ??= relationsOf(resources)
      return relations as DrizzleSchema<TResource>['relations']
    },
  }
}
