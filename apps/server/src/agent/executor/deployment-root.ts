import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';

/** The real agent's `max_revisions` default: deployment directories kept per group. */
export const defaultMaxRevisions = 5;

/**
 * The agent's directory, laid out like CodeDeploy's agent (its `root_dir`):
 *
 * ```
 * <root>/<DeploymentGroupId>/<DeploymentId>/bundle.<ext>
 * <root>/<DeploymentGroupId>/<DeploymentId>/deployment-archive/      the extracted bundle
 * <root>/deployment-instructions/<DeploymentGroupId>-last-successful-install
 * <root>/deployment-instructions/<DeploymentGroupId>-cleanup
 * <root>/deployment-logs/codedeploy-agent-deployments.log
 * <root>/ongoing-command.json
 * ```
 */
export class DeploymentRoot {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  deploymentDir(groupId: string, deploymentId: string): string {
    return join(this.root, safeSegment(groupId), safeSegment(deploymentId));
  }

  bundleFile(groupId: string, deploymentId: string, bundleType: string): string {
    return join(this.deploymentDir(groupId, deploymentId), `bundle.${safeSegment(bundleType)}`);
  }

  archiveDir(groupId: string, deploymentId: string): string {
    return join(this.deploymentDir(groupId, deploymentId), 'deployment-archive');
  }

  get deploymentLog(): string {
    return join(this.root, 'deployment-logs', 'codedeploy-agent-deployments.log');
  }

  get ongoingCommandFile(): string {
    return join(this.root, 'ongoing-command.json');
  }

  lastSuccessfulInstallFile(groupId: string): string {
    return join(
      this.root,
      'deployment-instructions',
      `${safeSegment(groupId)}-last-successful-install`,
    );
  }

  cleanupFile(groupId: string): string {
    return join(this.root, 'deployment-instructions', `${safeSegment(groupId)}-cleanup`);
  }

  /** The archive directory of the group's last revision whose Install succeeded, if any. */
  async findLastSuccessfulArchive(groupId: string): Promise<string | undefined> {
    const text = await readOptional(this.lastSuccessfulInstallFile(groupId));
    const path = text?.trim();
    return path === undefined || path === '' ? undefined : path;
  }

  async recordLastSuccessfulArchive(groupId: string, archiveDir: string): Promise<void> {
    await writeAtomically(this.lastSuccessfulInstallFile(groupId), `${archiveDir}\n`);
  }

  async readCleanupList(groupId: string): Promise<string[]> {
    const text = await readOptional(this.cleanupFile(groupId));
    return (text ?? '').split('\n').filter((line) => line.startsWith('/'));
  }

  async writeCleanupList(groupId: string, paths: readonly string[]): Promise<void> {
    await writeAtomically(this.cleanupFile(groupId), paths.map((path) => `${path}\n`).join(''));
  }

  /**
   * Keeps the group's `max` most recent deployment directories (by modification time), and
   * always `keep` (the current one and the last successful install's).
   */
  async pruneDeployments(
    groupId: string,
    keep: readonly string[],
    max = defaultMaxRevisions,
  ): Promise<string[]> {
    const groupDir = join(this.root, safeSegment(groupId));
    const names = await readdir(groupDir).catch(() => [] as string[]);
    const dirs = await Promise.all(
      names.map(async (name) => {
        const path = join(groupDir, name);
        const info = await stat(path).catch(() => undefined);
        return { path, mtime: info?.isDirectory() === true ? info.mtimeMs : -1 };
      }),
    );
    const sorted = dirs.filter((d) => d.mtime >= 0).sort((a, b) => b.mtime - a.mtime);
    const kept = new Set(keep.map((path) => path.replace(/\/deployment-archive$/, '')));
    const removed: string[] = [];
    let count = sorted.filter((d) => kept.has(d.path)).length;
    for (const dir of sorted) {
      if (kept.has(dir.path)) continue;
      if (count < max) {
        count += 1;
        continue;
      }
      await rm(dir.path, { recursive: true, force: true });
      removed.push(dir.path);
    }
    return removed;
  }
}

/** Ids come from the server; still, none may name a path outside the root. */
function safeSegment(value: string): string {
  if (value === '' || value === '.' || value === '..' || /[/\0]/.test(value)) {
    throw new Error(`unsafe identifier for a path: ${JSON.stringify(value)}`);
  }
  return value;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomUUID()}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}
