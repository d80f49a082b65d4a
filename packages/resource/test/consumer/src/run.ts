// Queries through drizzle with the domain's relations, from CommonJS (`require` all the way down).
import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { blog, User } from './schema'

export async function run(url: string, ddl: string[]): Promise<unknown> {
  const client = createClient({ url })
  try {
    for (const statement of ddl) await client.execute(statement)
    const db = drizzle({ client, relations: blog.relations })
    const [user] = await db.insert(User.table).values({ email: 'ada@example.com' }).returning({ id: User.table.id })
    await db.insert(blog.tables.posts).values({ title: 'Engines', authorId: user!.id })
    await db.insert(blog.tables.groups).values({ id: 1, name: 'math' })
    await db.insert(blog.tables.memberships).values({ userId: user!.id, groupId: 1 })
    const users = await db.query.users.findMany({
      columns: { email: true, role: true, visits: true },
      with: { posts: { columns: { title: true } }, groups: { columns: { name: true } } },
    })
    const first = users[0]
    // Typed through the declarations: a wrong property would not compile.
    const title: string | undefined = first?.posts[0]?.title
    return { users: users.map((row) => ({ ...row, visits: String(row.visits) })), title }
  } finally {
    client.close()
  }
}
