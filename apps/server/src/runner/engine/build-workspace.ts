import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@slipway/core';
import type { SandboxUser } from '../sandbox/sandbox-user.ts';

/**
 * Where one build's files live, all below `root` (the directory the sandbox binds writable):
 * the primary source (CODEBUILD_SRC_DIR), each secondary source (CODEBUILD_SRC_DIR_<id>), and a
 * writable HOME. CodeBuild's HOME is /root; in the sandbox the host's filesystem is read-only,
 * so HOME is a directory of the build's own that tools (npm, pip, maven) can write to.
 */
export interface BuildWorkspace {
  /** Absolute; owned by the sandbox user (createWorkspace). */
  readonly root: string;
  readonly srcDir: string;
  readonly homeDir: string;
  readonly secondarySources: readonly SecondarySourceDir[];
}

export interface SecondarySourceDir {
  /** The project's sourceIdentifier. */
  readonly identifier: string;
  readonly dir: string;
  /** CODEBUILD_SOURCE_VERSION_<identifier>. */
  readonly sourceVersion?: string;
}

/** sourceIdentifier: CodeBuild allows letters, digits and underscores, 128 at most. */
const identifierPattern = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;

/** The standard layout below a workspace root: `src`, `home`, `sources/<identifier>`. */
export function planBuildWorkspace(
  root: string,
  secondary: readonly { readonly identifier: string; readonly sourceVersion?: string }[] = [],
): BuildWorkspace {
  for (const { identifier } of secondary) {
    if (!identifierPattern.test(identifier)) {
      throw AppError.invalidInput(`Secondary source identifier '${identifier}' is not valid`);
    }
  }
  return {
    root,
    srcDir: join(root, 'src'),
    homeDir: join(root, 'home'),
    secondarySources: secondary.map((s) => ({ ...s, dir: join(root, 'sources', s.identifier) })),
  };
}

/** Creates the layout's directories, owned by the sandbox user. */
export async function createBuildWorkspaceDirs(
  workspace: BuildWorkspace,
  user: SandboxUser,
): Promise<void> {
  const dirs = [
    workspace.srcDir,
    workspace.homeDir,
    ...workspace.secondarySources.map((s) => s.dir),
  ];
  for (const dir of dirs) {
    await mkdir(dir, { recursive: true, mode: 0o755 });
    if (user.switchTo) await chown(dir, user.uid, user.gid);
  }
  if (workspace.secondarySources.length > 0 && user.switchTo) {
    await chown(join(workspace.root, 'sources'), user.uid, user.gid);
  }
}
