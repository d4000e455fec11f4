import { describe, expect, it } from 'vitest';
import { FakeSecretBox } from './fake-secret-box.ts';

describe('FakeSecretBox', () => {
  it('opens what it sealed', () => {
    const box = new FakeSecretBox();
    expect(box.open(box.seal('wJalrXUtnFEMI/K7MDENG+bPxRfiCY'))).toBe(
      'wJalrXUtnFEMI/K7MDENG+bPxRfiCY',
    );
  });

  it('does not keep the plaintext in the sealed form', () => {
    expect(new FakeSecretBox().seal('plain-secret')).not.toContain('plain-secret');
  });

  it('refuses what a box with another key sealed', () => {
    const sealed = new FakeSecretBox('one').seal('secret');
    expect(() => new FakeSecretBox('two').open(sealed)).toThrow();
  });

  it('refuses a value it did not seal', () => {
    expect(() => new FakeSecretBox().open('v1:abc:def:ghi')).toThrow();
  });
});
