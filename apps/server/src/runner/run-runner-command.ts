import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { JobClient } from '@slipway/protocol';
import { createLogger } from '../logger.ts';
import { createExecutor } from './sandbox/create-executor.ts';
import { resolveSandboxUser } from './sandbox/sandbox-user.ts';
import { RunnerLoop } from './worker/runner-loop.ts';

export const runnerUsage = `Usage: slipway runner --server URL --token TOKEN [options]

Runs builds for a Slipway server (CodeBuild's fleet): claims them over the job protocol,
runs each buildspec in a bubblewrap sandbox, streams logs and uploads artifacts.

Options:
  --server URL          the server (SLIPWAY_SERVER)
  --token TOKEN         the runner token, from <data-dir>/runner-token (SLIPWAY_RUNNER_TOKEN)
  --concurrency N       builds at once (default 1)
  --work-dir DIR        workspaces and caches (default $TMPDIR/slipway-runner)
  --isolation KIND      bubblewrap (default) or process (no isolation: trusted builds only)
  --sandbox-user USER   the account builds run as when the runner is root (default nobody)
  --log-level LEVEL     fatal, error, warn, info (default), debug`;

/** `slipway runner`: runs until SIGTERM/SIGINT, then lets running builds finish (30 s). */
export async function runRunnerCommand(argv: readonly string[]): Promise<number | undefined> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        concurrency: { type: 'string' },
        'work-dir': { type: 'string' },
        isolation: { type: 'string' },
        'sandbox-user': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`slipway runner: ${(error as Error).message}\n\n${runnerUsage}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(`${runnerUsage}\n`);
    return 0;
  }
  const text = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined);
  const server = text('server') ?? process.env.SLIPWAY_SERVER;
  const token = text('token') ?? process.env.SLIPWAY_RUNNER_TOKEN;
  const concurrency = Number(text('concurrency') ?? '1');
  const isolation = text('isolation') ?? 'bubblewrap';
  const problems = [
    server === undefined ? '--server is required' : undefined,
    token === undefined ? '--token is required' : undefined,
    Number.isSafeInteger(concurrency) && concurrency >= 1 ? undefined : '--concurrency is a count',
    isolation === 'bubblewrap' || isolation === 'process'
      ? undefined
      : '--isolation is bubblewrap or process',
  ].filter((problem) => problem !== undefined);
  if (
    problems.length > 0 ||
    server === undefined ||
    token === undefined ||
    (isolation !== 'bubblewrap' && isolation !== 'process')
  ) {
    process.stderr.write(`slipway runner: ${problems.join('; ')}\n\n${runnerUsage}\n`);
    return 2;
  }
  const log = await createLogger(text('log-level') ?? 'info', 'pretty');
  const workDir = resolve(text('work-dir') ?? join(tmpdir(), 'slipway-runner'));
  const sandboxUser = await resolveSandboxUser(text('sandbox-user'));
  const executor = await createExecutor(
    {
      isolation,
      user: text('sandbox-user'),
      // Builds must not see each other's workspaces, nor the runner's caches.
      hide: [workDir],
    },
    log,
  );
  const loop = new RunnerLoop({
    client: new JobClient({ server, token }),
    executor,
    sandboxUser,
    workRoot: join(workDir, 'builds'),
    cacheRoot: join(workDir, 'cache'),
    log,
    workerId: `runner-${hostname()}-${process.pid}`,
    concurrency,
  });
  loop.start();
  log.info({ server, concurrency, isolation: executor.kind }, 'runner started');
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'stopping: no new builds; running ones get 30 s');
    void loop.stop(30_000).then(() => {
      log.info('stopped');
      process.exitCode = 0;
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return undefined;
}
