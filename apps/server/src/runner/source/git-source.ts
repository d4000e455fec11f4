import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';

/**
 * DOWNLOAD_SOURCE for CODECOMMIT (and any git over HTTP): the runner fetches one commit of the
 * repository into the workspace with the real `git`, as CodeBuild's agent does. The version may
 * be a branch, a tag, a full ref or a commit id (CodeBuild's `sourceVersion` for CodeCommit);
 * without one, the remote's HEAD.
 */
export interface GitSourceInput {
  /** `http(s)://host/v1/repos/<name>`: the server's git door. */
  readonly url: string;
  /** HTTP basic credentials, sent in a header through git's environment: never in argv. */
  readonly credentials?: { readonly username: string; readonly password: string } | undefined;
  readonly version?: string | undefined;
  /** CodeBuild's `gitCloneDepth`: 0 is the full history. */
  readonly depth?: number | undefined;
  /** An empty or absent directory: the working tree goes here. */
  readonly directory: string;
  readonly signal?: AbortSignal | undefined;
}

export interface GitSourceResult {
  /** CODEBUILD_RESOLVED_SOURCE_VERSION. */
  readonly commitId: string;
  /** The ref the version named (`refs/heads/main`), when it named one. */
  readonly ref: string | undefined;
}

export class GitSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitSourceError';
  }
}

const commitIdPattern = /^[0-9a-f]{40}$/;

export async function fetchGitSource(input: GitSourceInput): Promise<GitSourceResult> {
  const version = input.version?.trim() || undefined;
  if (version !== undefined && (version.startsWith('-') || /[\s\0]/.test(version))) {
    throw new GitSourceError(`Invalid source version: ${JSON.stringify(version)}`);
  }
  await mkdir(input.directory, { recursive: true });
  const git = gitRunner(input);
  await git(['init', '--quiet']);
  await git(['remote', 'add', 'origin', input.url]);
  const { commitId, ref } = await resolveVersion(git, version);
  const depth = input.depth ?? 0;
  const depthArgs = depth > 0 ? [`--depth=${depth}`] : [];
  await git(['fetch', '--quiet', '--no-tags', ...depthArgs, 'origin', commitId]);
  if (ref?.startsWith('refs/heads/')) {
    // A branch build is on that branch, as a clone of it would be.
    await git(['checkout', '--quiet', '-B', ref.slice('refs/heads/'.length), commitId]);
  } else {
    await git(['checkout', '--quiet', '--detach', commitId]);
  }
  return { commitId, ref };
}

type Git = (args: readonly string[]) => Promise<string>;

/** The commit a version names, from the remote's refs (`ls-remote`), or the id itself. */
async function resolveVersion(
  git: Git,
  version: string | undefined,
): Promise<{ commitId: string; ref: string | undefined }> {
  if (version !== undefined && commitIdPattern.test(version)) {
    return { commitId: version, ref: undefined };
  }
  const refs = parseLsRemote(await git(['ls-remote', '--symref', 'origin']));
  if (version === undefined) {
    const head = refs.symrefs.get('HEAD');
    const commitId = head === undefined ? refs.ids.get('HEAD') : refs.ids.get(head);
    if (commitId === undefined) throw new GitSourceError('The repository has no commits.');
    return { commitId, ref: head };
  }
  for (const ref of [version, `refs/heads/${version}`, `refs/tags/${version}`]) {
    // An annotated tag's commit is its peeled id (`<ref>^{}`).
    const commitId = refs.ids.get(`${ref}^{}`) ?? refs.ids.get(ref);
    if (commitId !== undefined && ref.startsWith('refs/')) return { commitId, ref };
  }
  throw new GitSourceError(
    `The source version ${version} is not a branch, tag or commit id of the repository.`,
  );
}

function parseLsRemote(output: string) {
  const ids = new Map<string, string>();
  const symrefs = new Map<string, string>();
  for (const line of output.split('\n')) {
    const symref = /^ref: (\S+)\t(\S+)$/.exec(line);
    if (symref?.[1] !== undefined && symref[2] !== undefined) {
      symrefs.set(symref[2], symref[1]);
      continue;
    }
    const [id, name] = line.split('\t');
    if (id !== undefined && name !== undefined && commitIdPattern.test(id)) ids.set(name, id);
  }
  return { ids, symrefs };
}

function gitRunner(input: GitSourceInput): Git {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: input.directory,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '/bin/false',
  };
  // Configuration through the environment (git ≥ 2.31), as command-line config: the secret is
  // in no argv and no file. The working tree belongs to the sandbox user, not to the runner
  // running git in it, which git refuses unless told the directory is safe.
  const config: [string, string][] = [['safe.directory', input.directory]];
  if (input.credentials !== undefined) {
    const basic = Buffer.from(
      `${input.credentials.username}:${input.credentials.password}`,
    ).toString('base64');
    config.push(['http.extraHeader', `Authorization: Basic ${basic}`]);
  }
  env.GIT_CONFIG_COUNT = String(config.length);
  for (const [i, [key, value]] of config.entries()) {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  }
  return (args) =>
    new Promise((resolve, reject) => {
      const child = spawn('git', ['-C', input.directory, ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        signal: input.signal,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        if (stderr.length < 64 * 1024) stderr += chunk;
      });
      child.once('error', (error) => reject(new GitSourceError(`git: ${error.message}`)));
      child.once('close', (code) => {
        if (code === 0) resolve(stdout);
        else reject(new GitSourceError(`git ${args[0] ?? ''} failed: ${stderr.trim()}`));
      });
    });
}
