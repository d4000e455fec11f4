import { readFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { createLogger } from '../logger.ts';
import { resolveAgentSettings } from './agent-options.ts';
import { startAgent } from './start-agent.ts';

export { startAgent, type RunningAgent, type StartAgentOptions } from './start-agent.ts';

export const agentUsage = `Usage: slipway agent --server URL [options]

Runs deployments on this machine for a Slipway server (CodeDeploy's agent for an on-premises
instance): claims its host commands, downloads revisions and runs their appspec.yml hooks.

Options:
  --server URL          the server (SLIPWAY_SERVER)
  --config FILE         codedeploy.onpremises.yml: region, iam_user_arn, aws_access_key_id,
                        aws_secret_access_key (else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)
  --instance-name NAME  the registered on-premises instance (default: the host name)
  --iam-user-arn ARN    the instance's IAM user (default: from --config, else STS)
  --region REGION       (default: --config's, else AWS_REGION, else us-east-1)
  --root DIR            revisions, instructions and logs (default $TMPDIR/slipway-agent/<instance>)
  --log-level LEVEL     fatal, error, warn, info (default), debug`;

/** `slipway agent`: runs until SIGTERM/SIGINT, then gives a running command 3 s to finish. */
export async function runAgentCommand(argv: readonly string[]): Promise<number | undefined> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        server: { type: 'string' },
        config: { type: 'string' },
        'instance-name': { type: 'string' },
        'iam-user-arn': { type: 'string' },
        region: { type: 'string' },
        root: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`slipway agent: ${(error as Error).message}\n\n${agentUsage}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(`${agentUsage}\n`);
    return 0;
  }
  const flags = Object.fromEntries(
    Object.entries(values).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  let configText: string | undefined;
  if (flags.config !== undefined) {
    try {
      configText = await readFile(flags.config, 'utf8');
    } catch (error) {
      process.stderr.write(`slipway agent: --config: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const resolved = resolveAgentSettings({
    flags,
    env: process.env,
    configText,
    hostname: hostname(),
    tmpdir: tmpdir(),
  });
  if (!resolved.ok) {
    process.stderr.write(`slipway agent: ${resolved.problems.join('; ')}\n\n${agentUsage}\n`);
    return 2;
  }
  const { settings } = resolved;
  const log = await createLogger(settings.logLevel, 'pretty');
  let agent;
  try {
    agent = await startAgent({
      server: settings.server,
      region: settings.region,
      credentials: settings.credentials,
      hostIdentifier: settings.hostIdentifier,
      root: settings.root,
      log: log.child({ instance: settings.instanceName }),
      env: process.env,
    });
  } catch (error) {
    log.error({ err: error }, 'the agent could not start');
    return 1;
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'stopping: no new commands; a running one gets 3 s');
    void agent.stop(3_000).then(() => {
      log.info('stopped');
      process.exitCode = 0;
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return undefined;
}
