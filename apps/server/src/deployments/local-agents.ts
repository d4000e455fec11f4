import { spawn, type ChildProcess } from 'node:child_process';
import { access, chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AppErrorKind,
  isAppError,
  type DeploymentScope,
  type DeploymentsService,
  type IdentityService,
} from '@slipway/core';
import type { Logger } from 'pino';
import { findTool } from '../runner/sandbox/host-tools.ts';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

export interface LocalAgentsDeps {
  readonly count: number;
  readonly dataDir: string;
  readonly serverUrl: string;
  readonly scope: DeploymentScope;
  readonly identity: IdentityService;
  readonly deployments: DeploymentsService;
  readonly log: Logger;
  /** How to start `slipway agent` (default: this checkout's CLI under the running node). */
  readonly command?: readonly string[];
}

/** Tag every local agent carries, so a deployment group can target them all. */
export const localAgentTag = { Key: 'slipway:local-agent', Value: 'true' } as const;

const cliBin = fileURLToPath(new URL('../../../cli/bin/slipway.js', import.meta.url));
/** The checkout the CLI runs from: it must stay visible when /tmp is the host's own. */
const checkout = fileURLToPath(new URL('../../../../', import.meta.url));
/** Directories each local host has to itself, where deployments usually install. */
const privateDirectories = ['/tmp', '/srv', '/opt', '/var/www'];
const restartDelayMs = 1_000;
const stopGraceMs = 5_000;

export interface LocalAgents {
  readonly names: readonly string[];
  stop(): Promise<void>;
}

/**
 * `--local-agents N`: N deployment agents on this machine, each a separate `slipway agent`
 * process with its own IAM user and key (kept in its directory, 0600), its own deployment root,
 * and an on-premises instance `local-agent-<i>` registered with its user's ARN and tagged
 * `slipway:local-agent=true` and `Name=local-agent-<i>`. An agent that exits is started again.
 */
