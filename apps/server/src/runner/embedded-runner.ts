import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobClient } from '@slipway/protocol';
import type { Logger } from 'pino';
import { createExecutor } from './sandbox/create-executor.ts';
import { resolveSandboxUser } from './sandbox/sandbox-user.ts';
import { RunnerLoop } from './worker/runner-loop.ts';

export interface EmbeddedRunnerOptions {
  /** This server's own URL: the runner speaks the job protocol to it like any other. */
  readonly server: string;
  readonly token: string;
  readonly dataDir: string;
  readonly concurrency: number;
  readonly isolation: 'bubblewrap' | 'process';
  readonly log: Logger;
}

/**
 * The embedded server's runner (decision 13): a RunnerLoop against the server itself. When the
 * sandbox cannot start here (no bubblewrap, user namespaces refused), the server still runs and
 * says why; builds wait for a remote runner.
 */
export async function startEmbeddedRunner(
  options: EmbeddedRunnerOptions,
): Promise<RunnerLoop | undefined> {
  // Outside the data directory: it is private (0700) and hidden from builds, and the sandbox
  // user must reach its workspace. One place per data directory, so caches outlive restarts.
  const root = join(
    tmpdir(),
    `slipway-runner-${createHash('sha256').update(options.dataDir).digest('hex').slice(0, 12)}`,
  );
  await mkdir(root, { recursive: true, mode: 0o711 });
  let executor;
  try {
    executor = await createExecutor(
      // Builds see neither the data directory (database, keys, blobs) nor each other.
      { isolation: options.isolation, hide: [options.dataDir, root] },
      options.log,
    );
  } catch (error) {
    options.log.warn(
      { err: error },
      'the built-in runner cannot sandbox builds here, so it is off: builds wait for a `slipway runner`',
    );
    return undefined;
  }
  const loop = new RunnerLoop({
    client: new JobClient({ server: options.server, token: options.token }),
    executor,
    sandboxUser: await resolveSandboxUser(),
    workRoot: join(root, 'builds'),
    cacheRoot: join(root, 'cache'),
    log: options.log,
    workerId: `embedded-${process.pid}`,
    concurrency: options.concurrency,
  });
  loop.start();
  return loop;
}
