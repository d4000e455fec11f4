import { spawn } from 'node:child_process';
import type { Principal } from '@slipway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { RequestTarget } from '../http/request-target.ts';
import type { GitAuthAttempt } from './git-authenticator.ts';
import { runGitExchange, type GitExchange } from './git-exchange.ts';
import {
  PushSpool,
  pushSpoolVariable,
  releaseSpool,
  recoverSpooledPushes,
  type RecordPush,
} from './git-push-spool.ts';
import {
  GitService,
  gitProtocolOf,
  hostnameOf,
  parseBasicAuth,
  parseGitRoute,
  wantsProtocolV2,
  type GitRoute,
} from './git-request.ts';

export interface GitHttpDeps {
  /** Basic-auth credentials → who, or undefined. (See git-authenticator.ts.) */
  readonly authenticator: {
    authenticate(attempt: GitAuthAttempt): Promise<Principal | undefined>;
  };
  /** The repository's id and its bare directory, when `name` exists in the principal's account and `region`. */
  readonly findRepository: (input: {
    principal: Principal;
    region: string;
    name: string;
  }) => Promise<{ id: string; directory: string } | undefined>;
  /** Records accepted ref updates durably. The door must not end a push's HTTP response before this resolves. */
  readonly recordPush: RecordPush;
  readonly defaultRegion: string;
  readonly gitBinary?: string;
  /** Directory the door may own (hook scripts, per-push spool files). */
  readonly workDir: string;
  readonly log: Logger;
}

/**
 * Git's smart HTTP protocol at CodeCommit's paths (`/v1/repos/<name>`, optionally under
 * `/regions/<region>`): authenticate, find the repository, and run `git upload-pack` or
 * `git receive-pack --stateless-rpc` on it, streaming. Every ref update a push gets accepted is
 * handed to `recordPush` before the client's `git push` can finish (see git-push-spool.ts).
 */
export class GitHttpDoor {
  readonly #deps: GitHttpDeps;
  readonly #spool: PushSpool;
  readonly #gitBinary: string;
  /** Repositories with a `git gc --auto` running. */
  readonly #collecting = new Set<string>();

  constructor(deps: GitHttpDeps) {
    this.#deps = deps;
    this.#spool = new PushSpool(deps.workDir);
    this.#gitBinary = deps.gitBinary ?? 'git';
  }

  /** Records pushes a crash or a failed `recordPush` left behind. Call before serving. */
  recoverSpool(): Promise<{ recorded: number; failed: number }> {
    return recoverSpooledPushes({
      workDir: this.#deps.workDir,
      recordPush: this.#deps.recordPush,
      log: this.#deps.log,
    });
  }

