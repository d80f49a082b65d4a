import { describe, expect, it } from 'vitest'
import { createRedactor, redactError, redactUrl, secretsOf } from './redact-url.js'

describe('redactUrl', () => {
  it.each([
    ['libsql://db.example.com?authToken=abc.def.ghi', 'libsql://db.example.com'],
    ['https://db.example.com/?tls=1&authToken=abc&x=2', 'https://db.example.com/?tls=1&x=2'],
    ['http://user:secret-pass@127.0.0.1:8080/dev/t1/', 'http://127.0.0.1:8080/dev/t1/'],
    ['wss://token-as-user@db.example.com', 'wss://db.example.com'],
    ['libsql://db.example.com?AUTHTOKEN=abc#frag', 'libsql://db.example.com#frag'],
    ['file:data/main.db', 'file:data/main.db'],
    ['file:///var/db/main.db?mode=ro', 'file:///var/db/main.db?mode=ro'],
  ])('%s -> %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted)
  })
})

describe('createRedactor', () => {
  it('replaces the raw URL by its redacted form and every secret, also percent-encoded', () => {
    const url = 'http://alice:p%40ssword@db.example.com?authToken=tok/en+1'
    const redact = createRedactor(url, 'option-token-xyz')
    expect(secretsOf(url, 'option-token-xyz').sort()).toEqual(
      ['alice', 'option-token-xyz', 'p@ssword', 'tok/en+1'].sort(),
    )
    expect(redact(`failed to reach ${url}`)).toBe('failed to reach http://db.example.com')
    expect(redact('header option-token-xyz, token tok%2Fen%2B1, pass p@ssword')).toBe('header ***, token ***, pass ***')
  })

  it('leaves texts without secrets alone, and ignores secrets too short to be real', () => {
    const redact = createRedactor('http://db.example.com', 'ab')
    expect(redact('a about ab')).toBe('a about ab')
  })
})

describe('redactError', () => {
  it('keeps an error that shows no secret, replaces one whose cause does', () => {
    const redact = createRedactor('http://db.example.com', 'SECRET-TOKEN')
    const clean = new Error('no such table: users')
    expect(redactError(clean, redact)).toBe(clean)
    const leaky = Object.assign(new Error('request failed', { cause: new Error('Bearer SECRET-TOKEN rejected') }), {
      code: 'SERVER_ERROR',
    })
    const safe = redactError(leaky, redact)
    expect(safe).not.toBe(leaky)
    expect(safe).toMatchObject({ message: 'request failed', code: 'SERVER_ERROR' })
    expect(String((safe as Error).stack)).not.toContain('SECRET-TOKEN')
  })
})
