import { describe, expect, it } from 'vitest';
import { bundlePath, hostPath } from './bundle-paths.ts';

const source = (text: string) => bundlePath(text, { rootAllowed: true });
const location = (text: string) => bundlePath(text, { rootAllowed: false });

describe('bundlePath', () => {
  it('normalizes paths inside the bundle', () => {
    expect(source('Config/config.txt')).toEqual({ ok: true, path: 'Config/config.txt' });
    expect(source('./a//b/./c/')).toEqual({ ok: true, path: 'a/b/c' });
    expect(source('a/../b')).toEqual({ ok: true, path: 'b' });
    expect(source('a\\..\\..\\b')).toEqual({ ok: true, path: 'a\\..\\..\\b' });
  });

  it('reads / and . as the whole bundle for sources', () => {
    expect(source('/')).toEqual({ ok: true, path: '' });
    expect(source('.')).toEqual({ ok: true, path: '' });
    expect(source('a/..')).toEqual({ ok: true, path: '' });
  });

  it('refuses the whole bundle as a hook location', () => {
    for (const text of ['/', '.', 'a/..']) {
      expect(location(text)).toEqual({
        ok: false,
        reason: 'must name a file in the bundle, not the bundle itself',
      });
    }
  });

  it('refuses escapes, before or after normalization', () => {
    for (const text of ['..', '../etc/passwd', 'a/../../b', './..', 'a/b/../../../c', '../']) {
      expect(source(text)).toEqual({ ok: false, reason: `'${text}' escapes the bundle` });
      expect(location(text).ok).toBe(false);
    }
  });

  it('reads a leading / as the bundle root, as the CodeDeploy agent joins paths', () => {
    expect(source('/etc/passwd')).toEqual({ ok: true, path: 'etc/passwd' });
    expect(source('//')).toEqual({ ok: true, path: '' });
    expect(source('/../etc')).toEqual({ ok: false, reason: "'/../etc' escapes the bundle" });
  });

  it('refuses NUL bytes', () => {
    expect(source('a\0b')).toEqual({ ok: false, reason: 'must not contain a NUL byte' });
  });
});

describe('hostPath', () => {
  it('normalizes absolute paths', () => {
    expect(hostPath('/var/www/')).toEqual({ ok: true, path: '/var/www' });
    expect(hostPath('//var/./www')).toEqual({ ok: true, path: '/var/www' });
    expect(hostPath('/')).toEqual({ ok: true, path: '/' });
  });

  it('refuses relative paths', () => {
    expect(hostPath('var/www')).toEqual({
      ok: false,
      reason: "must be an absolute path, found 'var/www'",
    });
    expect(hostPath('~/app').ok).toBe(false);
    expect(hostPath('').ok).toBe(false);
  });

  it('refuses any .. segment, even one that would stay below /', () => {
    for (const text of ['/var/../etc', '/..', '/var/www/..', '/a/b/../c']) {
      expect(hostPath(text)).toEqual({
        ok: false,
        reason: `must not contain '..', found '${text}'`,
      });
    }
    expect(hostPath('/var/..www')).toEqual({ ok: true, path: '/var/..www' });
  });

  it('refuses NUL bytes', () => {
    expect(hostPath('/var\0/www')).toEqual({ ok: false, reason: 'must not contain a NUL byte' });
  });
});
