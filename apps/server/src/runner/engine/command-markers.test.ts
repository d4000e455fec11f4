import { describe, expect, it } from 'vitest';
import { CommandMarkers } from './command-markers.ts';
import { SecretMasker } from './secret-masker.ts';
import { containerLine, formatLogTime } from './log-format.ts';

describe('CommandMarkers', () => {
  const markers = new CommandMarkers('0123456789abcdef0123456789abcdef');

  it('interleaves a marker before each command', () => {
    const list = markers.interleave(['echo a', 'echo b'], 3);
    expect(list).toHaveLength(4);
    expect(list[1]).toBe('echo a');
    expect(list[2]).toContain(' 4 ');
  });

  it('parses a marker line, with output that lacked its newline before it', () => {
    expect(markers.parse('\x1e0123456789abcdef0123456789abcdef 12\x1e')).toEqual({
      before: '',
      index: 12,
    });
    expect(markers.parse('tail\x1e0123456789abcdef0123456789abcdef 0\x1e')).toEqual({
      before: 'tail',
      index: 0,
    });
    expect(markers.parse('\x1eaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1\x1e')).toBeUndefined();
    expect(markers.parse('plain output')).toBeUndefined();
  });

  it('recognises its own trace lines under set -x', () => {
    expect(markers.isOwnTrace(`+ test -f /dev/stdout -a ${markers.nonce}`)).toBe(true);
    expect(markers.isOwnTrace('+ __slipway_s=0')).toBe(true);
    expect(markers.isOwnTrace('+ echo hello')).toBe(false);
  });
});

describe('SecretMasker', () => {
  it('masks every occurrence, longest value first, line by line for multi-line values', () => {
    const masker = new SecretMasker(['abc', 'abcdef', 'line1\nline2', '']);
    expect(masker.mask('x abcdef y abc z')).toBe('x *** y *** z');
    expect(masker.mask('line2 and line1')).toBe('*** and ***');
    expect(masker.mask('a.c')).toBe('a.c');
  });

  it('leaves lines alone without secrets', () => {
    expect(new SecretMasker([]).mask('anything')).toBe('anything');
  });
});

describe('log format', () => {
  it("writes CodeBuild's [Container] prefix in UTC with microseconds", () => {
    expect(formatLogTime(Date.UTC(2024, 0, 2, 3, 4, 5, 678))).toBe('2024/01/02 03:04:05.678000');
    expect(containerLine(Date.UTC(2024, 0, 1), 'Entering phase BUILD')).toBe(
      '[Container] 2024/01/01 00:00:00.000000 Entering phase BUILD',
    );
  });
});
