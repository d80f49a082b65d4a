// Child process for the permission tests: runs writeFileSet once (as another user when the test is root) and
// prints one JSON line: { ok: true } or { ok: false, code, file, message }.
// argv: <package index.js URL> <config JSON file>; config: { entries, stagingDir }
import { readFile } from 'node:fs/promises'

const [packageUrl, configFile] = process.argv.slice(2)
const { writeFileSet } = await import(packageUrl)
const { entries, stagingDir } = JSON.parse(await readFile(configFile, 'utf8'))
try {
  await writeFileSet(entries, { stagingDir })
  process.stdout.write(`${JSON.stringify({ ok: true })}\n`)
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, code: error.code, file: error.file, message: error.message })}\n`)
}
