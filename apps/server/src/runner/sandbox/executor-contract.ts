// The behaviour every executor shares, run by each executor's test file (not a test file itself).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Executor, PhaseSpec } from './executor.ts';
import type { SandboxUser } from './sandbox-user.ts';
import {
  basePath,
  hostProcessesNamed,
  makeWorkspacesRoot,
  parseEnviron,
  runCollect,
  uniqueProcessName,
  waitUntil,
} from './sandbox-test-support.ts';
import { createWorkspace } from './workspace.ts';

export type TestedExecutor = Executor & { readonly user: SandboxUser };

export function describeExecutorContract(name: string, create: () => Promise<TestedExecutor>) {
  describe(`${name}: executor contract`, () => {
    let executor: TestedExecutor;
    let root: string;
    let workspace: string;
    const phase = (overrides: Partial<PhaseSpec> & Pick<PhaseSpec, 'commands'>): PhaseSpec => ({
      workspace,
      env: { PATH: basePath },
      network: false,
      deadline: Date.now() + 30_000,
      ...overrides,
    });

    beforeAll(async () => {
      executor = await create();
      root = await makeWorkspacesRoot();
    });
    beforeEach(async () => {
      workspace = await createWorkspace(root, executor.user);
    });
    afterEach(async () => {
      await rm(workspace, { recursive: true, force: true });
    });
    afterAll(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it('runs the commands of a phase in one shell: cd, exports and variables carry over', async () => {
      const { result, stdout } = await runCollect(
        executor,
        phase({
          commands: [
            'mkdir -p a/b && cd a',
            'export GREETING="hello there"; COUNT=2',
            'cd b',
            'echo "$PWD|$GREETING|$COUNT"',
          ],
        }),
      );
      expect(stdout).toBe(`${workspace}/a/b|hello there|2\n`);
      expect(result).toMatchObject({ succeeded: true, exitCode: 0, completedCommands: 4 });
      expect(result.failedCommand).toBeUndefined();
    });

    it('stops at the first failing command and reports its index and exit code', async () => {
      const { result, stdout } = await runCollect(
        executor,
        phase({
          commands: ['echo one', 'echo two; exit_code() { return 7; }; exit_code', 'echo three'],
        }),
      );
      expect(stdout).toBe('one\ntwo\n');
      expect(result).toMatchObject({
        succeeded: false,
        exitCode: 7,
        completedCommands: 1,
        failedCommand: { index: 1, exitCode: 7 },
      });
    });

    it('reports a command that exits the shell as the one that ended the phase', async () => {
      const { result } = await runCollect(
        executor,
        phase({ commands: ['true', 'exit 3', 'true'] }),
      );
      expect(result).toMatchObject({ succeeded: false, exitCode: 3, completedCommands: 1 });
      expect(result.failedCommand).toEqual({ index: 1, exitCode: 3 });
      expect(result.state).toBeUndefined();
    });

    it('lets the next phase start from the previous phase’s directory and variables', async () => {
      // As in CodeBuild's ECR sample: IMAGE_TAG is set, not exported, in pre_build.
      const first = await runCollect(
        executor,
        phase({
          commands: [
            'mkdir out && cd out',
            'export VERSION=1.2.3',
            "IMAGE_TAG=v1; NOTE='two\nlines'; LIST=(a b) 2>/dev/null; true",
            'false',
          ],
        }),
      );
      // Also after a failure: post_build runs after a failed build, in the same shell.
      expect(first.result.failedCommand).toEqual({ index: 3, exitCode: 1 });
      const state = first.result.state;
      expect(state).toEqual({
        cwd: `${workspace}/out`,
        env: { PATH: basePath, VERSION: '1.2.3' },
        variables: { IMAGE_TAG: 'v1', NOTE: 'two\nlines' },
      });
      const { stdout } = await runCollect(
        executor,
        phase({
          ...state,
          commands: ['echo "$PWD $VERSION $IMAGE_TAG $NOTE"', 'sh -c \'echo "[$IMAGE_TAG]"\''],
        }),
      );
      // Restored as it was: set, but still not exported.
      expect(stdout).toBe(`${workspace}/out 1.2.3 v1 two\nlines\n[]\n`);
    });

    it('gives the shell exactly the environment it was given', async () => {
      const env = { PATH: basePath, SPACED: 'a b', MULTI: 'line 1\nline 2', EMPTY: '' };
      const { result, stdout } = await runCollect(
        executor,
        phase({ env, commands: ['cat /proc/$$/environ'] }),
      );
      const seen = parseEnviron(stdout);
      // bubblewrap sets PWD to where it starts the shell (`/`); nothing else is added.
      expect(seen.PWD ?? '/').toBe('/');
      delete seen.PWD;
      expect(seen).toEqual(env);
      expect(result.state).toMatchObject({ env, variables: {} });
    });

    it('streams output while the command is still running', async () => {
      let opened = false;
      const { result, stdout } = await runCollect(
        executor,
        phase({ commands: ['mkfifo gate && echo first && cat gate && echo last'] }),
        {
          onOutput: (_stream, chunk) => {
            // The command cannot finish until the test has seen its first line.
            if (!opened && chunk.toString().includes('first')) {
              opened = true;
              void writeFile(join(workspace, 'gate'), 'go\n');
            }
          },
        },
      );
      expect(result.succeeded).toBe(true);
      expect(stdout).toBe('first\ngo\nlast\n');
    });

    it('uses the shell the buildspec names, and carries its variables too', async () => {
      const first = await runCollect(
        executor,
        phase({ shell: 'sh', commands: ['echo "${BASH_VERSION:-none} $0"', "TAG='a b'"] }),
      );
      expect(first.stdout).toBe('none sh\n');
      expect(first.result.state?.variables).toEqual({ TAG: 'a b' });
      const next = await runCollect(
        executor,
        phase({ shell: 'sh', ...first.result.state, commands: ['echo "$TAG"'] }),
      );
      expect(next.stdout).toBe('a b\n');
    });

    it('reports a starting directory that does not exist as a phase that never started', async () => {
      const { result, stderr } = await runCollect(
        executor,
        phase({ cwd: join(workspace, 'missing'), commands: ['echo never'] }),
      );
      expect(result).toMatchObject({ started: false, succeeded: false, exitCode: 1 });
      expect(stderr).toContain('missing');
    });

    it('refuses a workspace the sandbox user does not own', async () => {
      const foreign = join(root, `foreign-${uniqueProcessName()}`);
      await mkdir(foreign);
      try {
        if (executor.user.switchTo) {
          await expect(executor.run(phase({ workspace: foreign, commands: [] }))).rejects.toThrow(
            /hand it over/,
          );
        }
      } finally {
        await rm(foreign, { recursive: true });
      }
    });

    it('stop kills the shell and what it started in the background', async () => {
      const name = uniqueProcessName();
      const controller = new AbortController();
      const running = runCollect(
        executor,
        phase({
          commands: [
            `cp /bin/sleep ./${name}`,
            `./${name} 1000 & (./${name} 1001 &); ./${name} 1002`,
          ],
        }),
        { signal: controller.signal },
      );
      await waitUntil(async () => (await hostProcessesNamed(name)).length === 3);
      controller.abort();
      const { result } = await running;
      expect(result).toMatchObject({ stopped: true, timedOut: false, succeeded: false });
      expect(result.failedCommand).toEqual({ index: 1, exitCode: null });
      expect(await liveProcesses(name)).toEqual([]);
    });

    it('times out at the deadline and kills what the phase started', async () => {
      const name = uniqueProcessName();
      const { result } = await runCollect(
        executor,
        phase({
          deadline: Date.now() + 1_500,
          commands: [`cp /bin/sleep ./${name}`, `./${name} 1000 & ./${name} 1001`],
        }),
      );
      expect(result).toMatchObject({ timedOut: true, stopped: false, succeeded: false });
      expect(result.failedCommand?.index).toBe(1);
      expect(await liveProcesses(name)).toEqual([]);
    });

    it('does not start a phase that is already stopped or past its deadline', async () => {
      const stopped = await executor.run(phase({ commands: ['echo never'] }), {
        signal: AbortSignal.abort(),
      });
      expect(stopped).toMatchObject({ stopped: true, started: false });
      const late = await executor.run(
        phase({ deadline: Date.now() - 1, commands: ['echo never'] }),
      );
      expect(late).toMatchObject({ timedOut: true, started: false });
    });

    it('rejects commands and variables the kernel or the shell could not take', async () => {
      await expect(executor.run(phase({ commands: ['echo \0'] }))).rejects.toThrow(/cannot run/);
      await expect(executor.run(phase({ env: { 'A=B': 'x' }, commands: [] }))).rejects.toThrow(
        /cannot run/,
      );
      for (const name of ['x;touch pwned', 'IFS', 'PATH']) {
        await expect(
          executor.run(phase({ variables: { [name]: 'x' }, commands: [] })),
        ).rejects.toThrow(/cannot run/);
      }
    });
  });
}

/**
 * Processes by that name that are still running. Zombies are left to each executor's own test:
 * the process executor's orphans are reaped by whatever adopts them, not by Slipway.
 */
async function liveProcesses(name: string) {
  return (await hostProcessesNamed(name)).filter((process) => process.state !== 'Z');
}
