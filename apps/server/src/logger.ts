import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The process's one root logger, to stderr (stdout is for what the user asked for, such as the
 * credentials banner): JSON, or pino-pretty's lines for a person at a terminal. Anything that
 * looks like a credential is redacted wherever it appears.
 */
export async function createLogger(
  level: string,
  format: 'json' | 'pretty' = 'json',
): Promise<Logger> {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: {
        paths: [
          'secretAccessKey',
          '*.secretAccessKey',
          'authorization',
          '*.authorization',
          '*.headers.authorization',
          '*.headers["x-amz-security-token"]',
          'password',
          '*.password',
          'databaseUrl',
          '*.databaseUrl',
        ],
        censor: '[redacted]',
      },
    },
    format === 'pretty' ? await prettyStream() : pino.destination({ fd: 2, sync: true }),
  );
}

/** Loaded only when asked for, so JSON logging never pays for it. */
async function prettyStream(): Promise<DestinationStream> {
  const { PinoPretty } = await import('pino-pretty');
  return PinoPretty({
    destination: 2,
    sync: true,
    ignore: 'pid,hostname',
    translateTime: 'SYS:HH:MM:ss.l',
    singleLine: true,
  });
}
