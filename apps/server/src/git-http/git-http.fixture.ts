import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Principal } from '@slipway/core';
import type { FastifyReply } from 'fastify';
import { pino } from 'pino';
import { run, type CommandResult } from '../../../../test/support/aws-cli.ts';
import type { AwsDoor } from '../aws-api/aws-door.ts';
import { buildHttpApp, closeHttpApp } from '../http/app.ts';
import { GitHttpDoor } from './git-http-door.ts';
import type { SpooledPush } from './git-push-spool.ts';

export const principal: Principal = {
  accountId: '123456789012',
  userId: 'AIDAEXAMPLE',
  userName: 'admin',
  arn: 'arn:aws:iam::123456789012:user/admin',
  accessKeyId: 'AKIAEXAMPLE',
};

/** A real HTTP app with the git door over bare repositories in a temporary directory. */
export interface GitFixture {
  readonly root: string;
  readonly base: string;
  /** `http://user:pass@127.0.0.1:<port>` */
  readonly authedBase: string;
  readonly door: GitHttpDoor;
  readonly workDir: string;
  readonly pushes: SpooledPush[];
  /** While set, recordPush throws. */
  failPushes: boolean;
  bare(name: string): string;
  createRepository(name: string): Promise<string>;
  git(args: readonly string[], options?: { allowFailure?: boolean }): Promise<CommandResult>;
  close(): Promise<void>;
}

export async function startGitFixture(): Promise<GitFixture> {
  const root = await mkdtemp(join(tmpdir(), 'slipway-git-http-'));
  const home = join(root, 'home');
  await mkdir(home);
  await writeFile(
    join(home, '.gitconfig'),
    '[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n',
  );
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    LANG: 'C',
  };
  const repositories = new Set<string>();
  const workDir = join(root, 'door');
  const fixture: GitFixture = {
    root,
    base: '',
    authedBase: '',
    workDir,
    pushes: [],
    failPushes: false,
    door: new GitHttpDoor({
      authenticator: {
        authenticate: (attempt) =>
          Promise.resolve(
            attempt.username === 'user' && attempt.password === 'pass' ? principal : undefined,
          ),
      },
      findRepository: ({ principal: who, region, name }) =>
        Promise.resolve(
          who.accountId === principal.accountId && region === 'us-east-1' && repositories.has(name)
            ? { id: `repo-${name}`, directory: fixture.bare(name) }
            : undefined,
        ),
      recordPush: (push) => {
        if (fixture.failPushes) return Promise.reject(new Error('event store is down'));
        fixture.pushes.push(push);
        return Promise.resolve();
      },
      defaultRegion: 'us-east-1',
      workDir,
      log: pino({ level: process.env.SLIPWAY_TEST_LOG_LEVEL ?? 'silent' }),
    }),
    bare: (name) => join(root, 'repos', `${name}.git`),
    createRepository: async (name) => {
      await fixture.git(['init', '--bare', '-q', fixture.bare(name)]);
      repositories.add(name);
      return fixture.bare(name);
    },
    git: async (args, options = {}) => {
      const result = await run('git', args, env);
      if (result.code !== 0 && options.allowFailure !== true) {
        throw new Error(`git ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
      }
      return result;
    },
    close: async () => {
      await closeHttpApp(app);
      await rm(root, { recursive: true, force: true });
    },
  };
  const aws = {
    handle: async (_request: unknown, reply: FastifyReply) => {
      await reply.status(400).send('aws door');
    },
  } as unknown as AwsDoor;
  const log = pino({ level: 'silent' });
  const app = buildHttpApp({ log, aws, git: fixture.door });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  Object.assign(fixture, {
    base: `http://127.0.0.1:${port}`,
    authedBase: `http://user:pass@127.0.0.1:${port}`,
  });
  return fixture;
}

export const basicAuth = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** One pkt-line: four hex digits of length (themselves included), then the payload. */
export function pktLine(payload: string): string {
  return `${(payload.length + 4).toString(16).padStart(4, '0')}${payload}`;
}
