import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeExecutorContract } from './executor-contract.ts';
import { ProcessExecutor } from './process-executor.ts';
import {
  basePath,
  hostProcessesNamed,
  makeWorkspacesRoot,
  runCollect,
  silentLog,
  uniqueProcessName,
} from './sandbox-test-support.ts';
import { createWorkspace } from './workspace.ts';

describeExecutorContract('ProcessExecutor', () => ProcessExecutor.create({ log: silentLog }));

describe('ProcessExecutor', () => {
  let root: string;
  beforeAll(async () => {
    root = await makeWorkspacesRoot();
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('warns that builds are not isolated', async () => {
    const warnings: string[] = [];
    await ProcessExecutor.create({
      log: { warn: (_fields: object, message: string) => warnings.push(message) },
    });
    expect(warnings).toEqual([expect.stringContaining('WITHOUT isolation')]);
  });

  it('ends what the shell left running in its process group when the phase ends', async () => {
    const executor = await ProcessExecutor.create({ log: silentLog });
    const workspace = await createWorkspace(root, executor.user);
    const name = uniqueProcessName();
    // The daemon keeps stdout open: the phase still ends, because its group is killed.
    const { result } = await runCollect(executor, {
      workspace,
      env: { PATH: basePath },
      network: false,
      deadline: Date.now() + 30_000,
      commands: [`cp /bin/sleep ./${name} && (./${name} 1000 &)`],
    });
    expect(result.succeeded).toBe(true);
    const live = (await hostProcessesNamed(name)).filter((process) => process.state !== 'Z');
    expect(live).toEqual([]);
  });
});
