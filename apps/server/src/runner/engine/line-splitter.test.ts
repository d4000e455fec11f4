import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.ts';

const feed = (splitter: LineSplitter, ...chunks: string[]) =>
  chunks.flatMap((c) => splitter.push(Buffer.from(c)));

describe('LineSplitter', () => {
  it('joins lines split across chunks and drops CR before LF', () => {
    const s = new LineSplitter(100);
    expect(feed(s, 'ab', 'c\r\nde', 'f\n\ng')).toEqual(['abc', 'def', '']);
    expect(s.end()).toEqual(['g']);
    expect(s.end()).toEqual([]);
  });

  it('keeps a multi-byte character split across chunks whole', () => {
    const s = new LineSplitter(100);
    const bytes = Buffer.from('é\n');
    expect([...s.push(bytes.subarray(0, 1)), ...s.push(bytes.subarray(1))]).toEqual(['é']);
  });

  it('cuts a long line at the limit, marks it and drops the rest up to the newline', () => {
    const s = new LineSplitter(4);
    expect(feed(s, 'abcdefgh', 'ij\nnext\n')).toEqual([
      'abcd [line cut: longer than 4 bytes]',
      'next',
    ]);
  });

  it('still sees a command marker right after a cut line', () => {
    const s = new LineSplitter(4);
    expect(feed(s, 'abcdefgh\x1enonce 3\x1e\n')).toEqual([
      'abcd [line cut: longer than 4 bytes]',
      '\x1enonce 3\x1e',
    ]);
  });
});
