import { execFile } from 'node:child_process';
import type { TestServer } from './test-server.ts';

export interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Real git as a user runs it against a test server: a private HOME, the AWS CLI's credential
 * helper, an identity for commits. Rejects on a non-zero exit with git's stderr.
 */
export function gitClient(server: TestServer, home: string) {
  const config = [
    '-c',
    'user.name=Tester',
    '-c',
    'user.email=tester@example.com',
    '-c',
    'init.defaultBranch=main',
    '-c',
    'credential.helper=!f() { test "$1" = get && aws codecommit credential-helper get --ignore-host-check; }; f',
    '-c',
    'credential.useHttpPath=true',
  ];
  return (args: readonly string[], cwd = home): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile(
        'git',
        [...config, ...args],
        {
          cwd,
          env: { ...server.awsEnv, HOME: home, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' },
        },
        (error, stdout, stderr) => {
          if (error === null) resolve(stdout);
          else reject(new Error(`git ${args.join(' ')} failed: ${stderr}`));
        },
      );
    });
}
