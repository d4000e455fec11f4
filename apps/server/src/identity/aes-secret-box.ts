import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretBox } from '@slipway/core';

const version = 'v1';
export const secretsKeyFileName = 'secrets.key';

/** AES-256-GCM: `v1:<iv>:<tag>:<ciphertext>`, each base64. Tampering fails the tag check. */
export class AesSecretBox implements SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('secrets key must be 32 bytes');
    this.#key = key;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [version, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64')))
      .join(':');
  }

  open(sealed: string): string {
    const [tag, iv, authTag, ciphertext] = sealed.split(':');
    if (tag !== version || !iv || !authTag || ciphertext === undefined) {
      throw new Error('sealed secret has an unknown format');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(authTag, 'base64'));
    try {
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new Error(
        'cannot decrypt a stored secret: the secrets key differs from the one that sealed it ' +
          '(set the same SLIPWAY_SECRETS_KEY on every server of one database)',
      );
    }
  }
}

/** The configured key, else the data directory's key file, created (0600) on first start. */
export async function loadSecretsKey(
  configured: Buffer | undefined,
  dataDir: string,
): Promise<Buffer> {
  if (configured !== undefined) return configured;
  const path = join(dataDir, secretsKeyFileName);
  try {
    const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
    if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  try {
    await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another server on the same data directory wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  await chmod(path, 0o600);
  return Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
}
