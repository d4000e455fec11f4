import { describe, expect, it } from 'vitest';
import { capEvent, prepareLogChunk, utf8Length } from './log-chunks.ts';
import { messageMatches, parseFilterPattern } from './log-filter-pattern.ts';
import { backwardToken, decodeLogToken, forwardToken } from './log-tokens.ts';
import { decodePageToken, encodePageToken, isPageCursor } from './paging.ts';

describe('capEvent', () => {
  it('keeps a message within the limit as it is', () => {
    expect(capEvent('short', 10)).toBe('short');
  });

  it('cuts on a character boundary and says how many bytes went, within the limit', () => {
    const message = 'é'.repeat(100); // 200 bytes
    const capped = capEvent(message, 64);
    expect(utf8Length(capped)).toBeLessThanOrEqual(64);
    expect(capped).toMatch(/^é+… \[truncated \d+ bytes\]$/);
    const kept = capped.indexOf('…');
    expect(capped).toContain(`[truncated ${200 - kept * 2} bytes]`);
  });

  it('caps at CloudWatch’s 256 KiB by default', () => {
    expect(utf8Length(capEvent('x'.repeat(300 * 1024)))).toBeLessThanOrEqual(256 * 1024);
  });
});

describe('prepareLogChunk', () => {
  const events = (...messages: string[]) => messages.map((message) => ({ timestamp: 1, message }));

  it('replaces NUL, which PostgreSQL text cannot hold', () => {
    const chunk = prepareLogChunk(events('a\0b'), {
      storedBytes: 0,
      alreadyTruncated: false,
      maxBytes: 100,
    });
    expect(chunk.events[0]?.message).toBe('a\uFFFDb');
  });

  it('ends with one notice at the limit, and drops everything once truncated', () => {
    const chunk = prepareLogChunk(events('aaaa', 'bbbb', 'cccc'), {
      storedBytes: 0,
      alreadyTruncated: false,
      maxBytes: 10,
    });
    expect(chunk.events.map((e) => e.message.slice(0, 9))).toEqual(['aaaa', 'bbbb', '[Slipway:']);
    expect(chunk.truncated).toBe(true);
    expect(
      prepareLogChunk(events('later'), { storedBytes: 99, alreadyTruncated: true, maxBytes: 10 }),
    ).toEqual({
      events: [],
      bytes: 0,
      truncated: false,
    });
  });
});

describe('parseFilterPattern', () => {
  it('reads plain, optional, excluded and quoted terms', () => {
    expect(parseFilterPattern('ERROR ?WARN ?"bad thing" -"dry run" -retry')).toEqual({
      allOf: ['ERROR'],
      anyOf: ['WARN', 'bad thing'],
      noneOf: ['dry run', 'retry'],
    });
    expect(parseFilterPattern('"say \\"hi\\""')).toEqual({
      allOf: ['say "hi"'],
      anyOf: [],
      noneOf: [],
    });
    expect(parseFilterPattern(undefined)).toEqual({ allOf: [], anyOf: [], noneOf: [] });
  });

  it('matches case-sensitively', () => {
    const match = parseFilterPattern('Error -ignored');
    expect(messageMatches('an Error here', match)).toBe(true);
    expect(messageMatches('an error here', match)).toBe(false);
    expect(messageMatches('an Error, ignored', match)).toBe(false);
  });
});

describe('tokens', () => {
  it('shapes GetLogEvents tokens like CloudWatch’s', () => {
    expect(forwardToken(12)).toMatch(/^f\/0{54}12$/);
    expect(decodeLogToken(backwardToken(7))).toEqual({ direction: 'backward', before: 7 });
    expect(() => decodeLogToken('f/abc')).toThrow(/nextToken is invalid/);
  });

  it('round-trips page cursors and refuses what it did not make', () => {
    const token = encodePageToken({ key: 'ünï', id: 'x' });
    expect(decodePageToken(token, isPageCursor)).toEqual({ key: 'ünï', id: 'x' });
    expect(() => decodePageToken('bm9wZQ', isPageCursor)).toThrow(/not valid/);
    expect(() => decodePageToken('a+b', isPageCursor)).toThrow(/not valid/);
  });
});
