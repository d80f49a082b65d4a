import { describe, expect, expectTypeOf, test } from 'vitest'
import { blog, Post, User } from './__fixtures__/blog.js'
import { defineRepo, isD1Repo, isDomain, isRepo, isResource } from './index.js'

describe('defineRepo', () => {
  test('one database', () => {
    const repo = defineRepo({ name: 'main', url: 'libsql://db.example.com', authToken: 'secret' })
    expect(repo).toEqual({ kind: 'repo', name: 'main', url: 'libsql://db.example.com', authToken: 'secret' })
    expectTypeOf(repo.name).toEqualTypeOf<'main'>()
    expect(Object.isFrozen(repo)).toBe(true)
    expect(defineRepo({ name: 'main', url: 'file:data/main.db' })).toEqual({
      kind: 'repo',
      name: 'main',
      url: 'file:data/main.db',
    })
  })

  test('a fleet given as a list', async () => {
    const targets = [
      { name: 'tenant_a', url: 'file:a.db' },
      { name: 'tenant_b', url: 'libsql://b.example.com', authToken: 't' },
    ]
    const repo = defineRepo({ name: 'tenants', databases: targets })
    targets.pop()
    expect(repo.kind).toBe('repo')
    expect(repo.url).toBeUndefined()
    expect(await repo.databases()).toEqual([
      { name: 'tenant_a', url: 'file:a.db' },
      { name: 'tenant_b', url: 'libsql://b.example.com', authToken: 't' },
    ])
  })

  test('a fleet given as a function is called each time', async () => {
    let calls = 0
    const repo = defineRepo({
      name: 'tenants',
      databases: async () => {
        calls++
        return [{ name: `t${calls}`, url: `file:t${calls}.db` }]
      },
    })
    expect(await repo.databases()).toEqual([{ name: 't1', url: 'file:t1.db' }])
    expect(await repo.databases()).toEqual([{ name: 't2', url: 'file:t2.db' }])
  })
})

describe('defineRepo for Cloudflare D1', () => {
  test('a binding, optional database id and local state directory', () => {
    const repo = defineRepo({ name: 'edge', dialect: 'd1', binding: 'DB' })
    expect(repo).toEqual({ kind: 'repo', name: 'edge', dialect: 'd1', binding: 'DB' })
    expectTypeOf(repo.dialect).toEqualTypeOf<'d1'>()
    expect(isD1Repo(repo)).toBe(true)
    expect(isRepo(repo)).toBe(true)
    expect(Object.isFrozen(repo)).toBe(true)
    const full = defineRepo({ name: 'edge', dialect: 'd1', binding: 'DB', databaseId: 'abc', persistTo: '.state' })
    expect(full).toMatchObject({ databaseId: 'abc', persistTo: '.state' })
    expect(isD1Repo(defineRepo({ name: 'main', url: 'file:x.db' }))).toBe(false)
  })

  test('bad D1 definitions name the option and the fix', () => {
    const attempts: [unknown, RegExp][] = [
      [{ name: 'edge', dialect: 'd1' }, /binding/],
      [{ name: 'edge', dialect: 'd1', binding: 'my db' }, /binding name "my db" is not an identifier/],
      [{ name: 'edge', dialect: 'd1', binding: 'DB', url: 'file:x.db' }, /url.*is set on a D1 repo/s],
      [{ name: 'edge', dialect: 'postgres', binding: 'DB' }, /dialect "postgres" is not one of 'd1'/],
      [{ name: 'edge', dialect: 'd1', binding: 'DB', bindings: 'x' }, /bindings/],
    ]
    for (const [config, message] of attempts) {
      expect(() => defineRepo(config as never)).toThrow(message)
    }
  })
})

describe('brand checks (no instanceof: a config may see a second copy of this module)', () => {
  test('recognise the real objects', () => {
    expect(isRepo(User.repo)).toBe(true)
    expect(isResource(Post)).toBe(true)
    expect(isDomain(blog)).toBe(true)
    expect(blog).toMatchObject({ kind: 'domain', name: 'blog', resources: [User, Post] })
  })

  test('recognise structurally equal objects from another copy', () => {
    expect(isRepo({ kind: 'repo', name: 'main', url: 'file:x.db' })).toBe(true)
    expect(isResource({ ...Post })).toBe(true)
    expect(isDomain({ kind: 'domain', name: 'x', resources: [] })).toBe(true)
  })

  test('reject everything else', () => {
    for (const value of [null, undefined, 'repo', {}, { kind: 'resource' }, User.repo])
      expect(isResource(value)).toBe(false)
    for (const value of [null, { kind: 'repo' }, Post]) expect(isRepo(value)).toBe(false)
    for (const value of [null, { kind: 'domain', name: 'x' }, Post]) expect(isDomain(value)).toBe(false)
  })
})
