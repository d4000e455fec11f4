/** Randomness as a port: ids, keys and secrets come from here so tests can make them predictable. */
export interface Random {
  /** `length` cryptographically strong random bytes. */
  bytes(length: number): Uint8Array;
  /** A random UUID (v4). */
  uuid(): string;
}

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Upper-case RFC 4648 base32 characters, the alphabet AWS uses for key and principal ids. */
export function randomBase32(random: Random, length: number): string {
  const bytes = random.bytes(length);
  let out = '';
  for (const byte of bytes) out += base32Alphabet[byte & 31];
  return out;
}

/** A string of `length` decimal digits, the first one non-zero. */
export function randomDigits(random: Random, length: number): string {
  const bytes = random.bytes(length);
  let out = '';
  for (const [i, byte] of bytes.entries()) {
    out += i === 0 ? String(1 + (byte % 9)) : String(byte % 10);
  }
  return out;
}
