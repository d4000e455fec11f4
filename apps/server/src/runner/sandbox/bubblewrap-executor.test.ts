import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BubblewrapExecutor } from './bubblewrap-executor.ts';
import type { PhaseSpec } from './executor.ts';
import { describeExecutorContract } from './executor-contract.ts';
import { findTool } from './host-tools.ts';
import {
  basePath,
  hostAncestorNamed,
  hostProcess,
  hostProcessesNamed,
  makeWorkspacesRoot,
  runCollect,
  silentLog,
  uniqueProcessName,
  waitUntil,
} from './sandbox-test-support.ts';
import { createWorkspace } from './workspace.ts';

const bwrapMissing = (await findTool('bwrap')) === undefined;
const title = bwrapMissing
  ? 'BubblewrapExecutor (SKIPPED: bwrap is not installed; apt-get install bubblewrap)'
  : 'BubblewrapExecutor';
const isRoot = process.getuid?.() === 0;
const repository = resolve(import.meta.dirname, '../../../../..');

describe.skipIf(bwrapMissing)(title, () => {
  describeExecutorContract('BubblewrapExecutor', () =>
    BubblewrapExecutor.create({ log: silentLog }),
  );

  let executor: BubblewrapExecutor;
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
    executor = await BubblewrapExecutor.create({ log: silentLog });
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

  it.skipIf(!isRoot)(
    'runs a root server’s builds as nobody, without groups or capabilities',
    async () => {
      const { stdout } = await runCollect(
        executor,
        phase({ commands: ['id -u; id -G; grep CapEff /proc/self/status'] }),
      );
      expect(stdout).toBe('65534\n65534\nCapEff:\t0000000000000000\n');
    },
  );

  it('keeps the build’s environment out of bubblewrap’s own environment and argv', async () => {
    const name = uniqueProcessName();
    const controller = new AbortController();
    // bubblewrap runs outside the sandbox: a build's LD_PRELOAD must not load into it, and its
    // secrets must not show in `ps` for every host user.
    const env = { PATH: basePath, LD_PRELOAD: `${workspace}/evil.so`, SECRET: 's3cr3t' };
    const running = executor.run(
      phase({ env, commands: [`cp /bin/sleep ./${name}`, `./${name} 1000`] }),
      { signal: controller.signal },
    );
    await waitUntil(async () => (await hostProcessesNamed(name)).length === 1);
    const [sleeper] = await hostProcessesNamed(name);
    const init = sleeper && (await hostAncestorNamed(sleeper.pid, 'bwrap'));
    const outer = init && (await hostProcess(init))?.parent;
    const read = (pid: number | undefined, file: string) =>
      readFile(`/proc/${pid}/${file}`, 'utf8');
    try {
      expect(await read(outer, 'environ')).toBe('');
      expect(await read(outer, 'cmdline')).not.toContain('s3cr3t');
      expect(await read(init, 'cmdline')).not.toContain('s3cr3t');
      expect(await read(sleeper?.pid, 'environ')).toContain('SECRET=s3cr3t');
    } finally {
      controller.abort();
      await running;
    }
  });

  it('cannot write outside its workspace', async () => {
    const name = uniqueProcessName();
    const targets = ['/etc', '/root', '/usr/bin', '/var/tmp', repository];
    const { stdout } = await runCollect(
      executor,
      phase({
        commands: [
          `for dir in ${targets.join(' ')}; do touch "$dir/${name}" 2>/dev/null && echo "wrote $dir"; done; true`,
          `touch ./${name} && echo "workspace ok"`,
        ],
      }),
    );
    expect(stdout).toBe('workspace ok\n');
    for (const dir of targets) expect(existsSync(join(dir, name))).toBe(false);
    expect(existsSync(join(workspace, name))).toBe(true);
  });

  it('writes to a writable dir it is given and only reads a read-only bind', async () => {
    const cache = await createWorkspace(root, executor.user);
    try {
      const { stdout } = await runCollect(
        executor,
        phase({
          writable: [cache],
          readOnlyBinds: [{ source: cache, target: '/tmp/seen' }],
          commands: [
            `echo cached > ${cache}/entry && cat /tmp/seen/entry`,
            'touch /tmp/seen/other 2>/dev/null || echo read-only',
          ],
        }),
      );
      expect(stdout).toBe('cached\nread-only\n');
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });

  it('has its own /tmp', async () => {
    const name = uniqueProcessName();
    await writeFile(join(tmpdir(), `${name}-host`), 'host');
    try {
      const { stdout } = await runCollect(
        executor,
        phase({ commands: [`echo inside > /tmp/${name}`, `ls -A /tmp | grep -c ${name} || true`] }),
      );
      // Only its own file: the host's /tmp is not there.
      expect(stdout).toBe('1\n');
      expect(existsSync(join('/tmp', name))).toBe(false);
    } finally {
      await rm(join(tmpdir(), `${name}-host`), { force: true });
    }
  });

  it('sees only its own processes', async () => {
    const { stdout } = await runCollect(
      executor,
      phase({
        commands: [
          `kill -0 ${process.pid} 2>/dev/null && echo "sees the host"; true`,
          'cat /proc/[0-9]*/comm',
        ],
      }),
    );
    // bubblewrap's init and the shell (the glob is expanded before `cat` starts).
    expect(stdout.trim().split('\n').sort()).toEqual(['bash', 'bwrap']);
  });

  it.skipIf(!isRoot)('cannot read files only root may read', async () => {
    const dir = await mkdtemp('/var/tmp/slipway-secret-');
    try {
      await chmod(dir, 0o755);
      await writeFile(join(dir, 'secret'), 'top secret', { mode: 0o600 });
      const { stdout, stderr } = await runCollect(
        executor,
        phase({ commands: [`cat ${dir}/secret /etc/shadow || echo refused`] }),
      );
      expect(stdout).toBe('refused\n');
      expect(stderr).toMatch(/secret: Permission denied[\s\S]*shadow: Permission denied/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('hides the host’s /run and the paths it is told to hide', async () => {
    // Under /var/tmp, not /tmp: the sandbox's own /tmp already hides everything in the host's.
    const secret = await mkdtemp('/var/tmp/slipway-data-');
    const workspaces = await mkdtemp('/var/tmp/slipway-workspaces-');
    try {
      await chmod(secret, 0o755);
      await writeFile(join(secret, 'keys'), 'AKIA…', { mode: 0o644 });
      await chmod(workspaces, 0o711);
      const own = await createWorkspace(workspaces, executor.user);
      const sibling = await createWorkspace(workspaces, executor.user);
      const look = phase({
        workspace: own,
        commands: [
          `echo "[$(ls -A ${secret})][$(ls -A /run)]"`,
          `[ -e ${sibling} ] && echo "sees ${sibling}"; true`,
          'touch own && echo "own workspace ok"',
        ],
      });
      const plain = await runCollect(executor, look);
      expect(plain.stdout).toBe(`[keys][]\nsees ${sibling}\nown workspace ok\n`);

      const hiding = await BubblewrapExecutor.create({
        log: silentLog,
        hide: [secret, workspaces],
      });
      const hidden = await runCollect(hiding, look);
      expect(hidden.stdout).toBe('[][]\nown workspace ok\n');
    } finally {
      await rm(secret, { recursive: true, force: true });
      await rm(workspaces, { recursive: true, force: true });
    }
  });

  describe('network', () => {
    let server: Server;
    let port: number;
    let received: string[];
    beforeAll(async () => {
      server = createServer((socket) => {
        socket.on('data', (data) => received.push(data.toString()));
      });
      await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
      port = (server.address() as { port: number }).port;
    });
    beforeEach(() => {
      received = [];
    });
    afterAll(async () => {
      await new Promise((resolvePromise) => server.close(resolvePromise));
    });
    const connect = () => `exec 5<>/dev/tcp/127.0.0.1/${port} && echo hello >&5 && echo connected`;

    it('cannot reach the host’s loopback when the network is off', async () => {
      const { result, stdout } = await runCollect(
        executor,
        phase({ network: false, commands: [connect()] }),
      );
      expect(result.failedCommand?.index).toBe(0);
      expect(stdout).toBe('');
      expect(received).toEqual([]);
    });

    it('can when the project enables it', async () => {
      const { result, stdout } = await runCollect(
        executor,
        phase({ network: true, commands: [connect(), 'sleep 0.1'] }),
      );
      expect(result.succeeded).toBe(true);
      expect(stdout).toBe('connected\n');
      await waitUntil(() => received.join('') === 'hello\n');
    });
  });

  describe('killing', () => {
    const daemons = (name: string) => [
      `cp /bin/sleep ./${name}`,
      `setsid ./${name} 1000 & nohup ./${name} 1001 >/dev/null 2>&1 & (setsid ./${name} 1002 &); ./${name} 1003`,
    ];
    /** Waits for all four, and returns the sandbox's PID 1 (bubblewrap's init) as the host sees it. */
    const started = async (name: string) => {
      await waitUntil(async () => (await hostProcessesNamed(name)).length === 4);
      const [first] = await hostProcessesNamed(name);
      const init = first && (await hostAncestorNamed(first.pid, 'bwrap'));
      expect(init).toBeDefined();
      return init ?? 0;
    };

    it('stop kills daemonized grandchildren and leaves no zombie', async () => {
      const name = uniqueProcessName();
      const controller = new AbortController();
      const running = executor.run(phase({ commands: daemons(name) }), {
        signal: controller.signal,
      });
      const init = await started(name);
      controller.abort();
      expect(await running).toMatchObject({ stopped: true, failedCommand: { index: 1 } });
      expect(await hostProcessesNamed(name)).toEqual([]);
      // Reaped by the outer bubblewrap, not left to the host's PID 1 as a zombie.
      expect(await hostProcess(init)).toBeUndefined();
    });

    it('a timeout kills daemonized grandchildren and leaves no zombie', async () => {
      const name = uniqueProcessName();
      const running = executor.run(
        phase({ deadline: Date.now() + 2_000, commands: daemons(name) }),
      );
      const init = await started(name);
      expect(await running).toMatchObject({ timedOut: true, failedCommand: { index: 1 } });
      expect(await hostProcessesNamed(name)).toEqual([]);
      expect(await hostProcess(init)).toBeUndefined();
    });

    it('the end of the phase kills what it left running', async () => {
      const name = uniqueProcessName();
      const { result } = await runCollect(
        executor,
        phase({ commands: [`cp /bin/sleep ./${name}`, `setsid ./${name} 1000 &`, 'echo done'] }),
      );
      expect(result.succeeded).toBe(true);
      expect(await hostProcessesNamed(name)).toEqual([]);
    });
  });

  it('streams 100 MB of output in small chunks', async () => {
    let bytes = 0;
    let largest = 0;
    const result = await executor.run(phase({ commands: ['head -c 100000000 /dev/zero'] }), {
      onOutput: (_stream, chunk) => {
        bytes += chunk.length;
        largest = Math.max(largest, chunk.length);
      },
    });
    expect(result.succeeded).toBe(true);
    expect(bytes).toBe(100_000_000);
    expect(largest).toBeLessThanOrEqual(1024 * 1024);
  });

  it('holds the build back while the output sink is busy', async () => {
    let inFlight = 0;
    let most = 0;
    const result = await executor.run(phase({ commands: ['head -c 5000000 /dev/zero'] }), {
      onOutput: async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolvePromise) => setTimeout(resolvePromise, 1));
        inFlight -= 1;
      },
    });
    expect(result.succeeded).toBe(true);
    expect(most).toBe(1);
  });

  it('refuses a writable dir the sandbox user cannot reach', async () => {
    const hidden = await mkdtemp(join(tmpdir(), 'slipway-closed-'));
    const inner = join(hidden, 'cache');
    await mkdir(inner);
    try {
      if (executor.user.switchTo) {
        await chown(inner, executor.user.uid, executor.user.gid);
        await expect(executor.run(phase({ writable: [inner], commands: [] }))).rejects.toThrow(
          /not searchable/,
        );
      }
    } finally {
      await rm(hidden, { recursive: true, force: true });
    }
  });
});
