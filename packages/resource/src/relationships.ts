/**
 * Relationships. `belongsTo` defines the source attribute (`author` -> `authorId`, column `author_id`),
 * typed like the destination key, and a foreign key. `hasMany`, `hasOne` and `manyToMany` describe the other side
 * (for Drizzle relations) and create no columns.
 *
 * Targets are thunks because resources refer to each other. `hasMany`, `hasOne` and `manyToMany` need no type
 * annotation for that; two resources that each `belongsTo` the other (a true cycle of key types) need one
 * thunk annotated, as with Drizzle's self references: `belongsTo((): AnyResource => Post, { attributeType: 'uuid' })`.
 */
import type { KeyAttributeType } from './attribute-types.js'
import type { AnyResource } from './resource.js'

export interface BelongsToOptions {
  /**
   * A composite foreign key over attributes the resource already defines (in key order); the relationship then
   * defines no attribute itself. Pair with `destinationAttributes` (default: the target's primary key).
   */
  attributes?: readonly string[]
  /** The target's attributes a composite key points at, position by position with `attributes`. */
  destinationAttributes?: readonly string[]
  /** Default true. `false` makes the key column NOT NULL. */
  allowNull?: boolean
  /** Name of the source attribute (row property); default `<relationship>Id`. Its column is its snake_case. */
  attribute?: string
  /** Attribute of the target the key points at; default the target's primary key. */
  destinationAttribute?: string
  /**
   * Type of the source attribute; default the destination attribute's type. Needed for precise typing when
   * the target thunk is annotated as `AnyResource` (self references, cycles).
   */
  attributeType?: KeyAttributeType
  /** Make the key (part of) the primary key, as in join resources. */
  primaryKey?: boolean
  /** The key column's previous name. */
  renamedFrom?: string
  description?: string
}

export interface HasOptions {
  /**
   * Attribute on the target that points back. Default: the key of the target's one belongsTo to this resource,
   * else `<sourceResourceName in camelCase>Id`.
   */
  destinationAttribute?: string
  /** Attribute of this resource it points at; default what that belongsTo points at (the primary key). */
  sourceAttribute?: string
  description?: string
}

export interface ManyToManyOptions {
  /** The join resource: one row per pair, with a belongsTo to each side. */
  through: ResourceThunk
  /** Key on the join resource that points at this resource; default the join's one belongsTo to it. */
  sourceAttributeOnJoinResource?: string
  /** Key on the join resource that points at the target; default the join's one belongsTo to the target. */
  destinationAttributeOnJoinResource?: string
  /** Attribute of this resource the join points at; default its primary key. */
  sourceAttribute?: string
  /** Attribute of the target the join points at; default its primary key. */
  destinationAttribute?: string
  description?: string
}

/** A relationship target: a thunk returning a resource, kept lazy so resources may refer to each other. */
export type ResourceThunk = () => any

/** The resource a relationship's thunk returns. */
export type TargetOf<TThunk> = TThunk extends () => infer T ? (T extends AnyResource ? T : never) : never

export interface BelongsTo<
  TThunk extends ResourceThunk = () => AnyResource,
  O extends BelongsToOptions = BelongsToOptions,
> {
  readonly kind: 'relationship'
  readonly type: 'belongsTo'
  readonly target: TThunk
  readonly options: O
}

/**
 * Relationships keep the thunk's own type (`() => typeof Post`) instead of the resource type, so that
 * TypeScript resolves the target only when a relation type is read (in `Domain.relations`), after both
 * resources are defined. This is what lets two resources refer to each other without a type annotation.
 */
export interface HasMany<TThunk extends ResourceThunk = () => AnyResource, O extends HasOptions = HasOptions> {
  readonly kind: 'relationship'
  readonly type: 'hasMany'
  readonly target: TThunk
  readonly options: O
}

export interface HasOne<TThunk extends ResourceThunk = () => AnyResource, O extends HasOptions = HasOptions> {
  readonly kind: 'relationship'
  readonly type: 'hasOne'
  readonly target: TThunk
  readonly options: O
}

export interface ManyToMany<
  TThunk extends ResourceThunk = () => AnyResource,
  O extends ManyToManyOptions = ManyToManyOptions,
> {
  readonly kind: 'relationship'
  readonly type: 'manyToMany'
  readonly target: TThunk
  readonly options: O
}

export type AnyRelationship =
  | BelongsTo<any, BelongsToOptions>
  | HasMany<any, HasOptions>
  | HasOne<any, HasOptions>
  | ManyToMany<any, ManyToManyOptions>

export function belongsTo<const TThunk extends ResourceThunk, const O extends BelongsToOptions = {}>(
  target: TThunk,
  options?: O,
): BelongsTo<TThunk, O> {
  return relationship('belongsTo', target, options) as BelongsTo<TThunk, O>
}

export function hasMany<const TThunk extends ResourceThunk, const O extends HasOptions = {}>(
  target: TThunk,
  options?: O,
): HasMany<TThunk, O> {
  return relationship('hasMany', target, options) as HasMany<TThunk, O>
}

export function hasOne<const TThunk extends ResourceThunk, const O extends HasOptions = {}>(
  target: TThunk,
  options?: O,
): HasOne<TThunk, O> {
  return relationship('hasOne', target, options) as HasOne<TThunk, O>
}

/** Ash's many_to_many: rows of the target reached through a join resource (`through`). Creates no columns. */
export function manyToMany<const TThunk extends ResourceThunk, const O extends ManyToManyOptions>(
  target: TThunk,
  options: O,
): ManyToMany<TThunk, O> {
  return relationship('manyToMany', target, options) as ManyToMany<TThunk, O>
}

function relationship(type: AnyRelationship['type'], target: unknown, options: unknown): AnyRelationship {
  const copied = typeof options === 'object' && options !== null ? { ...options } : options === undefined ? {} : options
  return Object.freeze({ kind: 'relationship', type, target, options: copied }) as AnyRelationship
}

export function isRelationship(value: unknown): value is AnyRelationship {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'relationship'
}
