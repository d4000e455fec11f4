import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, cleanEnv, run, type CommandResult } from '../support/aws-cli.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let scratch: string;

beforeAll(async () => {
  server = await startTestServer();
  scratch = await mkdtemp(join(tmpdir(), 'slipway-s3-cli-'));
});
afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

const MiB = 1024 * 1024;

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `aws <args>`, failing the test with the CLI's stderr when it exits non-zero. */
async function cli(...args: string[]): Promise<CommandResult> {
  const result = await aws(args, server.awsEnv);
  if (result.code !== 0) {
    throw new Error(`aws ${args.slice(0, 3).join(' ')} failed (${result.code}): ${result.stderr}`);
  }
  return result;
}

/** `aws s3api <args> --output json`, parsed. */
async function s3api(...args: string[]): Promise<Record<string, unknown>> {
  const result = await cli('s3api', ...args, '--output', 'json');
  return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
}

/** The error code the CLI prints: `An error occurred (Code) when calling …`. */
async function s3apiError(...args: string[]): Promise<string | undefined> {
  const result = await aws(['s3api', ...args], server.awsEnv);
  expect(result.code, `aws s3api ${args[0]} should fail`).not.toBe(0);
  return /An error occurred \((\w+)\)/.exec(result.stderr)?.[1];
}

