import { execFile } from 'node:child_process';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of this process without any AWS_* setting that could leak into a client. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('AWS_')) env[key] = value;
  }
  return { ...env, AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

export function run(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<CommandResult> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { env, cwd, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** The real AWS CLI (v1, botocore), as a user runs it. */
export function aws(
  args: readonly string[],
  env: Record<string, string>,
  /** Where it runs: `aws deploy register` writes its config file there. */
  cwd?: string,
): Promise<CommandResult> {
  return run('aws', args, cleanEnv(env), cwd);
}

/** A Python snippet with boto3, the SDK most automation uses. */
export function python(script: string, env: Record<string, string>): Promise<CommandResult> {
  return run('python3', ['-c', script], cleanEnv(env));
}
