// The git bench's peer: `git http-backend` run as a CGI program, one process per request, behind
// a bare Node `http` server — what a minimal Apache or nginx+fcgiwrap setup does. No
// authentication: every repository under the project root is served. REMOTE_USER is a fixed
// name, as a front end that had checked a password would set it (http-backend then allows
// pushes; the bench sets `http.receivepack=true` in its repositories as well). Streams both
// ways; nothing is buffered beyond the CGI header block.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface GitHttpBackendServer {
  /** `http://127.0.0.1:<port>`; a repository `<root>/x.git` is at `<url>/x.git`. */
  readonly url: string;
  /** Requests answered so far (the bench reports round trips per operation). */
  readonly requests: number;
  /** CGI failures: a git that died before its headers, a malformed header block. */
  readonly errors: readonly string[];
  close(): Promise<void>;
}

export interface GitHttpBackendOptions {
  readonly projectRoot: string;
  readonly gitBinary?: string;
}

const maxHeaderBytes = 64 * 1024;

export async function startGitHttpBackend(
  options: GitHttpBackendOptions,
): Promise<GitHttpBackendServer> {
  let requests = 0;
  const errors: string[] = [];
  const server = createServer((request, response) => {
    requests += 1;
    runCgi(options, request, response, (error) => errors.push(error));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    errors,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeIdleConnections();
      }),
  };
}

function runCgi(
  options: GitHttpBackendOptions,
  request: IncomingMessage,
  response: ServerResponse,
  onError: (error: string) => void,
): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const optional = (name: string, value: string | undefined) =>
    value === undefined ? {} : { [name]: value };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    // As Slipway runs git: no machine configuration leaks in.
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_PROJECT_ROOT: options.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${request.httpVersion}`,
    REQUEST_METHOD: request.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: header('content-type') ?? '',
    REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
    REMOTE_USER: 'bench',
    // Absent for a chunked body: http-backend then reads stdin to its end.
    ...optional('CONTENT_LENGTH', header('content-length')),
    ...optional('HTTP_CONTENT_ENCODING', header('content-encoding')),
    ...optional('HTTP_GIT_PROTOCOL', header('git-protocol')),
  };
  const child = spawn(options.gitBinary ?? 'git', ['http-backend'], { env, stdio: 'pipe' });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8 * 1024);
  });
  child.on('error', (error) => onError(`could not run git http-backend: ${error.message}`));

  // The body goes to stdin with backpressure; git closing stdin early just ends the copy.
  child.stdin.on('error', () => request.resume());
  request.pipe(child.stdin);
  // The client went away: nobody reads the answer, so stop git.
  response.on('close', () => {
    if (!response.writableFinished) child.kill('SIGTERM');
  });

  let head = Buffer.alloc(0);
  const onHeadData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const end = headerEnd(head);
    if (end === undefined) {
      if (head.length > maxHeaderBytes) {
        child.stdout.off('data', onHeadData);
        fail(`CGI header block over ${maxHeaderBytes} bytes`);
      }
      return;
    }
    child.stdout.off('data', onHeadData);
    let status = 200;
    let message: string | undefined;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end.at).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') {
        status = Number.parseInt(value, 10) || 500;
        message = value.replace(/^\d+\s*/, '') || undefined;
      } else {
        headers[name] = value;
      }
    }
    response.writeHead(status, message, headers);
    const rest = head.subarray(end.at + end.length);
    if (rest.length > 0) response.write(rest);
    child.stdout.pipe(response);
  };
  child.stdout.on('data', onHeadData);

  const fail = (reason: string) => {
    onError(`${request.method} ${request.url}: ${reason}; ${stderr.trim()}`);
    child.kill('SIGTERM');
    if (response.headersSent) {
      response.destroy();
    } else {
      response.writeHead(502, { 'content-type': 'text/plain' }).end('CGI failed\n');
    }
  };
  child.on('close', (code, signal) => {
    // Headers never came: git failed before answering.
    if (!response.headersSent && !response.writableEnded) {
      fail(`git http-backend exited (${signal ?? code}) without a response`);
    }
  });
}

/** Where the CGI header block ends (a blank line, CRLF or LF), and the separator's length. */
function headerEnd(buffer: Buffer): { at: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf === -1 && lf === -1) return undefined;
  if (lf === -1 || (crlf !== -1 && crlf < lf)) return { at: crlf, length: 4 };
  return { at: lf, length: 2 };
}
