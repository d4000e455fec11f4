import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CredentialsFiles {
  readonly credentialsPath: string;
  readonly configPath: string;
}

export interface WriteCredentialsOptions {
  readonly dataDir: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly endpointUrl: string;
  readonly region: string;
}

/**
 * `<data-dir>/credentials` (shared-credentials format, 0600) and `<data-dir>/aws-config` (region
 * and endpoint), rewritten on every start so the endpoint follows the port. Atomic: a reader sees
 * the old file or the new one.
 */
export async function writeCredentialsFiles(
  options: WriteCredentialsOptions,
): Promise<CredentialsFiles> {
  const credentialsPath = join(options.dataDir, 'credentials');
  const configPath = join(options.dataDir, 'aws-config');
  await writeAtomically(
    credentialsPath,
    // botocore and the JS SDK merge the credentials file into the profile, so a region here
    // lets `AWS_SHARED_CREDENTIALS_FILE=… aws --endpoint-url … sts …` work with no config file.
    `[default]\naws_access_key_id = ${options.accessKeyId}\n` +
      `aws_secret_access_key = ${options.secretAccessKey}\nregion = ${options.region}\n`,
    0o600,
  );
  await writeAtomically(
    configPath,
    `[default]\nregion = ${options.region}\nendpoint_url = ${options.endpointUrl}\n`,
    0o644,
  );
  return { credentialsPath, configPath };
}

async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode });
  await rename(temporary, path);
}
