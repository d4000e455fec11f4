import { bodyOf, expectAppError, objectsHarness, type ObjectsHarness } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';
import { decodeContinuationToken, encodeContinuationToken } from './listing.ts';
import {
  compareObjectKeys,
  isWellFormedKey,
  objectKeyFromHex,
  objectKeyHex,
} from './object-keys.ts';
import type { ListObjectsInput } from './object-listing.ts';

const bucket = 'artifacts';
let h: ObjectsHarness;

beforeEach(async () => {
  h = objectsHarness();
  await h.service.createBucket(h.scope, bucket);
});

async function putAll(...keys: string[]) {
  for (const key of keys) {
    await h.service.putObject({ scope: h.scope, bucket, key, ...bodyOf(key) });
  }
}
const list = (input: Omit<ListObjectsInput, 'scope' | 'bucket'> = {}) =>
  h.service.listObjects({ scope: h.scope, bucket, ...input });
const page = async (input: Omit<ListObjectsInput, 'scope' | 'bucket'> = {}) => {
  const listed = await list(input);
  return {
    keys: listed.contents.map((v) => v.key),
    prefixes: listed.commonPrefixes,
    truncated: listed.isTruncated,
    token: listed.nextContinuationToken,
    marker: listed.nextMarker,
    count: listed.keyCount,
  };
};

describe('object keys', () => {
  it('hex-encodes UTF-8 so that hex order is byte order', () => {
    const keys = ['b😀', 'b\uFF21', 'a\u0000', 'a', 'é', '..'];
    expect(keys.map(objectKeyHex)).toEqual([
      '62f09f9880',
      '62efbca1',
      '6100',
      '61',
      'c3a9',
      '2e2e',
    ]);
    expect([...keys].sort(compareObjectKeys)).toEqual([
      '..',
      'a',
      'a\u0000',
      'b\uFF21',
      'b😀',
      'é',
    ]);
    for (const key of keys) expect(objectKeyFromHex(objectKeyHex(key))).toBe(key);
    expect(isWellFormedKey('b😀')).toBe(true);
    expect(isWellFormedKey('b\uD83D')).toBe(false);
  });

  it('round-trips continuation tokens and refuses forged ones', async () => {
    for (const position of [
      { key: 'a\u0000😀/', skipPrefixed: true },
      { key: 'k', skipPrefixed: false },
    ]) {
      const token = encodeContinuationToken(position);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeContinuationToken(token)).toEqual(position);
    }
    for (const token of ['', '!!', 'eA', 'aw', 'gICA']) {
      const error = await expectAppError(
        list({ continuationToken: token }),
        AppErrorKind.InvalidInput,
      );
      expect(error.resource).toBe('continuation-token');
    }
  });
});

