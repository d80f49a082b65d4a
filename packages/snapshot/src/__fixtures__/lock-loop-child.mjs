// Child process for the lock tests: takes and releases the generate lock <rounds> times, as back-to-back
// generate runs do, and exits 1 on any error (a spurious ENOENT while another process releases, for one).
// argv: <package index.js URL> <staging folder> <rounds>
const [packageUrl, stagingDir, rounds] = process.argv.slice(2)
const { withGenerateLock } = await import(packageUrl)

for (let round = 0; round < Number(rounds); round++) {
  await withGenerateLock(stagingDir, async () => {}, { pollMs: 1, waitMs: 60_000 })
}
process.stdout.write('DONE\n')
