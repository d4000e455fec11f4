import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveSigningKey } from '../aws-api/sigv4/verify-signature.ts';
import { chunkSignature, type ChunkSigningContext, type S3Payload } from './s3-auth.ts';
import { uploadBody } from './s3-body.ts';

const context: ChunkSigningContext = {
  seedSignature: 'a'.repeat(64),
  signingKey: deriveSigningKey('secret', {
    accessKeyId: 'AKID',
    date: '20261122',
    region: 'us-east-1',
    service: 's3',
  }),
  timestamp: '20261122T120000Z',
  scope: '20261122/us-east-1/s3/aws4_request',
};

/** A `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` body, signed as the SDKs sign it. */
function signedChunked(chunks: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  let previous = context.seedSignature;
  for (const data of [...chunks, Buffer.alloc(0)]) {
    const sha256 = createHash('sha256').update(data).digest('hex');
    const signature = chunkSignature(context, previous, sha256);
    parts.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${signature}\r\n`));
    if (data.length > 0) parts.push(data, Buffer.from('\r\n'));
    previous = signature;
  }
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

async function* once(bytes: Buffer): AsyncIterable<Uint8Array> {
  yield await Promise.resolve(bytes);
}

async function consume(body: Buffer, decodedLength: number): Promise<string> {
  const payload: S3Payload = {
    kind: 'streaming',
    signed: true,
    trailer: false,
    decodedLength,
    chunkSigning: context,
  };
  const upload = uploadBody(once(body), { 'content-encoding': 'aws-chunked' }, payload);
  const out: Buffer[] = [];
  for await (const chunk of upload.body) out.push(Buffer.from(chunk));
  return Buffer.concat(out).toString();
}

describe('uploadBody with signed aws-chunked bodies', () => {
  const chunks = [Buffer.from('hello '), Buffer.from('signed '), Buffer.from('chunks')];

  it('accepts a body whose chunk signatures chain from the seed', async () => {
    expect(await consume(signedChunked(chunks), 19)).toBe('hello signed chunks');
  });

  it('refuses a body with one byte changed in transit', async () => {
    const tampered = Buffer.from(
      signedChunked(chunks).toString('latin1').replace('signed', 'SIGNED'),
      'latin1',
    );
    await expect(consume(tampered, 19)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('refuses chunks reordered with their signatures', async () => {
    const swapped = signedChunked([
      chunks[1] ?? Buffer.alloc(0),
      chunks[0] ?? Buffer.alloc(0),
      chunks[2] ?? Buffer.alloc(0),
    ]);
    const original = signedChunked(chunks);
    const [head] = original.toString('latin1').split('\r\n');
    // The first chunk now carries the signature computed for the original first chunk.
    const forged = Buffer.from(
      swapped.toString('latin1').replace(/^[^\r]*/, `7;${head?.split(';')[1] ?? ''}`),
      'latin1',
    );
    await expect(consume(forged, 19)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });
});
