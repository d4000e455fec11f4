import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface HelperCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The region the credentials' profile names, if any. */
  readonly region: string | undefined;
}

export interface HelperConfig {
  readonly credentials: HelperCredentials | undefined;
  /** Why there are no credentials, for the error message. */
  readonly searched: string;
  readonly regionOverride: string | undefined;
}

/**
 * Where the helper finds credentials, in the AWS SDKs' order: the environment, then the shared
 * credentials file (`--credentials-file`, `AWS_SHARED_CREDENTIALS_FILE`, `~/.aws/credentials`)
 * and profile (`--profile`, `AWS_PROFILE`, `default`). Slipway's own `<data-dir>/credentials`
 * is in that format, so `--credentials-file .slipway/credentials` works.
 */
export function loadHelperConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): HelperConfig {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const regionOverride = flag('--region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return {
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        region: undefined,
      },
      searched: 'environment',
      regionOverride,
    };
  }
  const file =
    flag('--credentials-file') ??
    env.AWS_SHARED_CREDENTIALS_FILE ??
    join(homedir(), '.aws', 'credentials');
  const profile = flag('--profile') ?? env.AWS_PROFILE ?? 'default';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { credentials: undefined, searched: `${file} (not readable)`, regionOverride };
  }
  const section = parseIni(text)[profile] ?? {};
  const accessKeyId = section.aws_access_key_id;
  const secretAccessKey = section.aws_secret_access_key;
  return {
    credentials:
      accessKeyId && secretAccessKey
        ? { accessKeyId, secretAccessKey, region: section.region }
        : undefined,
    searched: `profile ${profile} in ${file}`,
    regionOverride,
  };
}

function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(?:profile\s+)?([^\]]+)\]$/.exec(line);
    if (header?.[1] !== undefined) {
      current = sections[header[1].trim()] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (current !== undefined && eq > 0) {
      current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
  }
  return sections;
}
