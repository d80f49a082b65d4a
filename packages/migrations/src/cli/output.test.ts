import { describe, expect, it } from 'vitest'
import { captureIo } from '../test-utils/capture-io.js'
import { createPrinter, isInteractive, useColors } from './output.js'

describe('useColors', () => {
  it('colours a terminal unless NO_COLOR is set to something', () => {
    expect(useColors({ stdout: { write: () => true, isTTY: true }, env: {} })).toBe(true)
    expect(useColors({ stdout: { write: () => true, isTTY: true }, env: { NO_COLOR: '1' } })).toBe(false)
    expect(useColors({ stdout: { write: () => true, isTTY: true }, env: { NO_COLOR: '' } })).toBe(true)
    expect(useColors({ stdout: { write: () => true, isTTY: false }, env: {} })).toBe(false)
  })
})

describe('isInteractive', () => {
  const io = (tty: boolean, env: NodeJS.ProcessEnv = {}) => captureIo({ tty, env })

  it('needs terminals on stdin and stdout, outside CI', () => {
    expect(isInteractive(io(true))).toBe(true)
    expect(isInteractive(io(false))).toBe(false)
    expect(isInteractive(io(true, { CI: 'true' }))).toBe(false)
    expect(isInteractive(io(true, { CI: '1' }))).toBe(false)
    expect(isInteractive(io(true, { CI: 'false' }))).toBe(true)
    expect(isInteractive(io(true, { CI: '0' }))).toBe(true)
  })
})

describe('createPrinter', () => {
  it('prints lines and warnings on stdout, errors on stderr, and no JSON outside --json', () => {
    const io = captureIo()
    const printer = createPrinter(io, { json: false })
    printer.line('one')
    printer.warn('careful')
    printer.error('broken')
    printer.printJson({ ignored: true })
    printer.progress('1/2')

    expect(io.out()).toBe('one\nwarning: careful\n')
    expect(io.err()).toBe('broken\n')
  })

  it('prints only the JSON document on stdout with --json', () => {
    const io = captureIo()
    const printer = createPrinter(io, { json: true })
    printer.line('hidden')
    printer.warn('hidden')
    printer.printJson({ ok: true })
    printer.error('still shown')

    expect(io.out()).toBe('{\n  "ok": true\n}\n')
    expect(io.err()).toBe('still shown\n')
  })

  it('rewrites one progress line on a terminal and clears it before the next line', () => {
    const io = captureIo({ tty: true, env: { NO_COLOR: '1' } })
    const printer = createPrinter(io, { json: false })
    printer.progress('1/2')
    printer.progress('2/2')
    printer.line('done')

    expect(io.err()).toBe('\r\u001B[2K1/2\r\u001B[2K2/2\r\u001B[2K')
    expect(io.out()).toBe('done\n')
  })
})
