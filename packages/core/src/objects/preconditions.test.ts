import { describe, expect, it } from 'vitest';
import { evaluatePreconditions, type Preconditions } from './preconditions.ts';

const etag = '"0cc175b9c0f1b6a831c399e269772661"';
// 12:00:00.750 — HTTP dates have whole seconds, so this counts as 12:00:00.
const lastModified = Date.UTC(2025, 0, 1, 12, 0, 0, 750);
const target = { etag, lastModified };
const before = Date.UTC(2025, 0, 1, 11, 0, 0);
const same = Date.UTC(2025, 0, 1, 12, 0, 0);
const after = Date.UTC(2025, 0, 1, 13, 0, 0);

describe('evaluatePreconditions', () => {
  const cases: [string, Preconditions, string, string][] = [
    ['no conditions', {}, 'GET', 'ok'],
    ['If-Match matching', { ifMatch: etag }, 'GET', 'ok'],
    [
      'If-Match without quotes, in a list',
      { ifMatch: '"x", 0cc175b9c0f1b6a831c399e269772661' },
      'GET',
      'ok',
    ],
    ['If-Match *', { ifMatch: '*' }, 'PUT', 'ok'],
    ['If-Match not matching', { ifMatch: '"other"' }, 'GET', 'precondition-failed'],
    ['If-Unmodified-Since later', { ifUnmodifiedSince: after }, 'GET', 'ok'],
    ['If-Unmodified-Since the same second', { ifUnmodifiedSince: same }, 'GET', 'ok'],
    ['If-Unmodified-Since earlier', { ifUnmodifiedSince: before }, 'GET', 'precondition-failed'],
    // S3: If-Match true and If-Unmodified-Since false → 200.
    [
      'If-Match wins over If-Unmodified-Since',
      { ifMatch: etag, ifUnmodifiedSince: before },
      'GET',
      'ok',
    ],
    ['If-None-Match matching, GET', { ifNoneMatch: etag }, 'GET', 'not-modified'],
    ['If-None-Match matching, HEAD', { ifNoneMatch: `W/${etag}` }, 'HEAD', 'not-modified'],
    ['If-None-Match matching, PUT', { ifNoneMatch: '*' }, 'PUT', 'precondition-failed'],
    ['If-None-Match not matching', { ifNoneMatch: '"other"' }, 'GET', 'ok'],
    ['If-Modified-Since earlier', { ifModifiedSince: before }, 'GET', 'ok'],
    ['If-Modified-Since the same second', { ifModifiedSince: same }, 'GET', 'not-modified'],
    ['If-Modified-Since later', { ifModifiedSince: after }, 'HEAD', 'not-modified'],
    ['If-Modified-Since is for GET and HEAD only', { ifModifiedSince: after }, 'PUT', 'ok'],
    // S3: If-None-Match false and If-Modified-Since true → 304.
    [
      'If-None-Match false wins over If-Modified-Since',
      { ifNoneMatch: etag, ifModifiedSince: before },
      'GET',
      'not-modified',
    ],
    [
      'If-None-Match true wins over If-Modified-Since',
      { ifNoneMatch: '"x"', ifModifiedSince: after },
      'GET',
      'ok',
    ],
    [
      'a failed If-Match comes before If-None-Match',
      { ifMatch: '"x"', ifNoneMatch: etag },
      'GET',
      'precondition-failed',
    ],
  ];
  for (const [name, conditions, method, outcome] of cases) {
    it(`${name}: ${outcome}`, () => {
      expect(evaluatePreconditions(target, conditions, method)).toBe(outcome);
    });
  }

  it('evaluates against no object for conditional writes', () => {
    expect(evaluatePreconditions(undefined, { ifNoneMatch: '*' }, 'PUT')).toBe('ok');
    expect(evaluatePreconditions(undefined, { ifMatch: '*' }, 'PUT')).toBe('precondition-failed');
  });
});