/** Every file under `dir`, as `relative path → SHA-256`. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path)] = sha256(await readFile(path));
  }
  return out;
}

/** Files at the given relative paths under `dir`, each holding `content`. */
async function writeTree(dir: string, paths: readonly string[], content: string): Promise<void> {
  for (const path of paths) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

// Every test has its own buckets, so they run side by side: the CLI is a Python process per
// call, and side by side they take longer each than the default timeout allows on a busy machine.
const concurrently = { concurrent: true, timeout: 120_000 };

describe('S3 through the AWS CLI (aws s3)', concurrently, () => {
  it('copies files of 0 B, 1 B, 5 MiB + 1 B and 20 MiB up and down unchanged', async () => {
    const made = await cli('s3', 'mb', 's3://cli-copy');
    expect(made.stdout).toContain('make_bucket: cli-copy');

    const sizes = { empty: 0, one: 1, five: 5 * MiB + 1, twenty: 20 * MiB + 12345 };
    const up = join(scratch, 'copy-up');
    const down = join(scratch, 'copy-down');
    await mkdir(up);
    await mkdir(down);
    const digests: Record<string, string> = {};
    for (const [name, size] of Object.entries(sizes)) {
      const bytes = randomBytes(size);
      digests[name] = sha256(bytes);
      await writeFile(join(up, `${name}.bin`), bytes);
    }
    await Promise.all(
      Object.keys(sizes).map((name) =>
        cli('s3', 'cp', join(up, `${name}.bin`), `s3://cli-copy/files/${name}.bin`),
      ),
    );

    // S3 to S3: above 8 MiB the CLI copies in ranges (UploadPartCopy). From stdin: parts of an
    // upload whose size nobody knows in advance.
    const [copied, piped] = await Promise.all([
      cli('s3', 'cp', 's3://cli-copy/files/twenty.bin', 's3://cli-copy/copies/twenty.bin'),
      run(
        'sh',
        ['-c', `aws s3 cp - s3://cli-copy/piped/twenty.bin < '${join(up, 'twenty.bin')}'`],
        cleanEnv(server.awsEnv),
      ),
    ]);
    expect(copied.stdout).toContain(
      'copy: s3://cli-copy/files/twenty.bin to s3://cli-copy/copies/twenty.bin',
    );
    expect(piped.code, piped.stderr).toBe(0);

    // Down again; above 8 MiB the CLI reads in ranges.
    await cli('s3', 'cp', '--recursive', 's3://cli-copy/', down);
    const expected = Object.fromEntries(
      Object.entries(digests).map(([name, digest]) => [`files/${name}.bin`, digest]),
    );
    expected['copies/twenty.bin'] = digests.twenty ?? '';
    expected['piped/twenty.bin'] = digests.twenty ?? '';
    expect(await tree(down)).toEqual(expected);

    // Above 8 MiB the CLI uploads in 8 MiB parts: 20 MiB is three, and the ETag says so.
    const listed = await s3api('list-objects-v2', '--bucket', 'cli-copy', '--prefix', 'files/');
    const objects = Object.fromEntries(
      (listed.Contents as { Key: string; ETag: string; Size: number }[]).map((c) => [c.Key, c]),
    );
    expect(objects['files/twenty.bin']).toMatchObject({
      Size: sizes.twenty,
      ETag: expect.stringMatching(/^"[0-9a-f]{32}-3"$/) as unknown,
    });
    expect(objects['files/five.bin']).toMatchObject({
      Size: sizes.five,
      ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/) as unknown,
    });
    // The MD5 of nothing.
    expect(objects['files/empty.bin']).toMatchObject({
      Size: 0,
      ETag: '"d41d8cd98f00b204e9800998ecf8427e"',
    });
  });

  it('lists with and without --recursive, prefixes as PRE', async () => {
    await cli('s3', 'mb', 's3://cli-list');
    await writeTree(
      join(scratch, 'list'),
      ['top.txt', 'dir/a.txt', 'dir/sub/b.txt', 'other/c.txt'],
      'hello\n',
    );
    await cli('s3', 'sync', join(scratch, 'list'), 's3://cli-list');

    const buckets = await cli('s3', 'ls');
    expect(buckets.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d cli-list$/m);

    const top = await cli('s3', 'ls', 's3://cli-list');
    const topLines = top.stdout.trimEnd().split('\n');
    expect(topLines).toEqual([
      expect.stringMatching(/^\s+PRE dir\/$/),
      expect.stringMatching(/^\s+PRE other\/$/),
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+6 top\.txt$/),
    ]);

    const dir = await cli('s3', 'ls', 's3://cli-list/dir/');
    expect(dir.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^\s+PRE sub\/$/),
      expect.stringMatching(/\s6 a\.txt$/),
    ]);

    // A prefix that is not a whole folder name lists the folders it begins.
    const partial = await cli('s3', 'ls', 's3://cli-list/di');
    expect(partial.stdout.trimEnd().split('\n')).toEqual([expect.stringMatching(/^\s+PRE dir\/$/)]);

    const all = await cli('s3', 'ls', '--recursive', 's3://cli-list');
    const keys = all.stdout
      .trimEnd()
      .split('\n')
      .map((line) => /\s\d+ (.+)$/.exec(line)?.[1]);
    expect(keys).toEqual(['dir/a.txt', 'dir/sub/b.txt', 'other/c.txt', 'top.txt']);
    // The same, a page of one key at a time (ListObjectsV2 continuation tokens).
    const paged = await cli('s3', 'ls', '--recursive', '--page-size', '1', 's3://cli-list');
    expect(paged.stdout).toBe(all.stdout);
  });

  it('syncs a directory tree up and back, names with spaces and unicode included', async () => {
    await cli('s3', 'mb', 's3://cli-sync');
    const source = join(scratch, 'sync-source');
    const files: Record<string, string | Buffer> = {
      'README.md': '# hello\n',
      'docs/guide one.txt': 'a file with a space\n',
      'docs/naïve café/日本語 ファイル.txt': 'unicode everywhere\n',
      'docs/plus+and%percent.txt': 'reserved characters\n',
      'bin/data.bin': randomBytes(70_000),
      'empty.txt': '',
    };
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(source, path, '..'), { recursive: true });
      await writeFile(join(source, path), content);
    }

    const up = await cli('s3', 'sync', source, 's3://cli-sync/tree');
    expect(up.stdout.match(/^upload: /gm)).toHaveLength(Object.keys(files).length);

    const listed = await s3api('list-objects-v2', '--bucket', 'cli-sync', '--prefix', 'tree/');
    expect((listed.Contents as { Key: string }[]).map((c) => c.Key).sort()).toEqual(
      Object.keys(files)
        .map((path) => `tree/${path}`)
        .sort(),
    );

    // A second sync finds nothing to do: sizes and times agree.
    const again = await cli('s3', 'sync', source, 's3://cli-sync/tree');
    expect(again.stdout.trim()).toBe('');

    const back = join(scratch, 'sync-back');
    const down = await cli('s3', 'sync', 's3://cli-sync/tree', back);
    expect(down.stdout.match(/^download: /gm)).toHaveLength(Object.keys(files).length);
    expect(await tree(back)).toEqual(await tree(source));
  });

  it('removes recursively, and rb refuses a non-empty bucket then removes an empty one', async () => {
    await cli('s3', 'mb', 's3://cli-remove');
    await writeTree(join(scratch, 'remove'), ['a.txt', 'd/b.txt', 'd/e/c.txt'], 'x');
    await cli('s3', 'sync', join(scratch, 'remove'), 's3://cli-remove');

    const refused = await aws(['s3', 'rb', 's3://cli-remove'], server.awsEnv);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('BucketNotEmpty');

    const removed = await cli('s3', 'rm', '--recursive', 's3://cli-remove/d/');
    expect(removed.stdout.match(/^delete: /gm)).toHaveLength(2);
    const left = await cli('s3', 'ls', '--recursive', 's3://cli-remove');
    expect(left.stdout).toMatch(/ a\.txt\n$/);
    expect(left.stdout).not.toContain('d/');

    await cli('s3', 'rm', '--recursive', 's3://cli-remove');
    const gone = await cli('s3', 'rb', 's3://cli-remove');
    expect(gone.stdout).toContain('remove_bucket: cli-remove');
    const buckets = await cli('s3', 'ls');
    expect(buckets.stdout).not.toContain('cli-remove');
    expect(await s3apiError('head-bucket', '--bucket', 'cli-remove')).toBe('404');
  });
});