export async function startLocalAgents(deps: LocalAgentsDeps): Promise<LocalAgents> {
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const names: string[] = [];
  for (let i = 1; i <= deps.count; i += 1) {
    const name = `local-agent-${i}`;
    names.push(name);
    const directory = join(deps.dataDir, 'local-agents', name);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const configFile = await ensureCredentials(deps, name, directory);
    await ensureRegistered(deps, name, configFile.iamUserArn);
    const view = deps.command === undefined ? await hostView(directory) : [];
    await killLeftover(directory);
    const run = () => {
      if (stopping) return;
      const [command, ...prefix] = deps.command ?? [...view, process.execPath, cliBin, 'agent'];
      const child = spawn(
        command as string,
        [
          ...prefix,
          '--server',
          deps.serverUrl,
          '--config',
          configFile.path,
          '--instance-name',
          name,
          '--root',
          join(directory, 'root'),
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          // Hooks inherit these: a laptop's hosts share ports, so an app can pick its own.
          env: { ...process.env, SLIPWAY_INSTANCE_NAME: name, SLIPWAY_INSTANCE_INDEX: String(i) },
        },
      );
      children.set(name, child);
      if (child.pid !== undefined) {
        void writeFile(join(directory, 'agent.pid'), `${child.pid}\n`).catch(() => undefined);
      }
      const log = deps.log.child({ agent: name });
      child.stdout.on('data', (chunk: Buffer) => log.debug(chunk.toString('utf8').trimEnd()));
      child.stderr.on('data', (chunk: Buffer) => log.info(chunk.toString('utf8').trimEnd()));
      child.on('exit', (code, signal) => {
        children.delete(name);
        if (stopping) return;
        log.warn({ code, signal }, 'local agent exited; starting it again');
        setTimeout(run, restartDelayMs).unref();
      });
    };
    run();
  }
  return {
    names,
    async stop() {
      stopping = true;
      await Promise.all(
        [...children.values()].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) {
                resolve();
                return;
              }
              const timer = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
              child.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

interface AgentConfigFile {
  readonly path: string;
  readonly iamUserArn: string;
}

/**
 * The agent's credentials as CodeDeploy's on-premises config file. A key that still works is
 * kept across restarts; otherwise the user's old keys are deleted and a new one is made.
 */
async function ensureCredentials(
  deps: LocalAgentsDeps,
  name: string,
  directory: string,
): Promise<AgentConfigFile> {
  const path = join(directory, 'codedeploy.onpremises.yml');
  const existing = await readFile(path, 'utf8').then(
    (text) => parseYaml(text) as Record<string, unknown> | null,
    () => null,
  );
  const keyId = existing?.aws_access_key_id;
  const arn = existing?.iam_user_arn;
  if (typeof keyId === 'string' && typeof arn === 'string') {
    if ((await deps.identity.findSigningIdentity(keyId)) !== undefined) {
      return { path, iamUserArn: arn };
    }
  }
  const userName = `slipway-${name}`;
  const { accountId } = deps.scope;
  const old = await deps.identity.listAccessKeys(accountId, userName).catch(() => []);
  for (const key of old) {
    await deps.identity.deleteAccessKey(accountId, userName, key.accessKeyId);
  }
  const issued = await deps.identity.ensureUserAccessKey(accountId, userName);
  const file = {
    region: deps.scope.region,
    iam_user_arn: issued.user.arn,
    aws_access_key_id: issued.key.accessKeyId,
    aws_secret_access_key: issued.secretAccessKey,
  };
  await writeFile(path, stringifyYaml(file), { mode: 0o600 });
  return { path, iamUserArn: issued.user.arn };
}

async function ensureRegistered(deps: LocalAgentsDeps, name: string, iamUserArn: string) {
  try {
    await deps.deployments.registerOnPremisesInstance(deps.scope, {
      instanceName: name,
      iamUserArn,
    });
  } catch (error) {
    if (!isAppError(error) || error.kind !== AppErrorKind.AlreadyExists) throw error;
  }
  await deps.deployments.addTagsToOnPremisesInstances(deps.scope, {
    instanceNames: [name],
    tags: [localAgentTag, { Key: 'Name', Value: name }],
  });
}

/**
 * Each local host sees this machine's filesystem with its own /tmp, /srv, /opt and /var/www
 * (directories under its own directory, kept across restarts) and its own process namespace, so
 * three hosts can install to the same absolute paths and a host's services end with its agent
 * (bubblewrap; decision 15). Without bubblewrap the hosts share the filesystem.
 */
async function hostView(directory: string): Promise<string[]> {
  const bwrap = await findTool('bwrap');
  if (bwrap === undefined) return [];
  // --die-with-parent: the sandbox (its pid 1, the agent and every service it started) dies
  // with the bwrap process the server holds; without it, stopping that process, or the server
  // dying, left the agent running.
  const args = [bwrap, '--dev-bind', '/', '/', '--unshare-pid', '--die-with-parent'];
  args.push('--proc', '/proc');
  for (const path of privateDirectories) {
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (!exists && path !== '/tmp') continue;
    const own = join(directory, 'host', path.slice(1).replaceAll('/', '-'));
    await mkdir(own, { recursive: true });
    if (path === '/tmp') await chmod(own, 0o1777);
    args.push('--bind', own, path);
  }
  // tsx's compile cache (os.tmpdir()/tsx-<uid>) stays shared: without it every agent compiles
  // the sources again in its empty /tmp, which takes four agents 20 s on two CPUs.
  const tsxCache = join(tmpdir(), `tsx-${process.getuid?.() ?? userInfo().username}`);
  if (tsxCache.startsWith('/tmp/')) {
    await mkdir(tsxCache, { recursive: true, mode: 0o700 });
    args.push('--bind', tsxCache, tsxCache);
  }
  // The agent's own directory and the checkout it runs from stay where they are.
  args.push('--bind', directory, directory, '--ro-bind', checkout, checkout, '--');
  return args;
}

/** An agent left running by a server that was killed: stopped before its successor starts. */
async function killLeftover(directory: string): Promise<void> {
  const file = join(directory, 'agent.pid');
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  // Only that agent: the pid may since belong to something else.
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (Number.isSafeInteger(pid) && pid > 1 && cmdline.includes(directory)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await rm(file, { force: true });
}
