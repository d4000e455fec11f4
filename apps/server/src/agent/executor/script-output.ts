import { StringDecoder } from 'node:string_decoder';

export type OutputStream = 'stdout' | 'stderr';

export interface ScriptOutputOptions {
  /** Output kept of one script before the rest is dropped (default 16 MiB). */
  readonly capBytes?: number;
  /** The end of the output kept for the completion diagnostics (default 4 KiB). */
  readonly tailBytes?: number;
  /** Receives each kept line, `[stdout]text` without its newline. */
  readonly onLine: (line: string) => void;
}

export const truncatedMarker = '[output truncated]';
/** A line longer than this is cut into pieces, so one endless line cannot fill memory. */
const maxLineChars = 64 * 1024;

/**
 * One script's output, split into lines prefixed `[stdout]`/`[stderr]` as the stock agent
 * logs them. Up to `capBytes` go to `onLine`; after that a single `[output truncated]` line,
 * and the rest is dropped. The last `tailBytes` are always kept for the diagnostics, so a
 * script that prints megabytes before failing still shows how it failed.
 */
export class ScriptOutput {
  readonly #capBytes: number;
  readonly #tailBytes: number;
  readonly #onLine: (line: string) => void;
  readonly #decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  readonly #partial = { stdout: '', stderr: '' };
  #emitted = 0;
  #truncated = false;
  #tail = '';

  constructor(options: ScriptOutputOptions) {
    this.#capBytes = options.capBytes ?? 16 * 1024 * 1024;
    this.#tailBytes = options.tailBytes ?? 4096;
    this.#onLine = options.onLine;
  }

  get truncated(): boolean {
    return this.#truncated;
  }

  write(stream: OutputStream, chunk: Buffer): void {
    let text = this.#decoders[stream].write(chunk);
    // Past the cap only the tail matters: skip all but the chunk's end.
    if (this.#truncated && text.length > this.#tailBytes) text = text.slice(-this.#tailBytes);
    const lines = (this.#partial[stream] + text).split('\n');
    let rest = lines.pop() ?? '';
    for (const line of lines) this.#line(stream, line);
    while (rest.length > maxLineChars) {
      this.#line(stream, rest.slice(0, maxLineChars));
      rest = rest.slice(maxLineChars);
    }
    this.#partial[stream] = rest;
  }

  /** Flushes unfinished lines; call once the script's outputs closed. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.#partial[stream] + this.#decoders[stream].end();
      this.#partial[stream] = '';
      if (rest !== '') this.#line(stream, rest);
    }
  }

  /** The last `tailBytes` (about: counted in characters) of the output, lines prefixed. */
  tail(): string {
    return this.#tail.length > this.#tailBytes ? this.#tail.slice(-this.#tailBytes) : this.#tail;
  }

  #line(stream: OutputStream, text: string): void {
    const line = `[${stream}]${text}`;
    this.#addToTail(`${line}\n`);
    if (this.#truncated) return;
    this.#emitted += Buffer.byteLength(line) + 1;
    if (this.#emitted > this.#capBytes) {
      this.#truncated = true;
      this.#onLine(truncatedMarker);
      return;
    }
    this.#onLine(line);
  }

  #addToTail(text: string): void {
    this.#tail += text;
    if (this.#tail.length > this.#tailBytes * 4) this.#tail = this.#tail.slice(-this.#tailBytes);
  }
}
