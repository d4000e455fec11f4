import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  GetDeploymentCommand,
  type DeploymentInfo,
  type InstanceTarget,
} from '@aws-sdk/client-codedeploy';
import type { TestServer } from './test-server.ts';

/**
 * Helpers of the CodeDeploy deployment suites: bundles built with the real `zip` and `tar`,
 * appspecs whose hook scripts record what the agent gave them into the host's own /tmp, the
 * local hosts' private directories as the test sees them, and waits read through the JS SDK.
 */

type ServerCredentials = Pick<TestServer, 'url' | 'accessKeyId' | 'secretAccessKey'>;

export function codeDeployClient(server: ServerCredentials): CodeDeployClient {
  return new CodeDeployClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    maxAttempts: 1,
  });
}

/** Where local host `local-agent-<index>` keeps its own `/tmp` (local-agents.ts `hostView`). */
export function hostTmp(dataDir: string, index: number): string {
  return join(dataDir, 'local-agents', `local-agent-${index}`, 'host', 'tmp');
}

/** A file of a bundle: text, or text with a mode (scripts are 0755 by default). */
export type BundleFile = string | { readonly content: string; readonly mode: number };
export type BundleType = 'zip' | 'tar' | 'tgz';

/** A bundle built by the real `zip` or `tar`, file modes kept. */
export async function bundleOf(
  files: Record<string, BundleFile>,
  type: BundleType = 'zip',
): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-bundle-'));
  try {
    const tree = join(dir, 'tree');
    await mkdir(tree);
    for (const [path, file] of Object.entries(files)) {
      const content = typeof file === 'string' ? file : file.content;
      const mode = typeof file === 'string' ? (path.endsWith('.sh') ? 0o755 : 0o644) : file.mode;
      await mkdir(dirname(join(tree, path)), { recursive: true });
      await writeFile(join(tree, path), content);
      await chmod(join(tree, path), mode);
    }
    const out = join(dir, `bundle.${type}`);
    const [command, args] =
      type === 'zip'
        ? ['zip', ['-q', '-r', out, '.']]
        : ['tar', [type === 'tgz' ? '-czf' : '-cf', out, '.']];
    await new Promise<void>((resolve, reject) =>
      execFile(command, args, { cwd: tree }, (error, _stdout, stderr) =>
        error === null ? resolve() : reject(new Error(`${command} failed: ${stderr}`)),
      ),
    );
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The scriptable in-place events, in the order the agent runs them (§5.3). */
export const hookEvents = [
  'ApplicationStop',
  'BeforeInstall',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
] as const;
export type HookEvent = (typeof hookEvents)[number];

export interface RevisionOptions {
  /** Names the revision in what the hooks record and in the installed file. */
  readonly label: string;
  /** Where the installed file goes and the hooks record: `/tmp/<dir>` on each host. */
  readonly dir: string;
  /** Fail this event (on every host, or on one). */
  readonly failOn?: { readonly event: HookEvent; readonly host?: string };
  /** Sleep this long in this event (on every host, or on one). */
  readonly sleepIn?: {
    readonly event: HookEvent;
    readonly seconds: number;
    readonly host?: string;
  };
  /** Each hook's timeout (seconds). */
  readonly timeout?: number;
  /** Extra appspec lines at the top level (after `files`). */
  readonly appSpecExtra?: string;
  /** Extra script lines run by every hook after recording. */
  readonly scriptExtra?: string;
  /** The files under `app/` (default: `version.txt` holding the label). */
  readonly appFiles?: Record<string, string>;
}

/**
 * A revision whose every scriptable hook runs scripts/hook.sh: it appends one line to
 * `/tmp/<dir>/hooks.log` with the label and the §5.4 variables, prints a greeting, and then fails
 * or sleeps as asked. The files of `app/` (`version.txt` by default) go to `/tmp/<dir>/app/`.
 */
export function revisionFiles(options: RevisionOptions): Record<string, BundleFile> {
  const timeout = options.timeout ?? 20;
  const only = (host: string | undefined) =>
    host === undefined ? 'true' : `[ "$SLIPWAY_INSTANCE_NAME" = ${host} ]`;
  const lines = [
    '#!/bin/sh',
    `mkdir -p /tmp/${options.dir}`,
    `echo "${options.label} $LIFECYCLE_EVENT $DEPLOYMENT_ID $APPLICATION_NAME $DEPLOYMENT_GROUP_NAME ` +
      `$DEPLOYMENT_GROUP_ID $BUNDLE_BUCKET $BUNDLE_KEY $BUNDLE_ETAG" >> /tmp/${options.dir}/hooks.log`,
    `echo "hello from $LIFECYCLE_EVENT of ${options.label} on $SLIPWAY_INSTANCE_NAME"`,
  ];
  if (options.scriptExtra !== undefined) lines.push(options.scriptExtra);
  if (options.sleepIn !== undefined) {
    const { event, seconds, host } = options.sleepIn;
    lines.push(`[ "$LIFECYCLE_EVENT" = ${event} ] && ${only(host)} && sleep ${seconds}`);
  }
  if (options.failOn !== undefined) {
    const { event, host } = options.failOn;
    lines.push(
      `if [ "$LIFECYCLE_EVENT" = ${event} ] && ${only(host)}; then`,
      `  echo "failing ${event} on purpose" >&2`,
      '  exit 1',
      'fi',
    );
  }
  lines.push('exit 0', '');
  const hooks = hookEvents
    .map((event) => `  ${event}:\n    - location: scripts/hook.sh\n      timeout: ${timeout}\n`)
    .join('');
  const appSpec =
    'version: 0.0\nos: linux\nfiles:\n' +
    `  - source: app\n    destination: /tmp/${options.dir}/app\n` +
    (options.appSpecExtra === undefined ? '' : `${options.appSpecExtra}\n`) +
    `hooks:\n${hooks}`;
  return {
    'appspec.yml': appSpec,
    'scripts/hook.sh': lines.join('\n'),
    ...Object.fromEntries(
      Object.entries(options.appFiles ?? { 'version.txt': `${options.label}\n` }).map(
        ([name, content]) => [`app/${name}`, content],
      ),
    ),
  };
}

/** One line a hook recorded. */
export interface HookRecord {
  readonly label: string;
  readonly event: string;
  readonly deploymentId: string;
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly deploymentGroupId: string;
  readonly bundleBucket: string;
  readonly bundleKey: string;
  readonly bundleEtag: string;
}

/** What the hooks of `/tmp/<dir>` recorded on host `index` (none yet: []). */
export async function hookRecords(
  dataDir: string,
  index: number,
  dir: string,
): Promise<HookRecord[]> {
  const text = await readFile(join(hostTmp(dataDir, index), dir, 'hooks.log'), 'utf8').catch(
    () => '',
  );
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [
        label = '',
        event = '',
        deploymentId = '',
        applicationName = '',
        deploymentGroupName = '',
        deploymentGroupId = '',
        bundleBucket = '',
        bundleKey = '',
        bundleEtag = '',
      ] = line.split(' ');
      return {
        label,
        event,
        deploymentId,
        applicationName,
        deploymentGroupName,
        deploymentGroupId,
        bundleBucket,
        bundleKey,
        bundleEtag,
      };
    });
}

