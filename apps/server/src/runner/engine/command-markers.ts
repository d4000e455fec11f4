import { randomBytes } from 'node:crypto';

/**
 * How the engine learns, in order with the output, which command a phase's shell is at: before
 * each buildspec command it runs a marker command that prints `\x1e<nonce> <index>\x1e` on
 * stdout, and turns that line into CodeBuild's `Running command …` line. The marker shares the
 * stdout pipe with the commands, so it can never overtake the previous command's output.
 *
 * The nonce is random per build, so output cannot fake a marker by accident. The marker is not
 * printed when stdout has become a regular file (`exec > file` in a command must not write
 * markers into the user's file), and `$?` is 0 after it, as after the successful command before
 * it.
 * Every piece of it names the nonce, so its `set -x` trace lines can be dropped from stderr.
 */
export class CommandMarkers {
  readonly nonce: string;
  readonly #pattern: RegExp;

  constructor(nonce: string = randomBytes(16).toString('hex')) {
    this.nonce = nonce;
    this.#pattern = new RegExp(`\\x1e${nonce} ([0-9]{1,9})\\x1e$`);
  }

  /** The shell command that announces command `index`. */
  command(index: number): string {
    const n = this.nonce;
    return `test -f /dev/stdout -a ${n} || printf '\\036%s %s\\036\\n' ${n} ${index} 2>/dev/null; : ${n}`;
  }

  /** Interleaves markers with the commands: marker 0, command 0, marker 1, command 1 … */
  interleave(commands: readonly string[], firstIndex = 0): string[] {
    return commands.flatMap((command, i) => [this.command(firstIndex + i), command]);
  }

  /**
   * A stdout line that ends with a marker: the output before it (a last line without its
   * newline) and the command index. Undefined for any other line.
   */
  parse(line: string): { readonly before: string; readonly index: number } | undefined {
    const match = this.#pattern.exec(line);
    if (match === null) return undefined;
    return { before: line.slice(0, match.index), index: Number(match[1]) };
  }

  /** A stderr line that is a trace of the engine's own commands (`set -x` in a build). */
  isOwnTrace(line: string): boolean {
    return line.includes(this.nonce) || line.includes('__slipway_');
  }
}
