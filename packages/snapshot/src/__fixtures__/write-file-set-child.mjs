// Child process for the kill tests: runs writeFileSet and, when told to, announces PAUSED at one step and
// waits there forever, so the test can SIGKILL it at exactly that point.
// argv: <package index.js URL> <config JSON file>; config: { entries, stagingDir, pauseAt, pauseAtPlaced }
import { readFile } from 'node:fs/promises'

const [packageUrl, configFile] = process.argv.slice(2)
const { writeFileSet } = await import(packageUrl)
const { entries, stagingDir, pauseAt, pauseAtPlaced = 1 } = JSON.parse(await readFile(configFile, 'utf8'))

let placed = 0
const pauseForever = () => {
  process.stdout.write('PAUSED\n')
  return new Promise(() => setInterval(() => {}, 60_000))
}

await writeFileSet(entries, {
  stagingDir,
  onProgress: (event) => {
    if (event.kind === 'placed') placed++
    if (event.kind === pauseAt && (event.kind !== 'placed' || placed === pauseAtPlaced)) return pauseForever()
  },
})
process.stdout.write('DONE\n')
