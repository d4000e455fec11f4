import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyBaseLogger } from 'fastify';

export interface GitExchange {
  readonly gitBinary: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  /** The POST whose body becomes git's stdin; undefined for info/refs. */
  readonly request: IncomingMessage | undefined;
  readonly response: ServerResponse;
  readonly contentType: string;
  /** Written before git's output (the `# service=` pkt-lines of info/refs). */
  readonly prefix?: Buffer;
  /**
   * Kill git when the client goes away. Not for receive-pack: once it has the whole pack it
   * must finish (and the push be recorded) whether or not anyone listens to its report.
   */
  readonly killOnDisconnect: boolean;
  /**
   * Runs after git exited, before the response ends. If it throws, the connection is cut so the
   * client sees a failure instead of a complete response.
   */
  readonly beforeEnd?: () => Promise<void>;
  readonly log: FastifyBaseLogger;
}

const maxStderrBytes = 8 * 1024;
const killGraceMs = 5_000;

/**
 * Runs one git program for one HTTP exchange, streaming both ways with backpressure: the request
 * body (gunzipped when git compressed it) into stdin, stdout into the response. Headers are sent
 * with git's first byte, so a git that fails before answering becomes a plain 500.
 */
export function runGitExchange(x: GitExchange): Promise<void> {
  const { response, log } = x;
  return new Promise<void>((done) => {
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(x.gitBinary, x.args, { env: x.env, stdio: 'pipe' });
    } catch (error) {
      // Invalid arguments throw; a missing binary arrives as an 'error' event instead.
      log.error({ err: error, gitBinary: x.gitBinary }, 'could not run git');
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('git failed\n');
      done();
      return;
    }
    let stderr = '';
    let headersSent = false;
    let clientGone = false;
    let bodyError: Error | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let finished = false;

    const sendHeaders = () => {
      if (headersSent) return;
      headersSent = true;
      response.writeHead(200, {
        'content-type': x.contentType,
        'cache-control': 'no-cache, max-age=0, must-revalidate',
        pragma: 'no-cache',
        expires: 'Fri, 01 Jan 1980 00:00:00 GMT',
      });
      if (x.prefix !== undefined) response.write(x.prefix);
    };

    const kill = () => {
      if (child.exitCode !== null || child.signalCode !== null || killTimer !== undefined) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
      killTimer.unref();
    };

    response.on('close', () => {
      if (response.writableFinished || clientGone) return;
      clientGone = true;
      // Keep reading git's output (into the void) so it never blocks on a full pipe.
      child.stdout.resume();
      if (x.killOnDisconnect) kill();
    });

    child.stdout.on('data', (chunk: Buffer) => {
      if (clientGone) return;
      sendHeaders();
      if (!response.write(chunk)) {
        child.stdout.pause();
        response.once('drain', () => child.stdout.resume());
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-maxStderrBytes);
    });

    if (x.request === undefined) {
      child.stdin.on('error', () => undefined);
      child.stdin.end();
    } else {
      feedStdin(x.request, child.stdin, (error) => {
        bodyError ??= error;
      });
    }

    const finish = async (code: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(killTimer);
      const failed = code !== 0;
      if (clientGone) {
        log.debug({ args: x.args, code, signal }, 'git stopped: the client went away');
      } else if (failed) {
        log.warn({ args: x.args, code, signal, stderr, err: bodyError }, 'git exited with failure');
      }
      try {
        await x.beforeEnd?.();
      } catch (error) {
        log.error({ err: error }, 'git exchange failed after git exited; cutting the response');
        response.destroy();
        done();
        return;
      }
      if (clientGone) {
        done();
        return;
      }
      if (headersSent || !failed) {
        // A probe (`0000`) legitimately gets an empty 200.
        sendHeaders();
        response.end();
      } else {
        const status = bodyError === undefined ? 500 : 400;
        response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(status === 400 ? 'Unreadable request body\n' : 'git failed\n');
      }
      done();
    };

    child.on('error', (error) => {
      log.error({ err: error, gitBinary: x.gitBinary }, 'could not run git');
    });
    child.on('close', (code, signal) => {
      void finish(code, signal);
    });
  });
}

/**
 * Pipes the body into git's stdin. When git stops reading early (EPIPE), the rest of the body
 * is drained so the connection can carry the response; when the client aborts, stdin is
 * closed so git sees the end of its input and exits.
 */
function feedStdin(
  request: IncomingMessage,
  stdin: Writable,
  onBodyError: (error: Error) => void,
): void {
  const encoding = request.headers['content-encoding']?.toLowerCase();
  const gzipped = encoding === 'gzip' || encoding === 'x-gzip';
  const gunzip = gzipped ? createGunzip() : undefined;
  const body: Readable = gunzip === undefined ? request : request.pipe(gunzip);
  const stop = (error: Error | undefined) => {
    if (error !== undefined) onBodyError(error);
    if (gunzip !== undefined) request.unpipe(gunzip);
    body.unpipe(stdin);
    request.resume();
    stdin.destroy();
  };
  request.on('error', stop);
  gunzip?.on('error', stop);
  stdin.on('error', () => stop(undefined));
  body.pipe(stdin);
}