describe('S3 through the AWS CLI (aws s3api)', concurrently, () => {
  it('keeps versions, adds a delete marker and reads an old version back', async () => {
    await s3api('create-bucket', '--bucket', 'cli-versions');
    expect(await s3api('get-bucket-versioning', '--bucket', 'cli-versions')).toEqual({});
    await s3api(
      'put-bucket-versioning',
      '--bucket',
      'cli-versions',
      '--versioning-configuration',
      'Status=Enabled',
    );
    expect(await s3api('get-bucket-versioning', '--bucket', 'cli-versions')).toEqual({
      Status: 'Enabled',
    });

    const one = join(scratch, 'version-one.txt');
    const two = join(scratch, 'version-two.txt');
    await writeFile(one, 'first version\n');
    await writeFile(two, 'second version, longer\n');
    const put = (body: string) =>
      s3api('put-object', '--bucket', 'cli-versions', '--key', 'doc.txt', '--body', body);
    const first = (await put(one)) as { VersionId: string; ETag: string };
    const second = (await put(two)) as { VersionId: string; ETag: string };
    expect(first.VersionId).toEqual(expect.any(String));
    expect(second.VersionId).not.toBe(first.VersionId);

    const versions = await s3api('list-object-versions', '--bucket', 'cli-versions');
    expect(versions.Versions).toEqual([
      expect.objectContaining({
        Key: 'doc.txt',
        VersionId: second.VersionId,
        IsLatest: true,
        ETag: second.ETag,
        Size: 23,
      }),
      expect.objectContaining({
        Key: 'doc.txt',
        VersionId: first.VersionId,
        IsLatest: false,
        ETag: first.ETag,
        Size: 14,
      }),
    ]);
    expect(versions.DeleteMarkers).toBeUndefined();

    const deleted = await s3api('delete-object', '--bucket', 'cli-versions', '--key', 'doc.txt');
    expect(deleted).toEqual({ DeleteMarker: true, VersionId: expect.any(String) as unknown });
    const after = await s3api('list-object-versions', '--bucket', 'cli-versions');
    expect(after.DeleteMarkers).toEqual([
      expect.objectContaining({ Key: 'doc.txt', VersionId: deleted.VersionId, IsLatest: true }),
    ]);
    expect(after.Versions).toEqual([
      expect.objectContaining({ VersionId: second.VersionId, IsLatest: false }),
      expect.objectContaining({ VersionId: first.VersionId, IsLatest: false }),
    ]);

    const out = join(scratch, 'version-out.txt');
    expect(
      await s3apiError('get-object', '--bucket', 'cli-versions', '--key', 'doc.txt', out),
    ).toBe('NoSuchKey');
    const old = await s3api(
      'get-object',
      '--bucket',
      'cli-versions',
      '--key',
      'doc.txt',
      '--version-id',
      first.VersionId,
      out,
    );
    expect(old).toMatchObject({ VersionId: first.VersionId, ETag: first.ETag, ContentLength: 14 });
    expect(await readFile(out, 'utf8')).toBe('first version\n');
  });

  it('runs a multipart upload by hand: create, upload two parts, list, complete', async () => {
    await s3api('create-bucket', '--bucket', 'cli-multipart');
    const partOne = randomBytes(5 * MiB);
    const partTwo = randomBytes(1234);
    await writeFile(join(scratch, 'part1.bin'), partOne);
    await writeFile(join(scratch, 'part2.bin'), partTwo);
    const at = ['--bucket', 'cli-multipart', '--key', 'big/object.bin'];

    const created = (await s3api('create-multipart-upload', ...at)) as { UploadId: string };
    expect(created).toMatchObject({ Bucket: 'cli-multipart', Key: 'big/object.bin' });
    const upload = ['--upload-id', created.UploadId];
    const p1 = (await s3api(
      'upload-part',
      ...at,
      ...upload,
      '--part-number',
      '1',
      '--body',
      join(scratch, 'part1.bin'),
    )) as { ETag: string };
    const p2 = (await s3api(
      'upload-part',
      ...at,
      ...upload,
      '--part-number',
      '2',
      '--body',
      join(scratch, 'part2.bin'),
    )) as { ETag: string };
    expect(p1.ETag).toBe(`"${createHash('md5').update(partOne).digest('hex')}"`);
    expect(p2.ETag).toBe(`"${createHash('md5').update(partTwo).digest('hex')}"`);

    const parts = await s3api('list-parts', ...at, ...upload);
    expect(parts.Parts).toEqual([
      expect.objectContaining({ PartNumber: 1, ETag: p1.ETag, Size: 5 * MiB }),
      expect.objectContaining({ PartNumber: 2, ETag: p2.ETag, Size: 1234 }),
    ]);
    const uploads = await s3api('list-multipart-uploads', '--bucket', 'cli-multipart');
    expect(uploads.Uploads).toEqual([
      expect.objectContaining({ Key: 'big/object.bin', UploadId: created.UploadId }),
    ]);

    const completed = await s3api(
      'complete-multipart-upload',
      ...at,
      ...upload,
      '--multipart-upload',
      JSON.stringify({
        Parts: [
          { PartNumber: 1, ETag: p1.ETag },
          { PartNumber: 2, ETag: p2.ETag },
        ],
      }),
    );
    const expectedEtag = `"${createHash('md5')
      .update(
        Buffer.concat([
          createHash('md5').update(partOne).digest(),
          createHash('md5').update(partTwo).digest(),
        ]),
      )
      .digest('hex')}-2"`;
    expect(completed).toMatchObject({
      Bucket: 'cli-multipart',
      Key: 'big/object.bin',
      ETag: expectedEtag,
      Location: `${server.url}/cli-multipart/big%2Fobject.bin`,
    });
    const head = await s3api('head-object', ...at);
    expect(head).toMatchObject({ ETag: expectedEtag, ContentLength: 5 * MiB + 1234 });
    expect(head.ETag).toMatch(/-2"$/);

    const out = join(scratch, 'multipart-out.bin');
    await s3api('get-object', ...at, out);
    expect(sha256(await readFile(out))).toBe(sha256(Buffer.concat([partOne, partTwo])));
    expect((await s3api('list-multipart-uploads', '--bucket', 'cli-multipart')).Uploads).toBe(
      undefined,
    );
  });

  it('aborts an upload, and refuses to complete one with a wrong part ETag', async () => {
    await s3api('create-bucket', '--bucket', 'cli-abort');
    const at = ['--bucket', 'cli-abort', '--key', 'k.bin'];
    const aborted = (await s3api('create-multipart-upload', ...at)) as { UploadId: string };
    const kept = (await s3api('create-multipart-upload', ...at)) as { UploadId: string };
    const listed = await s3api('list-multipart-uploads', '--bucket', 'cli-abort');
    expect((listed.Uploads as { UploadId: string }[]).map((u) => u.UploadId).sort()).toEqual(
      [aborted.UploadId, kept.UploadId].sort(),
    );

    await s3api('abort-multipart-upload', ...at, '--upload-id', aborted.UploadId);
    const after = await s3api('list-multipart-uploads', '--bucket', 'cli-abort');
    expect(after.Uploads).toEqual([expect.objectContaining({ UploadId: kept.UploadId })]);
    expect(await s3apiError('list-parts', ...at, '--upload-id', aborted.UploadId)).toBe(
      'NoSuchUpload',
    );

    await writeFile(join(scratch, 'small.bin'), 'small part');
    const part = (await s3api(
      'upload-part',
      ...at,
      '--upload-id',
      kept.UploadId,
      '--part-number',
      '1',
      '--body',
      join(scratch, 'small.bin'),
    )) as { ETag: string };
    const wrong = JSON.stringify({
      Parts: [{ PartNumber: 1, ETag: '"0123456789abcdef0123456789abcdef"' }],
    });
    expect(
      await s3apiError(
        'complete-multipart-upload',
        ...at,
        '--upload-id',
        kept.UploadId,
        '--multipart-upload',
        wrong,
      ),
    ).toBe('InvalidPart');
    expect(await s3apiError('head-object', ...at)).toBe('404');

    // The upload survives the refusal; the right ETag completes it.
    const right = JSON.stringify({ Parts: [{ PartNumber: 1, ETag: part.ETag }] });
    const done = await s3api(
      'complete-multipart-upload',
      ...at,
      '--upload-id',
      kept.UploadId,
      '--multipart-upload',
      right,
    );
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-1"$/);
  });
});
