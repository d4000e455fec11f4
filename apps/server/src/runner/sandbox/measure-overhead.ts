// What the sandbox costs, against plain spawns of the same command in the same run:
//   npx tsx apps/server/src/runner/sandbox/measure-overhead.ts [rounds]
// A measurement, not a test (timing claims do not belong in tests); it belongs in bench/ once
// the runner has a bench of its own.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { BubblewrapExecutor } from './bubblewrap-executor.ts';
import type { Executor } from './executor.ts';
import { ProcessExecutor } from './process-executor.ts';
import { makeWorkspacesRoot, silentLog } from './sandbox-test-support.ts';
import { createWorkspace } from './workspace.ts';

const rounds = Number(process.argv[2] ?? 50);
const env = { PATH: '/usr/bin:/bin' };

async function main(): Promise<void> {
  const bubblewrap = await BubblewrapExecutor.create({ log: silentLog });
  const plain = await ProcessExecutor.create({ log: silentLog });
  const root = await makeWorkspacesRoot();
  const workspace = await createWorkspace(root, bubblewrap.user);
  const phase =
    (executor: Executor, commands: string[], network = false) =>
    async () => {
      const result = await executor.run({ commands, workspace, env, network });
      if (!result.succeeded) throw new Error(`phase failed: ${JSON.stringify(result)}`);
    };
  const many = Array.from({ length: rounds }, () => '/bin/true');
  try {
    const rows: [string, number][] = [
      ['spawn /bin/true', await timeEach(() => spawnAndWait('/bin/true', []))],
      [
        'spawn bash -c /bin/true',
        await timeEach(() => spawnAndWait('/bin/bash', ['-c', '/bin/true'])),
      ],
      ['process executor, phase [/bin/true]', await timeEach(phase(plain, ['/bin/true']))],
      [
        'bubblewrap, phase [/bin/true], no network',
        await timeEach(phase(bubblewrap, ['/bin/true'])),
      ],
      [
        'bubblewrap, phase [/bin/true], network',
        await timeEach(phase(bubblewrap, ['/bin/true'], true)),
      ],
    ];
    const perCommand = (await timeOnce(phase(bubblewrap, many))) / rounds;
    for (const [name, ms] of rows) console.log(`${name.padEnd(44)} ${ms.toFixed(2)} ms median`);
    console.log(
      `${`bubblewrap, ${rounds} × /bin/true in one phase`.padEnd(44)} ${perCommand.toFixed(2)} ms per command`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The median of `rounds` runs, after five to warm up. */
async function timeEach(run: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) times.push(await timeOnce(run));
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? NaN;
}

async function timeOnce(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

function spawnAndWait(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.once('error', reject);
    child.once('close', () => resolve());
  });
}

await main();
