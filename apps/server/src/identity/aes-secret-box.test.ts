import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AesSecretBox } from './aes-secret-box.ts';

describe('AesSecretBox', () => {
  const box = new AesSecretBox(randomBytes(32));

  it('opens what it sealed, and never shows the plaintext sealed', () => {
    const sealed = box.seal('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    expect(sealed).not.toContain('wJalrXUtnFEMI');
    expect(box.open(sealed)).toBe('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
  });

  it('seals the same secret differently each time', () => {
    expect(box.seal('s')).not.toBe(box.seal('s'));
  });

  it('refuses a value sealed with another key, saying which setting to check', () => {
    const other = new AesSecretBox(randomBytes(32)).seal('s');
    expect(() => box.open(other)).toThrow(/SLIPWAY_SECRETS_KEY/);
  });

  it('refuses a tampered value', () => {
    const [version, iv, tag, ciphertext] = box.seal('secret').split(':');
    const flipped = Buffer.from(ciphertext ?? '', 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.open([version, iv, tag, flipped.toString('base64')].join(':'))).toThrow();
  });
});