  async handle(request: FastifyRequest, reply: FastifyReply, target: RequestTarget): Promise<void> {
    const parsed = parseGitRoute(request.method, target, request.headers);
    if (!parsed.ok) return sendText(reply, parsed.status, parsed.message, parsed.headers);
    const route = parsed.route;
    const region = route.region ?? this.#deps.defaultRegion;
    let principal: Principal | undefined;
    let repository: { id: string; directory: string } | undefined;
    try {
      principal = await this.#authenticate(request, route, region);
      if (principal === undefined) {
        return sendText(reply, 401, 'Authentication required', {
          'www-authenticate': 'Basic realm="Slipway"',
        });
      }
      repository = await this.#deps.findRepository({ principal, region, name: route.name });
    } catch (error) {
      request.log.error({ err: error }, 'git request could not be authorized');
      return sendText(reply, 500, 'Internal error');
    }
    if (repository === undefined) {
      return sendText(reply, 404, `Repository '${route.name}' does not exist`);
    }
    if (route.service === GitService.ReceivePack && route.kind === 'rpc') {
      return this.#receivePack(request, reply, route, principal, repository);
    }
    reply.hijack();
    await runGitExchange(this.#exchange(request, reply, route, repository.directory, {}));
  }

  async #authenticate(
    request: FastifyRequest,
    route: GitRoute,
    region: string,
  ): Promise<Principal | undefined> {
    const credentials = parseBasicAuth(request.headers.authorization);
    const hostname = hostnameOf(request.headers.host);
    if (credentials === undefined || hostname === undefined) return undefined;
    return this.#deps.authenticator.authenticate({
      ...credentials,
      hostname,
      path: route.repositoryPath,
      regions: [region],
    });
  }

  /**
   * The push: a spool file names the repository and pusher, the hook appends what git accepted,
   * and the response (already carrying git's report) ends only once that is recorded.
   */
  async #receivePack(
    request: FastifyRequest,
    reply: FastifyReply,
    route: GitRoute,
    pusher: Principal,
    repository: { id: string; directory: string },
  ): Promise<void> {
    let spoolPath: string;
    try {
      spoolPath = await this.#spool.create({ repositoryId: repository.id, pusher });
    } catch (error) {
      request.log.error({ err: error }, 'could not create a push spool file');
      return sendText(reply, 500, 'Internal error');
    }
    reply.hijack();
    const exchange = this.#exchange(request, reply, route, repository.directory, {
      [pushSpoolVariable]: spoolPath,
    });
    try {
      await this.#runPush(request, exchange, spoolPath, repository.id);
    } finally {
      releaseSpool(spoolPath);
    }
    this.#collectGarbage(repository.directory, request.log);
  }

  /**
   * `git gc --auto` once a push has been answered: cheap when there is nothing to pack, and it
   * detaches when there is. One at a time per repository.
   */
  #collectGarbage(directory: string, log: FastifyRequest['log']): void {
    if (this.#collecting.has(directory)) return;
    this.#collecting.add(directory);
    const child = spawn(
      this.#gitBinary,
      ['-c', `safe.directory=${directory}`, 'gc', '--auto', '--quiet'],
      {
        cwd: directory,
        env: this.#gitEnv({}),
        stdio: 'ignore',
      },
    );
    child.on('error', (error) => log.warn({ err: error }, 'git gc --auto could not start'));
    child.on('close', () => this.#collecting.delete(directory));
  }

  async #runPush(
    request: FastifyRequest,
    exchange: Omit<GitExchange, 'beforeEnd'>,
    spoolPath: string,
    repositoryId: string,
  ): Promise<void> {
    await runGitExchange({
      ...exchange,
      beforeEnd: async () => {
        const push = await this.#spool.read(spoolPath);
        if (push.updates.length > 0) {
          await this.#deps.recordPush(push);
          request.log.info(
            { repositoryId, refs: push.updates.map((u) => u.ref) },
            'git push recorded',
          );
        }
        await this.#spool.remove(spoolPath);
      },
    });
  }

  #exchange(
    request: FastifyRequest,
    reply: FastifyReply,
    route: GitRoute,
    directory: string,
    extraEnv: Record<string, string>,
  ) {
    const gitProtocol = gitProtocolOf(request.headers['git-protocol']);
    const program = route.service.slice('git-'.length);
    const advertise = route.kind === 'advertise';
    // http-backend's framing: v0/v1 advertisements start with `# service=…` and a flush; a v2
    // capability advertisement (fetch only; push stays v0) does not.
    const v2 = wantsProtocolV2(gitProtocol) && route.service === GitService.UploadPack;
    return {
      gitBinary: this.#gitBinary,
      args: [
        // Only the door's hook runs: never the repository's own hooks/ directory.
        '-c',
        `core.hooksPath=${this.#spool.hooksDir}`,
        // The directory is the store's, so trust it even when its owner is another uid
        // (a mounted volume); git would otherwise refuse with "dubious ownership".
        '-c',
        `safe.directory=${directory}`,
        // receive-pack would run `git gc --auto` before exiting, and the push's response waits
        // for the exit; the door runs it after the response instead (see #runPush).
        '-c',
        'receive.autogc=false',
        program,
        '--stateless-rpc',
        ...(advertise ? ['--advertise-refs'] : []),
        directory,
      ],
      env: this.#gitEnv({
        ...(gitProtocol === undefined ? {} : { GIT_PROTOCOL: gitProtocol }),
        ...extraEnv,
      }),
      request: advertise ? undefined : request.raw,
      response: reply.raw,
      contentType: `application/x-${route.service}-${advertise ? 'advertisement' : 'result'}`,
      prefix: advertise && !v2 ? serviceHeader(route.service) : undefined,
      killOnDisconnect: advertise || route.service !== GitService.ReceivePack,
      log: request.log,
    };
  }

  /** A scrubbed environment: nothing of the server's own git settings leaks into git. */
  #gitEnv(extra: Record<string, string>): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.#deps.workDir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      ...extra,
    };
  }
}

/** `# service=<name>` as a pkt-line, then a flush-pkt. */
function serviceHeader(service: GitService): Buffer {
  const line = `# service=${service}\n`;
  return Buffer.from(`${(line.length + 4).toString(16).padStart(4, '0')}${line}0000`);
}

async function sendText(
  reply: FastifyReply,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Promise<void> {
  // A refused POST's body is not read; close rather than drain a pack nobody wants.
  if (!reply.request.raw.complete && reply.request.method === 'POST') {
    reply.header('connection', 'close');
  }
  await reply
    .status(status)
    .headers(headers)
    .type('text/plain; charset=utf-8')
    .send(`${message}\n`);
}
