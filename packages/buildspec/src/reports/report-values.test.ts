import { describe, expect, it } from 'vitest';
import {
  joinMessage,
  millisToNanos,
  secondsToNanos,
  splitQualifiedName,
  timeSpanToNanos,
} from './report-values.ts';

describe('report values', () => {
  it.each([
    ['0.5', 500_000_000],
    ['1,234.5', 1_234_500_000_000],
    ['0,25', 250_000_000],
    [' 2 ', 2_000_000_000],
    ['1e-3', 1_000_000],
    ['-1', 0],
    ['abc', 0],
    [undefined, 0],
  ])('seconds %j → %d ns', (text, ns) => {
    expect(secondsToNanos(text)).toBe(ns);
  });

  it('converts milliseconds and TRX time spans', () => {
    expect(millisToNanos('12')).toBe(12_000_000);
    expect(millisToNanos('x')).toBe(0);
    expect(timeSpanToNanos('01:02:03.5')).toBe(3_723_500_000_000);
    expect(timeSpanToNanos('00:00:00.0000001')).toBe(100);
    expect(timeSpanToNanos('soon')).toBe(0);
  });

  it('joins message parts, dropping blanks and repeats', () => {
    expect(joinMessage(' a ', undefined, '', 'a', 'b\n')).toBe('a\nb');
    expect(joinMessage(undefined, '  ')).toBeUndefined();
  });

  it('splits qualified names at the last dot before arguments', () => {
    expect(splitQualifiedName('A.B.C(1.5, "x.y")')).toEqual({
      prefix: 'A.B',
      name: 'C(1.5, "x.y")',
    });
    expect(splitQualifiedName('Plain')).toEqual({ prefix: '', name: 'Plain' });
  });
});
