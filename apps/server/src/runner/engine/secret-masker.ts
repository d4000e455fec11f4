/**
 * Replaces secret values with `***` in log lines, as CodeBuild masks Parameter Store and
 * Secrets Manager values. It works on whole lines, so a value split across two output chunks
 * is still found; a multi-line value is masked line by line.
 */
export class SecretMasker {
  readonly #pattern: RegExp | undefined;

  constructor(values: Iterable<string>) {
    const pieces = new Set<string>();
    for (const value of values) {
      for (const piece of value.split(/\r?\n/)) if (piece.trim() !== '') pieces.add(piece);
    }
    // Longest first, so a secret that contains another is masked whole.
    const sorted = [...pieces].sort((a, b) => b.length - a.length);
    this.#pattern =
      sorted.length === 0 ? undefined : new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  }

  get active(): boolean {
    return this.#pattern !== undefined;
  }

  mask(line: string): string {
    return this.#pattern === undefined ? line : line.replace(this.#pattern, '***');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
