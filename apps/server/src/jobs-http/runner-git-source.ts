import { deriveGitPassword } from '../git-http/git-password.ts';
import { repositoryPath } from '../git-http/git-request.ts';

export interface RunnerGitSourceInput {
  /** How runners reach this server (`http://host:port`). */
  readonly baseUrl: string;
  readonly defaultRegion: string;
  readonly region: string;
  readonly repository: string;
  /** The key the password is signed with (the installation's administrator). */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly now: number;
}

/**
 * A CODECOMMIT source for a runner: this server's clone URL for the repository, whatever host
 * the project names (an AWS `git-codecommit.<region>.amazonaws.com` URL works unchanged), and
 * the SigV4-derived git password `aws codecommit credential-helper` would print, which the git
 * door accepts for 15 minutes: DOWNLOAD_SOURCE is the first thing a runner does.
 */
export function runnerGitSource(input: RunnerGitSourceInput) {
  const path = repositoryPath(
    input.region === input.defaultRegion ? undefined : input.region,
    input.repository,
  );
  const url = `${input.baseUrl.replace(/\/+$/, '')}${path}`;
  const password = deriveGitPassword({
    secretAccessKey: input.secretAccessKey,
    region: input.region,
    hostname: new URL(url).hostname,
    path,
    now: input.now,
  });
  return { url, username: input.accessKeyId, password };
}