/** The installed `/tmp/<dir>/app/version.txt` on host `index`, if any. */
export function installedVersion(
  dataDir: string,
  index: number,
  dir: string,
): Promise<string | undefined> {
  return readFile(join(hostTmp(dataDir, index), dir, 'app', 'version.txt'), 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
}

const terminal = new Set(['Succeeded', 'Failed', 'Stopped']);

/** Waits (through the JS SDK) until the deployment is Succeeded, Failed or Stopped. */
export async function waitForDeployment(
  client: CodeDeployClient,
  deploymentId: string,
  timeoutMs = 45_000,
): Promise<DeploymentInfo> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { deploymentInfo } = await client.send(new GetDeploymentCommand({ deploymentId }));
    if (deploymentInfo !== undefined && terminal.has(deploymentInfo.status ?? '')) {
      return deploymentInfo;
    }
    if (Date.now() > deadline) {
      const targets = await instanceTargets(client, deploymentId).catch(() => []);
      throw new Error(
        `deployment ${deploymentId} did not finish: ${JSON.stringify({ deploymentInfo, targets })}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every instance target of a deployment, in instance-name order. */
export async function instanceTargets(
  client: CodeDeployClient,
  deploymentId: string,
  count = 4,
): Promise<InstanceTarget[]> {
  const targetIds = Array.from({ length: count }, (_, i) => `local-agent-${i + 1}`);
  const { deploymentTargets } = await client.send(
    new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds }),
  );
  return (deploymentTargets ?? []).flatMap((t) =>
    t.instanceTarget === undefined ? [] : [t.instanceTarget],
  );
}
