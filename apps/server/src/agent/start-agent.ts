import { mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import { HostCommandClient } from './client/host-command-client.ts';
import type { AgentCredentials } from './client/signed-request.ts';
import { getCallerArn } from './client/sts-caller-identity.ts';
import { HostCommandExecutor } from './executor/host-command-executor.ts';
import { AgentLoop } from './loop/agent-loop.ts';
import { OngoingCommands } from './loop/ongoing-commands.ts';

export interface StartAgentOptions {
  /** `http://host:port` of the Slipway server. */
  readonly server: string;
  readonly region: string;
  /** The on-premises instance's IAM user keys. */
  readonly credentials: AgentCredentials;
  /** The IAM user's ARN; learnt with STS GetCallerIdentity when not given. */
  readonly hostIdentifier?: string | undefined;
  /** The deployment root: revisions, instructions, logs. */
  readonly root: string;
  readonly log: Logger;
  /** The environment hook scripts inherit (default: none but the §5.4 variables and PATH). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Commands run at once (default 4). */
  readonly concurrency?: number;
  readonly heartbeatMs?: number;
  readonly fetch?: typeof fetch;
}

export interface RunningAgent {
  readonly hostIdentifier: string;
  readonly root: string;
  /** Polls no more; a running command gets `graceMs` (default 3 s) before its script is killed. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a host agent in this process: completes what a previous run left unfinished, then
 * polls and runs the host's commands until stopped. `slipway agent` runs one per process; the
 * server may also start one for a local instance.
 */
export async function startAgent(options: StartAgentOptions): Promise<RunningAgent> {
  const fetchOption = options.fetch ? { fetch: options.fetch } : {};
  const hostIdentifier =
    options.hostIdentifier ??
    (await getCallerArn({
      server: options.server,
      region: options.region,
      credentials: options.credentials,
      ...fetchOption,
    }));
  await mkdir(options.root, { recursive: true });
  const executor = new HostCommandExecutor({
    root: options.root,
    env: options.env ?? { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    ...fetchOption,
  });
  const loop = new AgentLoop({
    client: new HostCommandClient({
      server: options.server,
      region: options.region,
      credentials: options.credentials,
      ...fetchOption,
    }),
    executor,
    hostIdentifier,
    ongoing: new OngoingCommands(executor.root.ongoingCommandFile),
    log: options.log,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
  });
  await loop.recover();
  loop.start();
  options.log.info({ server: options.server, hostIdentifier, root: options.root }, 'agent started');
  let stopping: Promise<void> | undefined;
  return {
    hostIdentifier,
    root: options.root,
    stop: (graceMs) => {
      stopping ??= loop.stop(graceMs).then(() => executor.close());
      return stopping;
    },
  };
}
