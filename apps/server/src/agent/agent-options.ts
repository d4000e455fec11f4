import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { AgentCredentials } from './client/signed-request.ts';

/** What `slipway agent` runs with, once its flags, config file and environment are read. */
export interface AgentSettings {
  readonly server: string;
  readonly instanceName: string;
  readonly root: string;
  readonly region: string;
  readonly credentials: AgentCredentials;
  readonly hostIdentifier: string | undefined;
  readonly logLevel: string;
}

export interface AgentSettingsInput {
  readonly flags: Readonly<Record<string, string | undefined>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The text of `--config` (codedeploy.onpremises.yml), when given. */
  readonly configText?: string | undefined;
  readonly hostname: string;
  readonly tmpdir: string;
}

/**
 * Flags over the on-premises config file over the environment; every problem is reported at
 * once. The config file is CodeDeploy's `codedeploy.onpremises.yml`: `region`, `iam_user_arn`,
 * `aws_access_key_id`, `aws_secret_access_key`.
 */
export function resolveAgentSettings(
  input: AgentSettingsInput,
): { ok: true; settings: AgentSettings } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const config = parseOnPremisesConfig(input.configText, problems);
  const { flags, env } = input;
  const server = flags.server ?? env.SLIPWAY_SERVER;
  if (server === undefined) problems.push('--server is required (or SLIPWAY_SERVER)');
  else if (!/^https?:\/\//.test(server)) problems.push('--server must be an http(s) URL');
  const accessKeyId = config.aws_access_key_id ?? env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = config.aws_secret_access_key ?? env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    problems.push(
      'credentials are required: --config FILE (codedeploy.onpremises.yml) or ' +
        'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
  }
  const instanceName = flags['instance-name'] ?? input.hostname;
  if (problems.length > 0 || server === undefined || !accessKeyId || !secretAccessKey) {
    return { ok: false, problems };
  }
  const sessionToken = config.aws_access_key_id === undefined ? env.AWS_SESSION_TOKEN : undefined;
  return {
    ok: true,
    settings: Object.freeze({
      server,
      instanceName,
      root: resolve(flags.root ?? join(input.tmpdir, 'slipway-agent', instanceName)),
      region: flags.region ?? config.region ?? env.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
      hostIdentifier: config.iam_user_arn ?? flags['iam-user-arn'],
      logLevel: flags['log-level'] ?? 'info',
    }),
  };
}

type OnPremisesConfig = Partial<
  Record<'region' | 'iam_user_arn' | 'aws_access_key_id' | 'aws_secret_access_key', string>
>;

const configKeys = ['region', 'iam_user_arn', 'aws_access_key_id', 'aws_secret_access_key'];

function parseOnPremisesConfig(text: string | undefined, problems: string[]): OnPremisesConfig {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    problems.push(`--config is not YAML: ${(error as Error).message.split('\n')[0]}`);
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push('--config must be a mapping (codedeploy.onpremises.yml)');
    return {};
  }
  const config: OnPremisesConfig = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!configKeys.includes(key)) {
      if (key === 'iam_session_arn' || key === 'aws_credentials_file') {
        problems.push(`--config: ${key} is not supported; use an IAM user's access keys`);
      }
      continue;
    }
    if (typeof value !== 'string' || value === '') {
      problems.push(`--config: ${key} must be a non-empty string`);
      continue;
    }
    config[key as keyof OnPremisesConfig] = value;
  }
  return config;
}
