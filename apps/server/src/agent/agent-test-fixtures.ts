import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DeploymentSpecification } from '@slipway/protocol';
import { HostCommandExecutor } from './executor/host-command-executor.ts';

/** Test builders for the agent: temp dirs, revisions, specifications, an executor. */

export function makeTempDir(prefix = 'slipway-agent-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A file of a revision: text (mode 644), or text with a mode (e.g. 0o755 for scripts). */
export type RevisionFile = string | { readonly text: string; readonly mode: number };

export function writeTree(dir: string, files: Readonly<Record<string, RevisionFile>>): void {
  for (const [name, file] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof file === 'string' ? file : file.text);
    chmodSync(path, typeof file === 'string' ? 0o644 : file.mode);
  }
}

export function script(body: string): RevisionFile {
  return { text: `#!/bin/sh\n${body}\n`, mode: 0o755 };
}

/** A tgz of `files`, made with the system tar. */
export function makeTgz(dir: string, files: Readonly<Record<string, RevisionFile>>): string {
  const tree = mkdtempSync(join(dir, 'tree-'));
  writeTree(tree, files);
  const bundle = `${tree}.tgz`;
  execFileSync('tar', ['-czf', bundle, '-C', tree, '.']);
  return bundle;
}

/**
 * An archive written by Python (which, unlike tar, zip and yazl, writes hostile entries as
 * asked): `entries` are [name, text] files, or [name, '->', target] symlinks.
 */
export function makeHostileArchive(
  path: string,
  kind: 'zip' | 'tar',
  entries: readonly (readonly [string, string] | readonly [string, '->', string])[],
): string {
  const program =
    kind === 'zip'
      ? `import sys, json, zipfile
z = zipfile.ZipFile(sys.argv[1], 'w')
for e in json.loads(sys.argv[2]):
    if len(e) == 3:
        i = zipfile.ZipInfo(e[0]); i.external_attr = (0o120777 << 16); z.writestr(i, e[2])
    else:
        z.writestr(e[0], e[1])
z.close()`
      : `import sys, json, tarfile, io
t = tarfile.open(sys.argv[1], 'w')
for e in json.loads(sys.argv[2]):
    i = tarfile.TarInfo(e[0])
    if len(e) == 3:
        i.type = tarfile.SYMTYPE; i.linkname = e[2]; t.addfile(i)
    else:
        data = e[1].encode(); i.size = len(data); t.addfile(i, io.BytesIO(data))
t.close()`;
  execFileSync('python3', ['-c', program, path, JSON.stringify(entries)]);
  return path;
}

export function aSpec(overrides: Partial<DeploymentSpecification> = {}): DeploymentSpecification {
  return {
    DeploymentId: 'd-TEST00001',
    DeploymentGroupId: 'dg-0000-1111',
    DeploymentGroupName: 'prod',
    ApplicationName: 'web',
    DeploymentCreator: 'user',
    DeploymentType: 'IN_PLACE',
    AppSpecFilename: 'appspec.yml',
    AllPossibleLifecycleEvents: [],
    AgentActionOverrides: { AgentOverrides: { FileExistsBehavior: 'DISALLOW' } },
    IgnoreApplicationStopFailures: false,
    Revision: {
      RevisionType: 'S3',
      S3Revision: { Bucket: 'revisions', Key: 'web/app.tgz', BundleType: 'tgz', ETag: 'etag1' },
    },
    BundleUrl: 'http://bundles.invalid/app.tgz',
    ...overrides,
  };
}

/** A fetch that answers every URL with the bytes of `file`. */
export function fileFetch(file: () => string): typeof fetch {
  return () => Promise.resolve(new Response(readFileSync(file())));
}

export function anExecutor(
  root: string,
  options: { bundle?: () => string; env?: Record<string, string> } = {},
): HostCommandExecutor {
  return new HostCommandExecutor({
    root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    ...(options.bundle ? { fetch: fileFetch(options.bundle) } : {}),
  });
}

export const inPlaceEvents = [
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
] as const;

/** Runs the events in order and stops at the first failure; returns every outcome. */
export async function deploy(
  executor: HostCommandExecutor,
  spec: DeploymentSpecification,
  events: readonly string[] = inPlaceEvents,
) {
  const outcomes = [];
  for (const commandName of events) {
    const outcome = await executor.execute({ commandName, spec });
    outcomes.push({ commandName, ...outcome });
    if (outcome.status === 'Failed') break;
  }
  return outcomes;
}
