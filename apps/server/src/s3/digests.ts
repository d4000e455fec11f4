import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Incremental digests behind S3's flexible checksums: CRC32 from zlib, CRC32C and CRC64NVME
 * table-driven here (no dependency), MD5/SHA from node:crypto. Digests are big-endian bytes.
 */

export type HashName = 'MD5' | 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

export interface Hasher {
  update(data: Uint8Array): void;
  digest(): Buffer;
}

function nodeHash(name: 'md5' | 'sha1' | 'sha256'): Hasher {
  const hash = createHash(name);
  return { update: (data) => hash.update(data), digest: () => hash.digest() };
}

function crc32Hasher(): Hasher {
  let value = 0;
  return {
    update: (data) => {
      value = crc32(data, value);
    },
    digest: () => uint32(value),
  };
}

/** CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, slicing-by-8 tables. */
const crc32cTable = (() => {
  const table = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  for (let n = 256; n < table.length; n++) {
    const previous = table[n - 256] as number;
    table[n] = (previous >>> 8) ^ (table[previous & 0xff] as number);
  }
  return table;
})();

function crc32cUpdate(crc: number, data: Uint8Array): number {
  const t = crc32cTable;
  let c = crc;
  let i = 0;
  for (const end = data.length - 7; i < end; i += 8) {
    const a = c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    const b = data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24);
    c =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + (b & 0xff)]! ^
      t[512 + ((b >>> 8) & 0xff)]! ^
      t[256 + ((b >>> 16) & 0xff)]! ^
      t[b >>> 24]!;
  }
  for (; i < data.length; i++) c = (c >>> 8) ^ t[(c ^ data[i]!) & 0xff]!;
  return c >>> 0;
}

function crc32cHasher(): Hasher {
  let crc = 0xffffffff;
  return {
    update: (data) => {
      crc = crc32cUpdate(crc, data);
    },
    digest: () => uint32((crc ^ 0xffffffff) >>> 0),
  };
}

/** CRC-64/NVME: reflected polynomial 0x9A6C9329AC4BC9B5, in two 32-bit halves (no BigInt). */
const crc64Tables = (() => {
  const hi = new Uint32Array(256);
  const lo = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let h = 0;
    let l = n;
    for (let k = 0; k < 8; k++) {
      const carry = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h >>>= 1;
      if (carry) {
        h = (h ^ 0x9a6c9329) >>> 0;
        l = (l ^ 0xac4bc9b5) >>> 0;
      }
    }
    hi[n] = h;
    lo[n] = l;
  }
  return { hi, lo };
})();

function crc64nvmeHasher(): Hasher {
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  return {
    update: (data) => {
      const { hi: tHi, lo: tLo } = crc64Tables;
      for (let n = 0; n < data.length; n++) {
        const i = (lo ^ data[n]!) & 0xff;
        lo = ((lo >>> 8) | (hi << 24)) ^ tLo[i]!;
        hi = (hi >>> 8) ^ tHi[i]!;
      }
      lo >>>= 0;
      hi >>>= 0;
    },
    digest: () => Buffer.concat([uint32((hi ^ 0xffffffff) >>> 0), uint32((lo ^ 0xffffffff) >>> 0)]),
  };
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

export function createHasher(name: HashName): Hasher {
  switch (name) {
    case 'MD5':
      return nodeHash('md5');
    case 'CRC32':
      return crc32Hasher();
    case 'CRC32C':
      return crc32cHasher();
    case 'CRC64NVME':
      return crc64nvmeHasher();
    case 'SHA1':
      return nodeHash('sha1');
    case 'SHA256':
      return nodeHash('sha256');
  }
}
