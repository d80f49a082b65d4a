/**
 * Relationships. `belongsTo` defines the source attribute (`author` -> `authorId`, column `author_id`),
 * typed like the destination key, and a foreign key. `hasMany` and `hasOne` only describe the other side
 * (for typing and introspection) and create no columns.
 *
 * Targets are thunks because resources refer to each other. When two resources refer to each other,
 * TypeScript needs one of the thunks annotated, as with Drizzle's self references:
 * `posts: hasMany((): AnyResource => Post)`.
 */
import type { KeyAttributeType } from './attribute-types.js'
import type { AnyResource } from './resource.js'

export interface BelongsToOptions {
  /** Default true. `false` makes the key column NOT NULL. */
  allowNull?: boolean
  /** Name of the source attribute (row property); default `<relationship>Id`. Its column is its snake_case. */
  attribute?: string
  /** Column name of the source attribute; default the attribute name in snake_case. */
  source?: string
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
  /** Attribute on the target that points back; default `<sourceResourceName in camelCase>Id`. */
  destinationAttribute?: string
  /** Attribute of this resource it points at; default its primary key. */
  sourceAttribute?: string
  description?: string
}

export interface BelongsTo<TTarget extends AnyResource = AnyResource, O extends BelongsToOptions = BelongsToOptions> {
  readonly kind: 'relationship'
  readonly type: 'belongsTo'
  readonly target: () => TTarget
  readonly options: O
}

export interface HasMany<TTarget extends AnyResource = AnyResource, O extends HasOptions = HasOptions> {
  readonly kind: 'relationship'
  readonly type: 'hasMany'
  readonly target: () => TTarget
  readonly options: O
}

export interface HasOne<TTarget extends AnyResource = AnyResource, O extends HasOptions = HasOptions> {
  readonly kind: 'relationship'
  readonly type: 'hasOne'
  readonly target: () => TTarget
  readonly options: O
}

export type AnyRelationship = BelongsTo<any, BelongsToOptions> | HasMany<any, HasOptions> | HasOne<any, HasOptions>

export function belongsTo<TTarget extends AnyResource, const O extends BelongsToOptions = {}>(
  target: () => TTarget,
  options?: O,
): BelongsTo<TTarget, O> {
  return relationship('belongsTo', target, options) as BelongsTo<TTarget, O>
}

export function hasMany<TTarget extends AnyResource, const O extends HasOptions = {}>(
  target: () => TTarget,
  options?: O,
): HasMany<TTarget, O> {
  return relationship('hasMany', target, options) as HasMany<TTarget, O>
}

export function hasOne<TTarget extends AnyResource, const O extends HasOptions = {}>(
  target: () => TTarget,
  options?: O,
): HasOne<TTarget, O> {
  return relationship('hasOne', target, options) as HasOne<TTarget, O>
}

function relationship(type: AnyRelationship['type'], target: unknown, options: unknown): AnyRelationship {
  const copied = typeof options === 'object' && options !== null ? { ...options } : options === undefined ? {} : options
  return Object.freeze({ kind: 'relationship', type, target, options: copied }) as AnyRelationship
}

export function isRelationship(value: unknown): value is AnyRelationship {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'relationship'
}
