import { describe, expect, test } from 'vitest'
import { defineRepo } from './define-repo.js'
import { ResourceDefinitionError } from './errors.js'

const admin = { url: 'http://127.0.0.1:9090', namespace: 'tenant-1', authToken: 'admin-key' }

describe('defineRepo: databases that are sqld namespaces', () => {
  test('keeps a target admin (URL, namespace, auth key)', async () => {
    const repo = defineRepo({
      name: 'tenants',
      databases: [
        { name: 't1', url: 'http://localhost:8080/dev/tenant-1/', admin },
        { name: 't2', url: 'file:t2.db' },
      ],
    })
    expect(await repo.databases()).toEqual([
      { name: 't1', url: 'http://localhost:8080/dev/tenant-1/', admin },
      { name: 't2', url: 'file:t2.db' },
    ])
  })

  test.each([
    [
      { url: 'http://127.0.0.1:9090' },
      'tenants.databases[0].admin.namespace: namespace name must be a non-empty string',
    ],
    [{ ...admin, namespace: 'a/b' }, 'tenants.databases[0].admin.namespace: namespace name "a/b" has characters'],
    [{ ...admin, url: 'ftp://host' }, 'tenants.databases[0].admin.url: admin API URL is not an http(s) base URL'],
    [{ ...admin, url: 'http://host:1/v1?key=s3cret' }, 'tenants.databases[0].admin.url: admin API URL is not'],
    [{ ...admin, port: 1 }, 'tenants.databases[0].admin.port: unknown option "port"'],
    ['http://host', 'tenants.databases[0].admin: a namespace admin ({ url, namespace, authToken? }) must be an object'],
  ])('rejects admin %j', (value, message) => {
    const define = () =>
      defineRepo({ name: 'tenants', databases: [{ name: 't1', url: 'http://x', admin: value as never }] })
    expect(define).toThrow(ResourceDefinitionError)
    expect(define).toThrow(message)
    expect(() => define()).not.toThrow(/s3cret/)
  })
})
