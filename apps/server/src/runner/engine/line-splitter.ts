/**
 * Cuts a byte stream into log lines with bounded memory. A line longer than `maxLineBytes` is
 * emitted as soon as it reaches the limit, with a marker saying it was cut, and the rest of it
 * is dropped up to the next newline: 100 MB written without a newline costs one buffer of
 * `maxLineBytes`, not 100 MB. Lines are decoded as UTF-8 (invalid bytes become U+FFFD), and a
 * trailing CR is dropped.
 */
export const defaultMaxLineBytes = 1024 * 1024;

/** The record separator that starts the engine's command markers (see command-markers.ts). */
const markerStart = 0x1e;
/** Enough of a dropped line's end to still see a command marker behind it. */
const tailBytes = 256;

export class LineSplitter {
  readonly #max: number;
  #parts: Buffer[] = [];
  #size = 0;
  #dropping = false;
  #tail: Buffer = Buffer.alloc(0);

  constructor(maxLineBytes: number = defaultMaxLineBytes) {
    this.#max = maxLineBytes;
  }

  /** The lines this chunk completes (and any cut at the limit). */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      this.#append(chunk.subarray(start, newline === -1 ? chunk.length : newline), lines);
      if (newline === -1) return lines;
      const line = this.#finishLine();
      if (line !== undefined) lines.push(line);
      start = newline + 1;
    }
  }

  /** What is left when the stream ends: a last line without its newline. */
  end(): string[] {
    if (this.#size === 0 && !this.#dropping) return [];
    const line = this.#finishLine();
    return line === undefined ? [] : [line];
  }

  #append(piece: Buffer, lines: string[]): void {
    if (piece.length === 0) return;
    if (this.#dropping) return this.#keepTail(piece);
    const room = this.#max - this.#size;
    if (piece.length <= room) {
      this.#parts.push(piece);
      this.#size += piece.length;
      return;
    }
    this.#parts.push(piece.subarray(0, room));
    this.#size += room;
    lines.push(`${this.#take()} [line cut: longer than ${this.#max} bytes]`);
    this.#dropping = true;
    this.#tail = Buffer.alloc(0);
    this.#keepTail(piece.subarray(room));
  }

  #keepTail(piece: Buffer): void {
    const joined = Buffer.concat([this.#tail, piece.subarray(-tailBytes)]);
    this.#tail = Buffer.from(joined.subarray(-tailBytes));
  }

  #finishLine(): string | undefined {
    if (!this.#dropping) return this.#take();
    this.#dropping = false;
    // A command marker written right after a cut line's end must not be lost with it.
    const marker = this.#tail.indexOf(markerStart);
    const rest = marker === -1 ? undefined : this.#tail.subarray(marker).toString('utf8');
    this.#tail = Buffer.alloc(0);
    return rest;
  }

  #take(): string {
    const text = Buffer.concat(this.#parts, this.#size).toString('utf8');
    this.#parts = [];
    this.#size = 0;
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  }
}
