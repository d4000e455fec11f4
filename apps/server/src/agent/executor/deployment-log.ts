import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `deployment-logs/codedeploy-agent-deployments.log`: every hook's output, one line per output
 * line, as the stock agent writes it: `[2026-01-02 03:04:05.678] [d-ABC123][stdout]text`.
 */
export class DeploymentLog {
  readonly #path: string;
  #stream: WriteStream | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  /** One line (without its newline) for the deployment. */
  write(deploymentId: string, line: string): void {
    this.#open().write(`[${timestamp()}] [${deploymentId}]${line}\n`);
  }

  /** Resolves once everything written so far reached the file. */
  flush(): Promise<void> {
    const stream = this.#stream;
    if (stream === undefined) return Promise.resolve();
    return new Promise((resolve) => stream.write('', () => resolve()));
  }

  close(): Promise<void> {
    const stream = this.#stream;
    this.#stream = undefined;
    if (stream === undefined) return Promise.resolve();
    return new Promise((resolve) => stream.end(() => resolve()));
  }

  #open(): WriteStream {
    if (this.#stream === undefined) {
      mkdirSync(dirname(this.#path), { recursive: true });
      this.#stream = createWriteStream(this.#path, { flags: 'a' });
      this.#stream.on('error', () => undefined);
    }
    return this.#stream;
  }
}

function timestamp(): string {
  return new Date().toISOString().replace('T', ' ').replace('Z', '');
}
