/**
 * Just enough of SQLite's lexer to tell whether a statement's text ends inside a `/* ... ` comment, which
 * SQLite lets run to the end of its input. Strings ('...'), quoted identifiers ("...", `...`, [...]) and
 * `--` comments are skipped so that a comment marker inside them does not count.
 */
export function endsInsideComment(sql: string): boolean {
  let index = 0
  while (index < sql.length) {
    const char = sql[index]
    const next = sql[index + 1]
    if (char === '-' && next === '-') {
      const end = sql.indexOf('\n', index + 2)
      index = end === -1 ? sql.length : end + 1
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', index + 2)
      if (end === -1) return true
      index = end + 2
    } else if (char === "'" || char === '"' || char === '`' || char === '[') {
      const close = char === '[' ? ']' : char
      // A doubled quote inside a string is the quote itself: skipping to the next one and going on works.
      const end = sql.indexOf(close, index + 1)
      index = end === -1 ? sql.length : end + 1
    } else {
      index++
    }
  }
  return false
}

/**
 * Whether the statement's text ends inside a `--` comment: a `;` written right after it would be part of the
 * comment, so it needs a line of its own.
 */
export function endsInLineComment(sql: string): boolean {
  let index = 0
  while (index < sql.length) {
    const char = sql[index]
    const next = sql[index + 1]
    if (char === '-' && next === '-') {
      const end = sql.indexOf('\n', index + 2)
      if (end === -1) return true
      index = end + 1
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', index + 2)
      if (end === -1) return false
      index = end + 2
    } else if (char === "'" || char === '"' || char === '`' || char === '[') {
      const close = char === '[' ? ']' : char
      const end = sql.indexOf(close, index + 1)
      index = end === -1 ? sql.length : end + 1
    } else {
      index++
    }
  }
  return false
}
