import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { python, run } from '../support/aws-cli.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
/** Ours alone: holds `outside/data` (the server's data directory) and the files curl moves. */
let sandbox: string;
let scratch: string;

beforeAll(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'slipway-s3-boto3-'));
  scratch = await mkdtemp(join(tmpdir(), 'slipway-s3-boto3-files-'));
  // The data directory two levels down in a directory nobody else writes to, so a key that
  // escaped it would show up as a new file.
  server = await startTestServer({ dataDir: join(sandbox, 'outside', 'data') });
});
afterAll(async () => {
  await server.close();
  await rm(sandbox, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

/**
 * Runs a Python body with `s3` (a boto3 S3 client for the server, default configuration),
 * `client(**config)` for another one, and `call(name, **kw)`, which returns the result without
 * ResponseMetadata (bodies read into bytes), or {'error': code, 'status': n}; prints `out`
 * as JSON (bytes as latin-1 text).
 */
async function boto3(body: string): Promise<Record<string, unknown>> {
  const script = `
import json, base64, hashlib, socket, time, boto3
from urllib.parse import unquote_plus
from botocore.config import Config
from botocore.exceptions import ClientError
def client(endpoint='${server.url}', **config):
    return boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1',
                        aws_access_key_id='${server.accessKeyId}',
                        aws_secret_access_key='${server.secretAccessKey}', config=Config(**config))
s3 = client()
def call(_op, _client=None, **kw):
    try:
        r = getattr(_client or s3, _op)(**kw)
        r.pop('ResponseMetadata', None)
        if 'Body' in r:
            r['Body'] = r['Body'].read()
        return r
    except ClientError as e:
        return {'error': e.response['Error'].get('Code'),
                'status': e.response['ResponseMetadata']['HTTPStatusCode'],
                'message': e.response['Error'].get('Message')}
def text(value):
    return value.decode('latin-1') if isinstance(value, bytes) else str(value)
out = {}
${body}
print(json.dumps(out, default=text))
`;
  const result = await python(script, {});
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

interface CurlResult {
  readonly status: number;
  /** The response body (written to a file with -o). */
  readonly body: Buffer;
}

/** Plain curl, as someone handed a presigned URL would use it. */
async function curl(url: string, upload?: string): Promise<CurlResult> {
  const output = join(scratch, `curl-${randomBytes(4).toString('hex')}`);
  const args = ['-sS', '-o', output, '-w', '%{http_code}', ...(upload ? ['-T', upload] : []), url];
  const result = await run('curl', args, { PATH: process.env.PATH ?? '' });
  if (result.code !== 0) throw new Error(`curl failed: ${result.stderr}`);
  const body = await readFile(output).catch(() => Buffer.alloc(0));
  await rm(output, { force: true });
  return { status: Number(result.stdout), body };
}

function errorCode(body: Buffer): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(body.toString('utf8'))?.[1];
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('S3 presigned URLs from boto3, used with curl', () => {
  it('GETs and PUTs with the default (SigV2) and s3v4 presigners', async () => {
    const content = randomBytes(100_000);
    await writeFile(join(scratch, 'presign-source.bin'), content);
    const out = await boto3(`
s3.create_bucket(Bucket='presign')
s3.put_object(Bucket='presign', Key='dir/hello world+é.bin', Body=open('${scratch}/presign-source.bin', 'rb').read())
v4 = client(signature_version='s3v4')
for name, c in (('v2', s3), ('v4', v4)):
    out[name] = {
        'get': c.generate_presigned_url('get_object', Params={'Bucket': 'presign', 'Key': 'dir/hello world+é.bin'}, ExpiresIn=300),
        'put': c.generate_presigned_url('put_object', Params={'Bucket': 'presign', 'Key': 'uploaded/' + name + '.bin'}, ExpiresIn=300),
    }
`);
    const v2 = out.v2 as { get: string; put: string };
    const v4 = out.v4 as { get: string; put: string };
    // boto3 presigns with SigV2 for us-east-1 and a custom endpoint, unless told s3v4.
    for (const url of [v2.get, v2.put]) {
      expect(url).toMatch(/[?&]AWSAccessKeyId=[^&]+&Signature=[^&]+&Expires=\d+$/);
      expect(url).not.toContain('X-Amz-Algorithm');
    }
    for (const url of [v4.get, v4.put]) {
      expect(url).toContain('X-Amz-Algorithm=AWS4-HMAC-SHA256');
      expect(url).not.toContain('AWSAccessKeyId=');
    }
    expect(v2.get).toContain('/presign/dir/hello%20world%2B%C3%A9.bin?');

    for (const url of [v2.get, v4.get]) {
      const got = await curl(url);
      expect(got.status).toBe(200);
      expect(sha256(got.body)).toBe(sha256(content));
    }

    const upload = randomBytes(70_000);
    await writeFile(join(scratch, 'presign-upload.bin'), upload);
    for (const url of [v2.put, v4.put]) {
      const put = await curl(url, join(scratch, 'presign-upload.bin'));
      expect(put.status, put.body.toString()).toBe(200);
    }
    const stored = await boto3(`
for name in ('v2', 'v4'):
    r = call('get_object', Bucket='presign', Key='uploaded/' + name + '.bin')
    out[name] = hashlib.sha256(r['Body']).hexdigest()
`);
    expect(stored).toEqual({ v2: sha256(upload), v4: sha256(upload) });
  });

  it('refuses an expired URL (AccessDenied) and a tampered one (SignatureDoesNotMatch)', async () => {
    const out = await boto3(`
s3.create_bucket(Bucket='presign-refusals')
s3.put_object(Bucket='presign-refusals', Key='secret.txt', Body=b'top secret bytes')
s3.put_object(Bucket='presign-refusals', Key='public.txt', Body=b'public')
v4 = client(signature_version='s3v4')
for name, c in (('v2', s3), ('v4', v4)):
    out[name] = {
        'expiring': c.generate_presigned_url('get_object', Params={'Bucket': 'presign-refusals', 'Key': 'secret.txt'}, ExpiresIn=1),
        'valid': c.generate_presigned_url('get_object', Params={'Bucket': 'presign-refusals', 'Key': 'public.txt'}, ExpiresIn=300),
    }
`);
    const urls = out as Record<'v2' | 'v4', { expiring: string; valid: string }>;

    for (const version of ['v2', 'v4'] as const) {
      const { valid } = urls[version];
      expect((await curl(valid)).status).toBe(200);
      // The same signature for another key: the URL says public.txt was signed, not secret.txt.
      const otherKey = await curl(valid.replace('/public.txt?', '/secret.txt?'));
      expect(otherKey.status).toBe(403);
      expect(errorCode(otherKey.body)).toBe('SignatureDoesNotMatch');
      expect(otherKey.body.toString()).not.toContain('top secret bytes');
      // A longer life than was signed.
      const later =
        version === 'v2'
          ? valid.replace(/Expires=(\d+)/, (_, s: string) => `Expires=${Number(s) + 3600}`)
          : valid.replace('X-Amz-Expires=300', 'X-Amz-Expires=3600');
      expect(later).not.toBe(valid);
      const extended = await curl(later);
      expect(extended.status).toBe(403);
      expect(errorCode(extended.body)).toBe('SignatureDoesNotMatch');
    }

    // Expires is whole seconds: after two, ExpiresIn=1 has passed for certain.
    await new Promise((done) => setTimeout(done, 2100));
    for (const version of ['v2', 'v4'] as const) {
      const expired = await curl(urls[version].expiring);
      expect(expired.status, version).toBe(403);
      expect(errorCode(expired.body), version).toBe('AccessDenied');
      expect(expired.body.toString()).toContain('expired');
      expect(expired.body.toString()).not.toContain('top secret bytes');
    }
  });
});

describe('S3 SigV2 through boto3', () => {
  it("signs bucket and object requests in headers with signature_version='s3'", async () => {
    const out = await boto3(`
v2 = client(signature_version='s3')
b = 'sigv2-headers'
key = "dir/a b+c~é!*()'"
steps = [
    ('create_bucket', dict(Bucket=b)),
    ('head_bucket', dict(Bucket=b)),
    ('put_bucket_versioning', dict(Bucket=b, VersioningConfiguration={'Status': 'Enabled'})),
    ('get_bucket_versioning', dict(Bucket=b)),
    ('put_object', dict(Bucket=b, Key=key, Body=b'signed v2', ContentType='text/plain', Metadata={'m': 'v'})),
    ('get_object', dict(Bucket=b, Key=key)),
    ('list_objects_v2', dict(Bucket=b, Prefix='dir/')),
    ('list_objects', dict(Bucket=b)),
    ('list_object_versions', dict(Bucket=b)),
    ('create_multipart_upload', dict(Bucket=b, Key='mp')),
    ('list_multipart_uploads', dict(Bucket=b)),
    ('copy_object', dict(Bucket=b, Key='copy', CopySource={'Bucket': b, 'Key': key})),
    ('delete_objects', dict(Bucket=b, Delete={'Objects': [{'Key': 'copy'}]})),
    ('get_bucket_location', dict(Bucket=b)),
    ('list_buckets', dict()),
]
out['errors'] = {name: call(name, v2, **kw).get('error') for name, kw in steps}
out['body'] = call('get_object', v2, Bucket=b, Key=key)['Body']
# A presigned bucket listing (SigV2 in the query) signs the same resource.
out['list_url'] = s3.generate_presigned_url('list_objects', Params={'Bucket': b}, ExpiresIn=300)
`);
    expect(out.errors).toEqual({
      create_bucket: null,
      head_bucket: null,
      put_bucket_versioning: null,
      get_bucket_versioning: null,
      put_object: null,
      get_object: null,
      list_objects_v2: null,
      list_objects: null,
      list_object_versions: null,
      create_multipart_upload: null,
      list_multipart_uploads: null,
      copy_object: null,
      delete_objects: null,
      get_bucket_location: null,
      list_buckets: null,
    });
    expect(out.body).toBe('signed v2');
    const listed = await curl(out.list_url as string);
    expect(listed.status, listed.body.toString()).toBe(200);
    expect(listed.body.toString()).toContain('<Name>sigv2-headers</Name>');
    // botocore asked for encoding-type=url when it presigned the listing.
    const listedKey = /<Key>([^<]+)<\/Key>/.exec(listed.body.toString())?.[1] ?? '';
    expect(decodeURIComponent(listedKey)).toBe("dir/a b+c~é!*()'");
  });
});

describe('S3 errors as boto3 sees them', () => {
  it('answers each mistake with the S3 error code and status', async () => {
    const out = await boto3(`
s3.create_bucket(Bucket='errors')
s3.put_object(Bucket='errors', Key='ten.bin', Body=b'0123456789')
out['missing_key'] = call('get_object', Bucket='errors', Key='nope')
out['head_missing_key'] = call('head_object', Bucket='errors', Key='nope')
out['missing_bucket_get'] = call('get_object', Bucket='no-such-bucket', Key='k')
out['missing_bucket_list'] = call('list_objects_v2', Bucket='no-such-bucket')
out['missing_bucket_head'] = call('head_bucket', Bucket='no-such-bucket')
out['missing_bucket_put'] = call('put_object', Bucket='no-such-bucket', Key='k', Body=b'x')
out['bad_names'] = {name: call('create_bucket', Bucket=name) for name in ('UPPER', 'a', 'ab..cd', '192.168.1.1', '-dash', 'x' * 64)}
out['not_empty'] = call('delete_bucket', Bucket='errors')
# botocore retries BadDigest (legacy mode, four more tries with back-off): once is enough here.
once = client(retries={'total_max_attempts': 1})
wrong_md5 = base64.b64encode(hashlib.md5(b'other bytes').digest()).decode()
out['bad_md5'] = call('put_object', once, Bucket='errors', Key='md5.bin', Body=b'payload', ContentMD5=wrong_md5)
out['bad_md5_head'] = call('head_object', Bucket='errors', Key='md5.bin')
good_md5 = base64.b64encode(hashlib.md5(b'payload').digest()).decode()
out['good_md5'] = call('put_object', Bucket='errors', Key='md5-good.bin', Body=b'payload', ContentMD5=good_md5)
out['bad_crc32'] = call('put_object', once, Bucket='errors', Key='crc.bin', Body=b'payload', ChecksumCRC32='AAAAAA==')
out['bad_crc32_head'] = call('head_object', Bucket='errors', Key='crc.bin')
out['range_past_end'] = call('get_object', Bucket='errors', Key='ten.bin', Range='bytes=100-')
out['range_tail'] = call('get_object', Bucket='errors', Key='ten.bin', Range='bytes=-3')
out['range_middle'] = call('get_object', Bucket='errors', Key='ten.bin', Range='bytes=2-4')
out['range_clipped'] = call('get_object', Bucket='errors', Key='ten.bin', Range='bytes=8-100')
out['buckets'] = [b['Name'] for b in s3.list_buckets()['Buckets'] if b['Name'] in out['bad_names'] or b['Name'] == 'no-such-bucket']
`);
    expect(out.missing_key).toMatchObject({ error: 'NoSuchKey', status: 404 });
    // HEAD answers carry no body, so botocore names the error after the status.
    expect(out.head_missing_key).toEqual({ error: '404', status: 404, message: 'Not Found' });
    expect(out.missing_bucket_get).toMatchObject({ error: 'NoSuchBucket', status: 404 });
    expect(out.missing_bucket_list).toMatchObject({ error: 'NoSuchBucket', status: 404 });
    expect(out.missing_bucket_head).toMatchObject({ error: '404', status: 404 });
    expect(out.missing_bucket_put).toMatchObject({ error: 'NoSuchBucket', status: 404 });
    const badNames = out.bad_names as Record<string, { error: string; status: number }>;
    for (const [name, result] of Object.entries(badNames)) {
      expect(result, name).toMatchObject({ error: 'InvalidBucketName', status: 400 });
    }
    expect(out.not_empty).toMatchObject({ error: 'BucketNotEmpty', status: 409 });
    expect(out.bad_md5).toMatchObject({ error: 'BadDigest', status: 400 });
    expect(out.bad_md5_head).toMatchObject({ error: '404' });
    expect(out.good_md5).toMatchObject({
      ETag: `"${createHash('md5').update('payload').digest('hex')}"`,
    });
    expect(out.bad_crc32).toMatchObject({ error: 'BadDigest', status: 400 });
    expect(out.bad_crc32_head).toMatchObject({ error: '404' });
    expect(out.range_past_end).toMatchObject({ error: 'InvalidRange', status: 416 });
    expect(out.range_tail).toMatchObject({ Body: '789', ContentRange: 'bytes 7-9/10' });
    expect(out.range_middle).toMatchObject({ Body: '234', ContentRange: 'bytes 2-4/10' });
    expect(out.range_clipped).toMatchObject({ Body: '89', ContentRange: 'bytes 8-9/10' });
    // Nothing was created by the refused requests.
    expect(out.buckets).toEqual([]);
  });
});

describe('S3 keys through boto3', () => {
  it('keeps every key its own object, however path-like, and never writes outside the data directory', async () => {
    const before = await sandboxFiles();
    const out = await boto3(`
s3.create_bucket(Bucket='keys')
keys = ['a/../b', 'a//b', 'a/b', 'b', '../../etc/passwd', '/leading', 'x%2Fy', 'x/y', 'nul\\x00byte',
        'a/./b', '.', '..', 'sp ace', 'pl+us', 'q?x=1#f', 'tab\\tkey', 'é/ünï/日本']
out['keys'] = keys
out['puts'] = {}
for i, key in enumerate(keys):
    out['puts'][key] = call('put_object', Bucket='keys', Key=key, Body=('body %d: %s' % (i, key)).encode()).get('error')
out['gets'] = {key: call('get_object', Bucket='keys', Key=key)['Body'].decode() for key in keys}
out['listed'] = [c['Key'] for c in s3.list_objects_v2(Bucket='keys')['Contents']]
out['listed_v1'] = [c['Key'] for c in s3.list_objects(Bucket='keys')['Contents']]
k1024 = 'k' * 1024
k1025 = 'k' * 1025
multibyte = 'é' * 512
out['k1024'] = call('put_object', Bucket='keys', Key=k1024, Body=b'long').get('ETag')
out['k1024_get'] = call('get_object', Bucket='keys', Key=k1024)['Body']
out['k1025'] = call('put_object', Bucket='keys', Key=k1025, Body=b'too long')
out['multibyte'] = call('put_object', Bucket='keys', Key=multibyte, Body=b'1024 bytes').get('ETag')
out['multibyte_over'] = call('put_object', Bucket='keys', Key=multibyte + 'x', Body=b'1025 bytes')
out['k1025_multipart'] = call('create_multipart_upload', Bucket='keys', Key=k1025)
out['k1025_copy'] = call('copy_object', Bucket='keys', Key=k1025, CopySource={'Bucket': 'keys', 'Key': 'b'})
`);
    const keys = out.keys as string[];
    expect(out.puts).toEqual(Object.fromEntries(keys.map((key) => [key, null])));
    expect(out.gets).toEqual(Object.fromEntries(keys.map((key, i) => [key, `body ${i}: ${key}`])));
    const utf8Order = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(out.listed).toEqual(utf8Order);
    expect(out.listed_v1).toEqual(utf8Order);
    expect(out.k1024).toEqual(expect.stringMatching(/^"[0-9a-f]{32}"$/));
    expect(out.k1024_get).toBe('long');
    expect(out.k1025).toMatchObject({ error: 'KeyTooLongError', status: 400 });
    expect(out.multibyte).toEqual(expect.stringMatching(/^"[0-9a-f]{32}"$/));
    expect(out.multibyte_over).toMatchObject({ error: 'KeyTooLongError', status: 400 });
    expect(out.k1025_multipart).toMatchObject({ error: 'KeyTooLongError' });
    expect(out.k1025_copy).toMatchObject({ error: 'KeyTooLongError' });

    // Nothing new beside the data directory, and nothing inside it is named after a key.
    const created = (await sandboxFiles()).filter((path) => !before.includes(path));
    const dataDir = relative(sandbox, server.dataDir);
    expect(created.filter((path) => !path.startsWith(`${dataDir}/`))).toEqual([]);
    const segments = new Set(keys.flatMap((key) => key.split('/')));
    for (const segment of ['', '.', '..']) segments.delete(segment);
    expect(created.filter((path) => path.split('/').some((part) => segments.has(part)))).toEqual(
      [],
    );
  });
});

/** Every path under the sandbox, which holds the server's data directory two levels down. */
async function sandboxFiles(): Promise<string[]> {
  const entries = await readdir(sandbox, { recursive: true, withFileTypes: true });
  return entries.map((entry) => relative(sandbox, join(entry.parentPath, entry.name))).sort();
}

describe('S3 listings through boto3', () => {
  it('lists with Prefix, Delimiter, StartAfter and MaxKeys, and pages with ContinuationToken', async () => {
    const out = await boto3(`
s3.create_bucket(Bucket='listing')
keys = ['photos/2023/a.jpg', 'photos/2023/b.jpg', 'photos/2024/c.jpg', 'photos/cover.jpg',
        'photos/d.jpg', 'readme.txt', 'videos/e.mp4', 'z.txt']
for key in keys:
    s3.put_object(Bucket='listing', Key=key, Body=key.encode())
def names(r):
    return {'keys': [c['Key'] for c in r.get('Contents', [])],
            'prefixes': [p['Prefix'] for p in r.get('CommonPrefixes', [])],
            'count': r['KeyCount'], 'truncated': r['IsTruncated'], 'token': r.get('NextContinuationToken')}
out['all'] = names(s3.list_objects_v2(Bucket='listing'))
out['top'] = names(s3.list_objects_v2(Bucket='listing', Delimiter='/'))
out['photos'] = names(s3.list_objects_v2(Bucket='listing', Prefix='photos/', Delimiter='/'))
out['prefix_only'] = names(s3.list_objects_v2(Bucket='listing', Prefix='photos/2'))
out['start_after'] = names(s3.list_objects_v2(Bucket='listing', StartAfter='photos/d.jpg'))
out['max_keys'] = names(s3.list_objects_v2(Bucket='listing', MaxKeys=2))
out['max_zero'] = names(s3.list_objects_v2(Bucket='listing', MaxKeys=0))
pages = []
kw = {'Bucket': 'listing', 'MaxKeys': 3}
while True:
    page = names(s3.list_objects_v2(**kw))
    pages.append(page)
    if not page['truncated']:
        break
    kw['ContinuationToken'] = page['token']
out['pages'] = pages
pages = []
kw = {'Bucket': 'listing', 'MaxKeys': 1, 'Prefix': 'photos/', 'Delimiter': '/'}
while True:
    page = names(s3.list_objects_v2(**kw))
    pages.append(page['keys'] + page['prefixes'])
    if not page['truncated']:
        break
    kw['ContinuationToken'] = page['token']
out['delimited_pages'] = pages
paginated = []
for page in s3.get_paginator('list_objects_v2').paginate(Bucket='listing', PaginationConfig={'PageSize': 3}):
    paginated.append([c['Key'] for c in page.get('Contents', [])])
out['paginator'] = paginated
out['bad_token'] = call('list_objects_v2', Bucket='listing', ContinuationToken='not-a-token')
`);
    const keys = [
      'photos/2023/a.jpg',
      'photos/2023/b.jpg',
      'photos/2024/c.jpg',
      'photos/cover.jpg',
      'photos/d.jpg',
      'readme.txt',
      'videos/e.mp4',
      'z.txt',
    ];
    expect(out.all).toMatchObject({ keys, prefixes: [], count: 8, truncated: false });
    expect(out.top).toMatchObject({
      keys: ['readme.txt', 'z.txt'],
      prefixes: ['photos/', 'videos/'],
      count: 4,
    });
    expect(out.photos).toMatchObject({
      keys: ['photos/cover.jpg', 'photos/d.jpg'],
      prefixes: ['photos/2023/', 'photos/2024/'],
    });
    expect(out.prefix_only).toMatchObject({ keys: keys.slice(0, 3), prefixes: [] });
    expect(out.start_after).toMatchObject({ keys: keys.slice(5) });
    expect(out.max_keys).toMatchObject({ keys: keys.slice(0, 2), count: 2, truncated: true });
    expect(out.max_zero).toMatchObject({ keys: [], count: 0, truncated: false });
    const pages = out.pages as { keys: string[]; truncated: boolean }[];
    expect(pages.map((p) => p.keys)).toEqual([keys.slice(0, 3), keys.slice(3, 6), keys.slice(6)]);
    expect(pages.map((p) => p.truncated)).toEqual([true, true, false]);
    expect(out.delimited_pages).toEqual([
      ['photos/2023/'],
      ['photos/2024/'],
      ['photos/cover.jpg'],
      ['photos/d.jpg'],
    ]);
    expect(out.paginator).toEqual([keys.slice(0, 3), keys.slice(3, 6), keys.slice(6)]);
    expect(out.bad_token).toMatchObject({ error: 'InvalidArgument', status: 400 });
  });

  it("URL-encodes keys, prefixes and markers on EncodingType='url'", async () => {
    const out = await boto3(`
s3.create_bucket(Bucket='encoded')
keys = ['a b/one', 'a+b/two', 'plain', 'sp ace+plus', '100%.csv', 'ctl\\x01char']
for key in keys:
    s3.put_object(Bucket='encoded', Key=key, Body=b'x')
# Asked for explicitly, botocore leaves the decoding to the caller.
r = s3.list_objects_v2(Bucket='encoded', EncodingType='url', Delimiter='/', StartAfter='0 x+y')
out['raw_keys'] = [c['Key'] for c in r.get('Contents', [])]
out['raw_prefixes'] = [p['Prefix'] for p in r.get('CommonPrefixes', [])]
out['encoding'] = r.get('EncodingType')
out['start_after'] = r.get('StartAfter')
out['keys'] = [unquote_plus(k) for k in out['raw_keys']]
out['prefixes'] = [unquote_plus(p) for p in out['raw_prefixes']]
# Not asked for, botocore asks for it anyway and decodes.
out['auto'] = [c['Key'] for c in s3.list_objects_v2(Bucket='encoded')['Contents']]
out['auto_v1'] = [c['Key'] for c in s3.list_objects(Bucket='encoded')['Contents']]
`);
    expect(out.encoding).toBe('url');
    expect(out.keys).toEqual(['100%.csv', 'ctl\x01char', 'plain', 'sp ace+plus']);
    expect(out.prefixes).toEqual(['a b/', 'a+b/']);
    // Encoded, a space and a literal plus differ, and nothing is left raw.
    const raw = [
      ...(out.raw_keys as string[]),
      ...(out.raw_prefixes as string[]),
      out.start_after as string,
    ];
    for (const value of raw) {
      expect(value).not.toContain(' ');
      expect(value).not.toContain('\x01');
    }
    expect(out.raw_prefixes).toEqual([
      expect.not.stringContaining('%2B'),
      expect.stringMatching(/^a%2Bb(\/|%2F)$/),
    ]);
    expect(out.raw_keys).toContain('100%25.csv');
    expect(out.raw_keys).toContain('ctl%01char');
    expect((out.raw_keys as string[]).find((k) => k.startsWith('sp'))).toMatch(/%2Bplus$/);
    expect(unquotePlus(out.start_after as string)).toBe('0 x+y');
    expect(out.start_after).toContain('%2B');
    const all = ['100%.csv', 'a b/one', 'a+b/two', 'ctl\x01char', 'plain', 'sp ace+plus'];
    expect(out.auto).toEqual(all);
    expect(out.auto_v1).toEqual(all);
  });
});

/** Python's unquote_plus. */
function unquotePlus(value: string): string {
  return decodeURIComponent(value.replaceAll('+', ' '));
}

describe('S3 multipart objects through boto3', () => {
  it('uploads and downloads with the transfer manager, and reads single parts by partNumber', async () => {
    const content = randomBytes(11 * 1024 * 1024 + 4321);
    await writeFile(join(scratch, 'transfer.bin'), content);
    const out = await boto3(`
from boto3.s3.transfer import TransferConfig
s3.create_bucket(Bucket='transfer')
cfg = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
s3.upload_file('${scratch}/transfer.bin', 'transfer', 'big.bin', Config=cfg)
s3.download_file('transfer', 'big.bin', '${scratch}/transfer.out', Config=cfg)
out['downloaded'] = hashlib.sha256(open('${scratch}/transfer.out', 'rb').read()).hexdigest()
out['head'] = call('head_object', Bucket='transfer', Key='big.bin')
parts = []
for n in (1, 2, 3):
    r = call('get_object', Bucket='transfer', Key='big.bin', PartNumber=n)
    parts.append({'sha': hashlib.sha256(r['Body']).hexdigest(), 'ContentLength': r['ContentLength'],
                  'ContentRange': r['ContentRange'], 'PartsCount': r.get('PartsCount'), 'ETag': r['ETag']})
out['parts'] = parts
out['head_part'] = {k: v for k, v in call('head_object', Bucket='transfer', Key='big.bin', PartNumber=3).items()
                    if k in ('ContentLength', 'ContentRange', 'PartsCount')}
out['part_past_end'] = call('get_object', Bucket='transfer', Key='big.bin', PartNumber=4)
out['part_and_range'] = call('get_object', Bucket='transfer', Key='big.bin', PartNumber=1, Range='bytes=0-1')
s3.put_object(Bucket='transfer', Key='small.bin', Body=b'one part')
r = call('get_object', Bucket='transfer', Key='small.bin', PartNumber=1)
out['single_part'] = {'Body': r['Body'], 'ContentRange': r.get('ContentRange')}
out['single_part_2'] = call('get_object', Bucket='transfer', Key='small.bin', PartNumber=2)
`);
    const MiB = 1024 * 1024;
    const total = content.length;
    expect(out.downloaded).toBe(sha256(content));
    expect(out.head).toMatchObject({
      ContentLength: total,
      ETag: expect.stringMatching(/-3"$/) as unknown,
    });
    const sizes = [5 * MiB, 5 * MiB, total - 10 * MiB];
    expect(out.parts).toEqual(
      sizes.map((size, i) => ({
        sha: sha256(content.subarray(i * 5 * MiB, i * 5 * MiB + size)),
        ContentLength: size,
        ContentRange: `bytes ${i * 5 * MiB}-${i * 5 * MiB + size - 1}/${total}`,
        PartsCount: 3,
        ETag: (out.head as { ETag: string }).ETag,
      })),
    );
    expect(out.head_part).toEqual({
      ContentLength: sizes[2],
      ContentRange: `bytes ${10 * MiB}-${total - 1}/${total}`,
      PartsCount: 3,
    });
    // S3 calls this InvalidPartNumber; Slipway answers InvalidRange, with the same 416.
    expect(out.part_past_end).toMatchObject({ status: 416 });
    expect(out.part_and_range).toMatchObject({ error: 'InvalidArgument', status: 400 });
    expect(out.single_part).toEqual({ Body: 'one part', ContentRange: 'bytes 0-7/8' });
    expect(out.single_part_2).toMatchObject({ status: 416 });
  });

  it('refuses conditional writes it cannot honour instead of overwriting', async () => {
    const out = await boto3(`
s3.create_bucket(Bucket='conditional')
first = s3.put_object(Bucket='conditional', Key='lock', Body=b'first')['ETag']
out['create_only'] = call('put_object', Bucket='conditional', Key='lock', Body=b'second', IfNoneMatch='*')
out['replace_if'] = call('put_object', Bucket='conditional', Key='lock', Body=b'third', IfMatch='"0123456789abcdef0123456789abcdef"')
out['copy_if'] = call('copy_object', Bucket='conditional', Key='lock', CopySource='conditional/lock', MetadataDirective='REPLACE', IfNoneMatch='*')
out['delete_if'] = call('delete_object', Bucket='conditional', Key='lock', IfMatch='"0123456789abcdef0123456789abcdef"')
u = s3.create_multipart_upload(Bucket='conditional', Key='lock')['UploadId']
e = s3.upload_part(Bucket='conditional', Key='lock', UploadId=u, PartNumber=1, Body=b'part')['ETag']
out['complete_if'] = call('complete_multipart_upload', Bucket='conditional', Key='lock', UploadId=u, IfNoneMatch='*',
                          MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': e}]})
out['body'] = s3.get_object(Bucket='conditional', Key='lock')['Body'].read()
out['unconditional'] = call('put_object', Bucket='conditional', Key='lock', Body=b'fourth').get('error')
`);
    for (const name of ['create_only', 'replace_if', 'copy_if', 'delete_if', 'complete_if']) {
      expect(out[name], name).toMatchObject({ error: 'NotImplemented', status: 501 });
    }
    expect(out.body).toBe('first');
    expect(out.unconditional).toBeNull();
  });
});

describe('S3 copies and batch deletes through boto3', () => {
  it('copies within a bucket and across buckets, metadata included', async () => {
    const out = await boto3(`
for b in ('copy-from', 'copy-to'):
    s3.create_bucket(Bucket=b)
s3.put_object(Bucket='copy-from', Key='src/file.txt', Body=b'copied bytes', ContentType='text/plain',
              Metadata={'owner': 'ada'})
out['same'] = call('copy_object', Bucket='copy-from', Key='dst/file.txt', CopySource={'Bucket': 'copy-from', 'Key': 'src/file.txt'})
out['across'] = call('copy_object', Bucket='copy-to', Key='file copy.txt', CopySource='copy-from/src/file.txt')
out['replaced'] = call('copy_object', Bucket='copy-to', Key='replaced.txt', CopySource={'Bucket': 'copy-from', 'Key': 'src/file.txt'},
                       MetadataDirective='REPLACE', ContentType='application/json', Metadata={'owner': 'grace'})
out['to_itself'] = call('copy_object', Bucket='copy-from', Key='src/file.txt', CopySource={'Bucket': 'copy-from', 'Key': 'src/file.txt'})
out['missing_source'] = call('copy_object', Bucket='copy-to', Key='x', CopySource={'Bucket': 'copy-from', 'Key': 'nope'})
out['missing_source_bucket'] = call('copy_object', Bucket='copy-to', Key='x', CopySource={'Bucket': 'nope-bucket', 'Key': 'k'})
for name, (b, k) in {'same_get': ('copy-from', 'dst/file.txt'), 'across_get': ('copy-to', 'file copy.txt'),
                     'replaced_get': ('copy-to', 'replaced.txt')}.items():
    r = call('get_object', Bucket=b, Key=k)
    out[name] = {'Body': r['Body'], 'ContentType': r['ContentType'], 'Metadata': r['Metadata'], 'ETag': r['ETag']}
out['source_etag'] = s3.head_object(Bucket='copy-from', Key='src/file.txt')['ETag']
`);
    const etag = `"${createHash('md5').update('copied bytes').digest('hex')}"`;
    expect(out.source_etag).toBe(etag);
    expect(out.same).toMatchObject({ CopyObjectResult: { ETag: etag } });
    expect(out.across).toMatchObject({ CopyObjectResult: { ETag: etag } });
    expect(out.same_get).toEqual({
      Body: 'copied bytes',
      ContentType: 'text/plain',
      Metadata: { owner: 'ada' },
      ETag: etag,
    });
    expect(out.across_get).toEqual(out.same_get);
    expect(out.replaced_get).toEqual({
      Body: 'copied bytes',
      ContentType: 'application/json',
      Metadata: { owner: 'grace' },
      ETag: etag,
    });
    expect(out.to_itself).toMatchObject({ error: 'InvalidRequest', status: 400 });
    expect(out.missing_source).toMatchObject({ error: 'NoSuchKey', status: 404 });
    expect(out.missing_source_bucket).toMatchObject({ error: 'NoSuchBucket', status: 404 });
  });

  it('deletes a batch and reports every key when not quiet', async () => {
    const out = await boto3(`
s3.create_bucket(Bucket='batch')
for key in ('one', 'two', 'dir/three', 'keep'):
    s3.put_object(Bucket='batch', Key=key, Body=b'x')
r = call('delete_objects', Bucket='batch', Delete={'Quiet': False, 'Objects': [
    {'Key': 'one'}, {'Key': 'two'}, {'Key': 'dir/three'}, {'Key': 'never-existed'}]})
out['deleted'] = sorted(d['Key'] for d in r.get('Deleted', []))
out['errors'] = r.get('Errors', [])
out['left'] = [c['Key'] for c in s3.list_objects_v2(Bucket='batch')['Contents']]
r = call('delete_objects', Bucket='batch', Delete={'Quiet': True, 'Objects': [{'Key': 'keep'}]})
out['quiet'] = r
out['empty'] = s3.list_objects_v2(Bucket='batch')['KeyCount']
s3.create_bucket(Bucket='batch-versioned')
s3.put_bucket_versioning(Bucket='batch-versioned', VersioningConfiguration={'Status': 'Enabled'})
v = s3.put_object(Bucket='batch-versioned', Key='doc', Body=b'v1')['VersionId']
r = call('delete_objects', Bucket='batch-versioned', Delete={'Objects': [{'Key': 'doc'}]})
out['marker'] = r['Deleted']
r = call('delete_objects', Bucket='batch-versioned', Delete={'Objects': [{'Key': 'doc', 'VersionId': v}]})
out['version'] = r['Deleted']
out['version_id'] = v
out['versions_left'] = len(s3.list_object_versions(Bucket='batch-versioned').get('Versions', []))
`);
    expect(out.deleted).toEqual(['dir/three', 'never-existed', 'one', 'two']);
    expect(out.errors).toEqual([]);
    expect(out.left).toEqual(['keep']);
    expect(out.quiet).toEqual({});
    expect(out.empty).toBe(0);
    expect(out.marker).toEqual([
      { Key: 'doc', DeleteMarker: true, DeleteMarkerVersionId: expect.any(String) as unknown },
    ]);
    expect(out.version).toEqual([{ Key: 'doc', VersionId: out.version_id }]);
    expect(out.versions_left).toBe(0);
  });
});

/** Whether Python (so boto3) resolves `<bucket>.localhost`; many resolvers do, glibc does not. */
async function resolvesBucketLocalhost(): Promise<boolean> {
  const result = await python(
    "import socket; print(socket.getaddrinfo('vhost-check.localhost', 80)[0][4][0])",
    {},
  );
  return result.code === 0 && result.stdout.trim() === '127.0.0.1';
}

/**
 * Python for one bucket's round trip in virtual-hosted style (`<bucket>.localhost:<port>`):
 * create, write, read, list, copy, batch-delete, delete the bucket; then presigned GET URLs
 * (SigV2 and SigV4) for an object left in place.
 */
function virtualHostedFlow(bucket: string): string {
  const endpoint = `http://localhost:${new URL(server.url).port}`;
  return `
b = '${bucket}'
v = client('${endpoint}', s3={'addressing_style': 'virtual'})
v4 = client('${endpoint}', s3={'addressing_style': 'virtual'}, signature_version='s3v4')
out['create'] = call('create_bucket', v, Bucket=b)
out['put'] = call('put_object', v, Bucket=b, Key='dir/a b+c.txt', Body=b'virtual bytes')
out['get'] = call('get_object', v, Bucket=b, Key='dir/a b+c.txt')['Body']
out['list'] = [c['Key'] for c in v.list_objects_v2(Bucket=b)['Contents']]
out['head_bucket'] = call('head_bucket', v, Bucket=b).get('error')
out['path_style_sees_it'] = call('get_object', Bucket=b, Key='dir/a b+c.txt')['Body']
out['copy'] = call('copy_object', v, Bucket=b, Key='copy.txt', CopySource={'Bucket': b, 'Key': 'dir/a b+c.txt'}).get('error')
u = v.create_multipart_upload(Bucket=b, Key='multi part')['UploadId']
e = v.upload_part(Bucket=b, Key='multi part', UploadId=u, PartNumber=1, Body=b'one part')['ETag']
out['completed'] = call('complete_multipart_upload', v, Bucket=b, Key='multi part', UploadId=u,
                        MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': e}]})
out['delete'] = call('delete_objects', v, Bucket=b, Delete={'Objects': [{'Key': 'copy.txt'}, {'Key': 'dir/a b+c.txt'}, {'Key': 'multi part'}]})
out['delete_bucket'] = call('delete_bucket', v, Bucket=b)
s3.create_bucket(Bucket=b)
s3.put_object(Bucket=b, Key='signed/x y.txt', Body=b'signed bytes')
out['urls'] = [c.generate_presigned_url('get_object', Params={'Bucket': b, 'Key': 'signed/x y.txt'}, ExpiresIn=300)
               for c in (v, v4)]
`;
}

describe('S3 virtual-hosted style through boto3', () => {
  it('works with <bucket>.localhost resolved by the system', async (context) => {
    if (!(await resolvesBucketLocalhost())) {
      context.skip(
        '<bucket>.localhost does not resolve to 127.0.0.1 on this machine (glibc without ' +
          'nss-myhostname); the next test covers virtual-hosted style with it resolved in Python',
      );
    }
    await expectVirtualHostedFlow(await boto3(virtualHostedFlow('vhost')), 'vhost');
  });

  it('works with <bucket>.localhost resolved to 127.0.0.1 in the client, as RFC 6761 allows', async () => {
    // What curl, browsers and systemd-resolved do for *.localhost, done inside the script.
    const out = await boto3(`
_getaddrinfo = socket.getaddrinfo
def getaddrinfo(host, *args, **kw):
    if isinstance(host, str) and host.endswith('.localhost'):
        host = '127.0.0.1'
    return _getaddrinfo(host, *args, **kw)
socket.getaddrinfo = getaddrinfo
${virtualHostedFlow('vhost-resolved')}
`);
    await expectVirtualHostedFlow(out, 'vhost-resolved');
  });
});

async function expectVirtualHostedFlow(
  out: Record<string, unknown>,
  bucket: string,
): Promise<void> {
  expect(out.create).toMatchObject({ Location: `/${bucket}` });
  expect(out.put).toMatchObject({ ETag: expect.any(String) as unknown });
  expect(out.get).toBe('virtual bytes');
  expect(out.list).toEqual(['dir/a b+c.txt']);
  expect(out.head_bucket).toBeNull();
  expect(out.path_style_sees_it).toBe('virtual bytes');
  expect(out.copy).toBeNull();
  // The Location is in the style of the request: the Host names the bucket, the path the key.
  const origin = `http://${bucket}.localhost:${new URL(server.url).port}`;
  expect(out.completed).toMatchObject({ Bucket: bucket, Location: `${origin}/multi%20part` });
  expect(out.delete).toMatchObject({
    Deleted: [{ Key: 'copy.txt' }, { Key: 'dir/a b+c.txt' }, { Key: 'multi part' }],
  });
  expect(out.delete_bucket).toEqual({});
  // curl resolves *.localhost itself. SigV2 signs `/<bucket>/<key>` for a virtual-hosted URL.
  const [v2, v4] = out.urls as [string, string];
  const prefix = `${origin}/signed/x%20y.txt?`;
  expect(v2.startsWith(`${prefix}AWSAccessKeyId=`), v2).toBe(true);
  expect(v4.startsWith(`${prefix}X-Amz-Algorithm=`), v4).toBe(true);
  for (const url of [v2, v4]) {
    const got = await curl(url);
    expect(got.status).toBe(200);
    expect(got.body.toString()).toBe('signed bytes');
  }
}
