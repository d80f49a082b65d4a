import { attr, defineDomain, defineResource } from '@ash-sqlite/resource'
import { analytics as analyticsRepo } from './repos.js'

/**
 * Page views and the like, in their own database so that writing them never contends with the blog's
 * writes. A STRICT table: SQLite rejects a value of the wrong type instead of storing it as it comes.
 * `userId` points at main's users, but foreign keys cannot cross databases, so it is a plain uuid.
 */
export const Event = defineResource({
  name: 'Event',
  attributes: {
    id: attr.integerPrimaryKey(),
    name: attr.enum(['page_view', 'sign_in', 'comment_posted'], { allowNull: false }),
    userId: attr.uuid(),
    path: attr.string(),
    properties: attr.json<Record<string, string | number>>({ allowNull: false, default: {} }),
    occurredAt: attr.createTimestamp(),
  },
  sqlite: {
    repo: analyticsRepo,
    table: 'events',
    strict: true,
    customIndexes: [{ fields: ['name', 'occurredAt'] }],
  },
})

export const analytics = defineDomain({ name: 'analytics', resources: [Event] })
