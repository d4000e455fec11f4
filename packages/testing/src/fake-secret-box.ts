import type { SecretBox } from '@slipway/core';

const prefix = 'fake-sealed';

/**
 * A reversible stand-in for the AES box: the sealed form does not contain the plaintext, and a
 * box opens only what a box with the same key name sealed, as the real one does.
 */
export class FakeSecretBox implements SecretBox {
  readonly #keyName: string;

  constructor(keyName = 'test-key') {
    if (keyName.includes(':')) throw new Error('key name must not contain ":"');
    this.#keyName = keyName;
  }

  seal(plaintext: string): string {
    return `${prefix}:${this.#keyName}:${Buffer.from(plaintext, 'utf8').toString('base64')}`;
  }

  open(sealed: string): string {
    const [tag, keyName, body] = sealed.split(':');
    if (tag !== prefix || keyName !== this.#keyName || body === undefined) {
      throw new Error('sealed secret was not made with this box');
    }
    return Buffer.from(body, 'base64').toString('utf8');
  }
}
