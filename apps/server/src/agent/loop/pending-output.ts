import { truncatedMarker } from '../executor/script-output.ts';

/**
 * The output produced since the last PostHostCommandUpdate. Bounded: if the server cannot be
 * reached for a while, the lines beyond `maxBytes` are dropped with one marker line.
 */
export class PendingOutput {
  readonly #maxBytes: number;
  #lines: string[] = [];
  #bytes = 0;
  #dropped = false;

  constructor(maxBytes = 1024 * 1024) {
    this.#maxBytes = maxBytes;
  }

  push(line: string): void {
    if (this.#dropped) return;
    const size = Buffer.byteLength(line) + 1;
    if (this.#bytes + size > this.#maxBytes) {
      this.#dropped = true;
      this.#lines.push(truncatedMarker);
      return;
    }
    this.#lines.push(line);
    this.#bytes += size;
  }

  /** Everything pending, newline-terminated lines, and starts afresh. */
  take(): string {
    const text = this.#lines.map((line) => `${line}\n`).join('');
    this.#lines = [];
    this.#bytes = 0;
    this.#dropped = false;
    return text;
  }

  get isEmpty(): boolean {
    return this.#lines.length === 0;
  }
}
