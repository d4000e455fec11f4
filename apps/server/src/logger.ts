import pino, { type Logger } from 'pino';

/**
 * The process's one root logger, JSON to stderr (stdout is for what the user asked for, such as
 * the credentials banner). Anything that looks like a credential is redacted wherever it appears.
 */
export function createLogger(level: string): Logger {
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
    pino.destination({ fd: 2, sync: true }),
  );
}
