import { join } from 'node:path';
import { ConfigError, loadProcessConfig, serverUsage, type ServerConfig } from './config.ts';
import { runnerTokenFileName } from './jobs-http/runner-token.ts';
import { createLogger } from './logger.ts';
import { startServer } from './main.ts';

/**
 * `slipway server`: validate config, start, print how to connect, and shut down gracefully on
 * SIGTERM/SIGINT (a second signal, or a shutdown slower than the timeout, exits at once).
 * Returns the process exit code when it is known without running (help, bad config).
 */
export async function runServerCommand(argv: readonly string[]): Promise<number | undefined> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${serverUsage}\n`);
    return 0;
  }
  let config: ServerConfig;
  try {
    config = loadProcessConfig(argv);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`slipway server: ${error.message}\n\n${serverUsage}\n`);
    return 2;
  }
  const log = await createLogger(config.log.level, config.log.format);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(config, log);
  } catch (error) {
    log.fatal({ err: error }, 'server failed to start');
    process.stderr.write(`slipway server: failed to start: ${(error as Error).message}\n`);
    return 1;
  }
  log.info({ url: server.url, dataDir: config.dataDir }, 'listening');
  process.stdout.write(
    [
      `Slipway is listening on ${server.url} (account ${server.accountId}).`,
      'Point the AWS CLI and SDKs at it:',
      `  export AWS_SHARED_CREDENTIALS_FILE=${server.files.credentialsPath}`,
      `  export AWS_CONFIG_FILE=${server.files.configPath}`,
      `  export AWS_ENDPOINT_URL=${server.url}`,
      'Run builds on another machine too:',
      `  slipway runner --server ${server.url} --token "$(cat ${join(config.dataDir, runnerTokenFileName)})"`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out: exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    server.close().then(
      () => {
        log.info('stopped');
        process.exitCode = 0;
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return undefined;
}
