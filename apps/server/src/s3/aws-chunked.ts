import { createHash } from 'node:crypto';
/**
 * Decodes the `aws-chunked` content encoding SDKs use for streamed uploads (reference
 * aws-compat.md §1.4): `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n` … then a zero-size
 * chunk, optional trailer lines (`x-amz-checksum-crc32:<base64>`) and a blank line. Streams:
 * only the current header or trailer line is ever buffered.
 */
export interface AwsChunkedResult {
  /** Trailer headers, lower-cased names. */
  readonly trailers: ReadonlyMap<string, string>;
  /** Each chunk's `chunk-signature`, in order, for callers that verify them. */
  readonly signatures: readonly string[];
  /**
   * Hex SHA-256 of each chunk's data (the final empty chunk too): what each signature signs.
   * Empty unless asked for (`hashChunks`).
   */
  readonly chunkSha256s: readonly string[];
}

export class AwsChunkedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AwsChunkedError';
  }
}

/** Longest header or trailer line accepted; real ones are under 200 bytes. */
const maxLineBytes = 4096;

export interface AwsChunkedOptions {
  /** `x-amz-decoded-content-length`: a different decoded length is an error. */
  readonly decodedLength?: number | undefined;
  /** Hash each chunk, for a signed stream's chunk signatures (a cost unsigned streams skip). */
  readonly hashChunks?: boolean;
}

/**
 * Yields the decoded bytes of `body`; `done` resolves after the last byte with the trailers.
 * Throws AwsChunkedError on malformed framing, and when the decoded length differs from
 * `decodedLength` if given.
 */
export function decodeAwsChunked(
  body: AsyncIterable<Uint8Array>,
  options: AwsChunkedOptions = {},
): { data: AsyncIterable<Uint8Array>; done: Promise<AwsChunkedResult> } {
  let finish: (result: AwsChunkedResult) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<AwsChunkedResult>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // A caller that stops reading early never awaits `done`; that is not an unhandled rejection.
  done.catch(() => undefined);
  async function* data(): AsyncIterable<Uint8Array> {
    try {
      const result = yield* decode(body, options.decodedLength, options.hashChunks === true);
      finish(result);
    } catch (error) {
      fail(error);
      throw error;
    }
  }
  return { data: data(), done };
}

type State =
  | { kind: 'size' }
  | { kind: 'data'; remaining: number }
  | { kind: 'data-end'; seen: number }
  | { kind: 'trailer' }
  | { kind: 'end' };

async function* decode(
  body: AsyncIterable<Uint8Array>,
  decodedLength: number | undefined,
  hashChunks: boolean,
): AsyncGenerator<Uint8Array, AwsChunkedResult> {
  const trailers = new Map<string, string>();
  const signatures: string[] = [];
  const chunkSha256s: string[] = [];
  const newHash = () => (hashChunks ? createHash('sha256') : undefined);
  let chunkHash = newHash();
  let state: State = { kind: 'size' };
  let line: number[] = [];
  let total = 0;

  for await (const chunk of body) {
    let i = 0;
    while (i < chunk.length) {
      if (state.kind === 'data') {
        const take = Math.min(state.remaining, chunk.length - i);
        const data = chunk.subarray(i, i + take);
        chunkHash?.update(data);
        yield data;
        total += take;
        i += take;
        if (state.remaining === take) {
          if (chunkHash !== undefined) chunkSha256s.push(chunkHash.digest('hex'));
          chunkHash = newHash();
          state = { kind: 'data-end', seen: 0 };
        } else {
          state = { kind: 'data', remaining: state.remaining - take };
        }
        continue;
      }
      if (state.kind === 'data-end') {
        const expected = state.seen === 0 ? 0x0d : 0x0a;
        if (chunk[i] !== expected) throw new AwsChunkedError('chunk data is not followed by CRLF');
        i += 1;
        state = state.seen === 0 ? { kind: 'data-end', seen: 1 } : { kind: 'size' };
        continue;
      }
      if (state.kind === 'end') throw new AwsChunkedError('bytes after the final chunk');
      // Header and trailer lines: gather up to LF.
      const byte = chunk[i] ?? 0;
      i += 1;
      if (byte !== 0x0a) {
        if (line.length >= maxLineBytes) throw new AwsChunkedError('chunk header line too long');
        line.push(byte);
        continue;
      }
      if (line.at(-1) !== 0x0d) throw new AwsChunkedError('chunk header line without CRLF');
      const text = Buffer.from(line.slice(0, -1)).toString('latin1');
      line = [];
      if (state.kind === 'size') {
        state = sizeLine(text, signatures);
        // The final chunk has no data; its signature signs the empty string's hash.
        if (state.kind === 'trailer' && chunkHash !== undefined) {
          chunkSha256s.push(chunkHash.digest('hex'));
        }
      } else {
        state = trailerLine(text, trailers);
      }
    }
  }
  if (state.kind !== 'end') throw new AwsChunkedError('the body ended inside a chunk');
  if (decodedLength !== undefined && total !== decodedLength) {
    throw new AwsChunkedError(
      `decoded ${total} bytes, but x-amz-decoded-content-length says ${decodedLength}`,
    );
  }
  return { trailers, signatures, chunkSha256s };
}

function sizeLine(text: string, signatures: string[]): State {
  const [sizeText = '', ...extensions] = text.split(';');
  if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) {
    throw new AwsChunkedError(`bad chunk size '${sizeText.slice(0, 20)}'`);
  }
  for (const extension of extensions) {
    const [name, value] = extension.split('=');
    if (name === 'chunk-signature' && value !== undefined) signatures.push(value);
  }
  const size = Number.parseInt(sizeText, 16);
  if (!Number.isSafeInteger(size)) throw new AwsChunkedError('chunk size too large');
  return size === 0 ? { kind: 'trailer' } : { kind: 'data', remaining: size };
}

function trailerLine(text: string, trailers: Map<string, string>): State {
  if (text === '') return { kind: 'end' };
  const colon = text.indexOf(':');
  if (colon <= 0) throw new AwsChunkedError('bad trailer line');
  trailers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
  return { kind: 'trailer' };
}
