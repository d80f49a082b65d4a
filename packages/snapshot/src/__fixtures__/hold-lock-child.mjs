// Child process for the lock tests: takes the generate lock, announces LOCKED and holds it until killed.
// argv: <package index.js URL> <staging folder>
const [packageUrl, stagingDir] = process.argv.slice(2)
const { withGenerateLock } = await import(packageUrl)

await withGenerateLock(stagingDir, () => {
  process.stdout.write('LOCKED\n')
  return new Promise(() => setInterval(() => {}, 60_000))
})