describe('listObjects', () => {
  it('rolls keys up into common prefixes (the S3 documentation’s example)', async () => {
    await putAll(
      'photos/2006/January/sample.jpg',
      'photos/2006/February/sample2.jpg',
      'photos/2006/February/sample3.jpg',
      'photos/2006/February/sample4.jpg',
      'photos/2006/index.html',
      'videos/2006/clip.mp4',
    );
    expect(await page({ prefix: 'photos/2006/', delimiter: '/' })).toEqual({
      keys: ['photos/2006/index.html'],
      prefixes: ['photos/2006/February/', 'photos/2006/January/'],
      truncated: false,
      token: undefined,
      marker: undefined,
      count: 3,
    });
    expect((await page({ delimiter: '/' })).prefixes).toEqual(['photos/', 'videos/']);
    expect((await page({ prefix: 'photos/2006/February/' })).keys).toHaveLength(3);
  });

  it('counts common prefixes toward max-keys and resumes after them', async () => {
    await putAll('a/1', 'a/2', 'a/3', 'b', 'c/1', 'c/2', 'd', 'e/x/1');
    const first = await page({ delimiter: '/', maxKeys: 2 });
    expect(first).toMatchObject({ keys: ['b'], prefixes: ['a/'], truncated: true, count: 2 });
    const second = await page({ delimiter: '/', maxKeys: 2, continuationToken: first.token });
    expect(second).toMatchObject({ keys: ['d'], prefixes: ['c/'], truncated: true });
    const third = await page({ delimiter: '/', maxKeys: 2, continuationToken: second.token });
    expect(third).toMatchObject({ keys: [], prefixes: ['e/'], truncated: false, token: undefined });

    const oneByOne: string[] = [];
    let token: string | undefined;
    do {
      const next = await page({ delimiter: '/', maxKeys: 1, continuationToken: token });
      oneByOne.push(...next.prefixes, ...next.keys);
      token = next.token;
    } while (token !== undefined);
    expect(oneByOne).toEqual(['a/', 'b', 'c/', 'd', 'e/']);
  });

  it('pages without a delimiter, and resumes after start-after or a V1 marker', async () => {
    await putAll('a/1', 'a/2', 'b', 'c/1');
    const first = await page({ maxKeys: 3 });
    expect(first).toMatchObject({ keys: ['a/1', 'a/2', 'b'], truncated: true, marker: 'b' });
    expect((await page({ continuationToken: first.token })).keys).toEqual(['c/1']);
    expect((await page({ startAfter: 'a/1' })).keys).toEqual(['a/2', 'b', 'c/1']);
    expect((await page({ startAfter: 'a', continuationToken: first.token })).keys).toEqual(['c/1']);
    const v1 = await page({ delimiter: '/', maxKeys: 1 });
    expect(v1).toMatchObject({ prefixes: ['a/'], marker: 'a/' });
    expect(await page({ delimiter: '/', startAfter: v1.marker })).toMatchObject({
      keys: ['b'],
      prefixes: ['c/'],
    });
  });

  it('lists nothing for max-keys 0 and refuses a negative one', async () => {
    await putAll('a');
    expect(await page({ maxKeys: 0 })).toMatchObject({ keys: [], truncated: false, count: 0 });
    const error = await expectAppError(list({ maxKeys: -1 }), AppErrorKind.InvalidInput);
    expect(error.resource).toBe('max-keys');
  });

  it('uses multi-character delimiters and keys with NUL', async () => {
    await putAll('x\u0000\u0000a', 'x\u0000\u0000b', 'x\u0000c', 'x::y::z');
    expect(await page({ delimiter: '\u0000\u0000' })).toMatchObject({
      keys: ['x\u0000c', 'x::y::z'],
      prefixes: ['x\u0000\u0000'],
    });
    expect((await page({ delimiter: '::', prefix: 'x::' })).prefixes).toEqual(['x::y::']);
  });
});

describe('listObjectVersions', () => {
  it('pages through versions and delete markers with key and version-id markers', async () => {
    await h.service.putBucketVersioning(h.scope, bucket, 'Enabled');
    await putAll('a', 'a', 'b', 'dir/1', 'dir/2');
    await h.service.deleteObject({ scope: h.scope, bucket, key: 'b' });
    const seen: string[] = [];
    let markers: { keyMarker?: string; versionIdMarker?: string } = {};
    for (;;) {
      const listed = await h.service.listObjectVersions({
        scope: h.scope,
        bucket,
        delimiter: '/',
        maxKeys: 2,
        ...markers,
      });
      seen.push(
        ...listed.versions.map((v) => `${v.key}${v.isDeleteMarker ? ' marker' : ''}`),
        ...listed.commonPrefixes,
      );
      if (!listed.isTruncated) break;
      markers = { keyMarker: listed.nextKeyMarker, versionIdMarker: listed.nextVersionIdMarker };
    }
    expect(seen).toEqual(['a', 'a', 'b marker', 'b', 'dir/']);
    const error = await expectAppError(
      h.service.listObjectVersions({ scope: h.scope, bucket, versionIdMarker: 'null' }),
      AppErrorKind.InvalidInput,
    );
    expect(error.resource).toBe('argument');
  });
});
