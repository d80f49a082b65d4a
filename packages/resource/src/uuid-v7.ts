/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Keys made in one process sort by
 * creation time (a counter in the random part keeps keys of the same millisecond increasing), which keeps
 * B-tree inserts at the end of the index, unlike random v4 keys.
 */
let lastMillis = -1
let sequence = 0

export function uuidV7(): string {
  const bytes = new Uint8Array(16)
  globalThis.crypto.getRandomValues(bytes)
  let millis = Date.now()
  if (millis <= lastMillis) {
    // Same (or an earlier, after a clock step back) millisecond: count up in the 12-bit rand_a field.
    sequence++
    if (sequence > 0xfff) {
      lastMillis++
      sequence = 0
    }
    millis = lastMillis
  } else {
    lastMillis = millis
    // A random start below half the range leaves room to count up within the millisecond.
    sequence = (((bytes[6] as number) & 0x07) << 8) | (bytes[7] as number)
  }
  for (let index = 5; index >= 0; index--) {
    bytes[index] = millis % 256
    millis = Math.floor(millis / 256)
  }
  bytes[6] = 0x70 | ((sequence >> 8) & 0x0f)
  bytes[7] = sequence & 0xff
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f)
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
