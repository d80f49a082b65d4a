/**
 * Writes a little data through Drizzle with the typed tables the resources compile to, and prints it.
 * Run it after `ash-sqlite migrate` (`pnpm query`). Every run can follow any other: users, posts and tags
 * are upserted by their identities, and each run adds one comment and a few events.
 */
import { count, eq, inArray } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/libsql'
import { analyticsRepo, blog, Comment, Event, mainRepo, Post, PostTag, Tag, User } from './domain/index.js'

// The blog's relations come from its resources' relationships: db.query.posts.findMany({ with: { author: true } }).
const mainDb = drizzle({ connection: { url: mainRepo.url, authToken: mainRepo.authToken }, relations: blog.relations })
const analyticsDb = drizzle({ connection: { url: analyticsRepo.url, authToken: analyticsRepo.authToken } })

type NewUser = typeof User.table.$inferInsert
type NewPost = Omit<typeof Post.table.$inferInsert, 'authorId'> & { author: string }

const people: NewUser[] = [
  { email: 'ada@example.com', handle: 'ada', displayName: 'Ada Lovelace', role: 'admin' },
  { email: 'grace@example.com', handle: 'grace', displayName: 'Grace Hopper', role: 'author' },
]

const articles: (NewPost & { tags: string[] })[] = [
  {
    slug: 'notes-on-the-engine',
    title: 'Notes on the Analytical Engine',
    author: 'ada@example.com',
    status: 'published',
    publishedAt: new Date('2024-03-01T09:00:00Z'),
    tags: ['history', 'computing'],
  },
  {
    slug: 'a-bug-in-the-relay',
    title: 'A bug in the relay',
    author: 'grace@example.com',
    status: 'published',
    publishedAt: new Date('2024-04-15T16:30:00Z'),
    tags: ['debugging', 'computing'],
  },
  { slug: 'compilers-draft', title: 'Compilers (draft)', author: 'grace@example.com', tags: ['computing'] },
]

async function seedBlog(): Promise<Map<string, string>> {
  const userIds = new Map<string, string>()
  for (const person of people) {
    // Upsert on the uniqueEmail identity: a second run updates instead of failing.
    const [user] = await mainDb
      .insert(User.table)
      .values(person)
      .onConflictDoUpdate({ target: User.table.email, set: { displayName: person.displayName } })
      .returning({ id: User.table.id, email: User.table.email })
    if (user !== undefined) userIds.set(user.email, user.id)
  }

  const tagNames = [...new Set(articles.flatMap((article) => article.tags))]
  await mainDb
    .insert(Tag.table)
    .values(tagNames.map((name) => ({ name })))
    .onConflictDoNothing()
  const tags = await mainDb.select().from(Tag.table).where(inArray(Tag.table.name, tagNames))
  const tagIds = new Map(tags.map((tag) => [tag.name, tag.id]))

  for (const { author, tags: postTags, ...article } of articles) {
    const authorId = userIds.get(author)
    if (authorId === undefined) throw new Error(`no user ${author}`)
    const [post] = await mainDb
      .insert(Post.table)
      .values({ ...article, authorId })
      .onConflictDoUpdate({ target: Post.table.slug, set: { title: article.title } })
      .returning({ id: Post.table.id })
    if (post === undefined) continue
    const links = postTags.flatMap((name) => {
      const tagId = tagIds.get(name)
      return tagId === undefined ? [] : [{ postId: post.id, tagId }]
    })
    await mainDb.insert(PostTag.table).values(links).onConflictDoNothing()
  }
  return userIds
}

async function addComment(authorId: string | undefined): Promise<void> {
  const [post] = await mainDb
    .select({ id: Post.table.id })
    .from(Post.table)
    .where(eq(Post.table.slug, 'a-bug-in-the-relay'))
  if (post === undefined) return
  // A fresh row on every run: the uuid primary key is set by the application.
  await mainDb.insert(Comment.table).values({ postId: post.id, authorId, body: `Read at ${new Date().toISOString()}` })
}

async function recordEvents(userId: string | undefined): Promise<void> {
  await analyticsDb.insert(Event.table).values([
    { name: 'sign_in', userId },
    { name: 'page_view', userId, path: '/posts/a-bug-in-the-relay', properties: { referrer: 'search' } },
    { name: 'comment_posted', userId, properties: { length: 24 } },
  ])
}

/** The front page: published posts, newest first, with author, tags and the trigger-maintained comment count. */
async function frontPage(): Promise<
  { title: string; author: string | null; publishedAt: Date | null; comments: number; tags: string[] }[]
> {
  const posts = await mainDb.query.posts.findMany({
    columns: { title: true, publishedAt: true, commentCount: true },
    where: { status: 'published' },
    orderBy: { publishedAt: 'desc' },
    with: { author: { columns: { displayName: true } }, tags: { columns: { name: true } } },
  })
  return posts.map((post) => ({
    title: post.title,
    author: post.author.displayName,
    publishedAt: post.publishedAt,
    comments: post.commentCount,
    tags: post.tags.map((tag) => tag.name),
  }))
}

async function eventCounts(): Promise<{ name: 'page_view' | 'sign_in' | 'comment_posted'; total: number }[]> {
  return analyticsDb
    .select({ name: Event.table.name, total: count() })
    .from(Event.table)
    .groupBy(Event.table.name)
    .orderBy(Event.table.name)
}

async function main(): Promise<void> {
  const userIds = await seedBlog()
  const grace = userIds.get('grace@example.com')
  await addComment(userIds.get('ada@example.com'))
  await recordEvents(grace)

  console.log('main: published posts')
  for (const post of await frontPage()) {
    const day = post.publishedAt?.toISOString().slice(0, 10) ?? 'unpublished'
    // Tags come in no particular order: sort so that every run prints the same line.
    const tags = [...post.tags].sort().join(', ')
    console.log(`  ${day}  ${post.title} by ${post.author ?? 'anonymous'} [${tags}] ${post.comments} comment(s)`)
  }
  const [drafts] = await mainDb.select({ total: count() }).from(Post.table).where(eq(Post.table.status, 'draft'))
  console.log(`main: ${drafts?.total ?? 0} draft(s)`)

  console.log('analytics: events')
  for (const { name, total } of await eventCounts()) console.log(`  ${name.padEnd(15)} ${total}`)
}

try {
  await main()
} finally {
  mainDb.$client.close()
  analyticsDb.$client.close()
}
