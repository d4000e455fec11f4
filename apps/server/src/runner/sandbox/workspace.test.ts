import { lstat, mkdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorkspacesRoot } from './sandbox-test-support.ts';
import { assertUsableBy, createWorkspace, handOverTree } from './workspace.ts';

const isRoot = process.getuid?.() === 0;
const nobody = { uid: 65534, gid: 65534, switchTo: true };

describe.skipIf(!isRoot)('workspaces (as root)', () => {
  let root: string;
  beforeEach(async () => {
    root = await makeWorkspacesRoot();
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates a fresh, private workspace owned by the sandbox user', async () => {
    const first = await createWorkspace(root, nobody);
    const second = await createWorkspace(root, nobody);
    expect(first).not.toBe(second);
    const info = await stat(first);
    expect({ uid: info.uid, gid: info.gid, mode: info.mode & 0o777 }).toEqual({
      uid: 65534,
      gid: 65534,
      mode: 0o700,
    });
  });

  it('hands a tree over without following its symbolic links', async () => {
    const workspace = await createWorkspace(root, nobody);
    const outside = join(root, 'outside');
    await writeFile(outside, 'root only', { mode: 0o600 });
    await mkdir(join(workspace, 'src'));
    await writeFile(join(workspace, 'src', 'main.c'), 'int main;');
    await symlink(outside, join(workspace, 'src', 'link'));
    await symlink(root, join(workspace, 'dir-link'));
    await handOverTree(workspace, nobody);
    expect((await stat(join(workspace, 'src', 'main.c'))).uid).toBe(65534);
    expect((await lstat(join(workspace, 'src', 'link'))).uid).toBe(65534);
    expect((await stat(outside)).uid).toBe(0);
    expect((await stat(root)).uid).toBe(0);
  });

  it('says clearly when the sandbox user could not use a directory', async () => {
    const workspace = await createWorkspace(root, nobody);
    await expect(assertUsableBy(workspace, nobody, 'workspace')).resolves.toBeUndefined();
    await expect(assertUsableBy(root, nobody, 'workspace')).rejects.toThrow(/belongs to uid 0/);
    await expect(assertUsableBy('relative', nobody, 'workspace')).rejects.toThrow(/absolute/);
    const closed = join(root, 'closed');
    await mkdir(closed, { mode: 0o700 });
    const inner = await createWorkspace(closed, nobody);
    await expect(assertUsableBy(inner, nobody, 'cache')).rejects.toThrow(
      `${closed} is not searchable`,
    );
  });
});
