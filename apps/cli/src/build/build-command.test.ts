import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const bin = resolve(import.meta.dirname, '../../bin/slipway.js');

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `slipway build` in `cwd`; `onStdout` may act on the output as it comes. */
function slipwayBuild(
  cwd: string,
  args: readonly string[],
  options: {
    env?: Record<string, string>;
    onStdout?: (text: string, kill: (s: NodeJS.Signals) => void) => void;
  } = {},
): Promise<Ran> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, 'build', ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onStdout?.(stdout, (signal) => child.kill(signal));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

const junit =
  '<testsuite name="s"><testcase classname="calc" name="adds"/>' +
  '<testcase classname="calc" name="divides"><failure message="division by zero"/></testcase>' +
  '<testcase classname="calc" name="later"><skipped/></testcase></testsuite>';

describe('slipway build', () => {
  let dir: string;
  let out: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-cli-src-'));
    out = await mkdtemp(join(tmpdir(), 'slipway-cli-out-'));
    await chmod(dir, 0o755);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  const write = (files: Record<string, string>) =>
    Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)));

  it('runs the buildspec, writes the artifacts and prints the test summary (exit 0)', async () => {
    await write({
      'buildspec.yml': `version: 0.2
env:
  variables: {GREETING: from-buildspec}
phases:
  build:
    commands:
      - echo "greeting=$GREETING"
      - mkdir -p dist && echo built > dist/app.txt
      - printf '%s' '${junit}' > junit.xml
artifacts:
  files: ['dist/*']
  name: app-$GREETING
  secondary-artifacts:
    sources:
      files: [buildspec.yml]
reports:
  unit:
    files: [junit.xml]
`,
    });
    const ran = await slipwayBuild(dir, ['--artifacts', out, '--env', 'GREETING=from-cli']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('greeting=from-cli');
    expect(ran.stdout).toMatch(/\[Container\] \S+ \S+ Running command echo "greeting=\$GREETING"/);
    expect(ran.stdout).toMatch(/==> BUILD SUCCEEDED \(\d+\.\d\d s\)/);
    expect(ran.stdout).toContain('unit: FAILED — 3 total, 1 passed, 1 failed, 1 skipped');
    expect(ran.stdout).toContain('✗ calc.divides: division by zero');
    expect(ran.stdout).toContain('Build SUCCEEDED');
    // Not a terminal: no colours.
    expect(ran.stdout).not.toContain('\x1b[');
    expect((await readdir(out)).sort()).toEqual(['app-from-cli.zip', 'sources.zip']);
    const zip = await readFile(join(out, 'app-from-cli.zip'));
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    expect(zip.includes(Buffer.from('dist/app.txt'))).toBe(true);
  });

  it('exits 1 when a command fails, naming it as CodeBuild does', async () => {
    await write({ 'buildspec.yml': "version: 0.2\nphases:\n  build:\n    commands: ['exit 7']\n" });
    const ran = await slipwayBuild(dir, []);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain(
      'Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: exit 7. Reason: exit status 7',
    );
    expect(ran.stdout).toContain('Build FAILED in BUILD');
  });

  it('exits 1 with a YAML_FILE_ERROR naming the line for a malformed buildspec', async () => {
    await write({ 'buildspec.yml': 'version: 0.2\nphases:\n  build:\n    commands: {a: b}\n' });
    const ran = await slipwayBuild(dir, []);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/YAML_FILE_ERROR Message: line 4: phases\.build\.commands/);
  });

  it('exits 2 on a usage error without running anything', async () => {
    const ran = await slipwayBuild(dir, ['--network', 'maybe']);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('--network maybe: expected host or none');
  });

  it('exits 3 when the build runs past --timeout', async () => {
    await write({ 'buildspec.yml': 'version: 0.2\nphases:\n  build:\n    commands: [sleep 60]\n' });
    const ran = await slipwayBuild(dir, ['--timeout', '0.03']);
    expect(ran.code).toBe(3);
    expect(ran.stdout).toContain('Build TIMED_OUT in BUILD');
  });

  it('stops the build on Ctrl-C: STOPPED, sandbox killed, exit 130', async () => {
    const name = `s${randomBytes(4).toString('hex')}`;
    await write({
      'buildspec.yml': `version: 0.2\nphases:\n  build:\n    commands: ['cp /bin/sleep ./${name} && echo started && ./${name} 60']\n`,
    });
    let sent = false;
    const ran = await slipwayBuild(dir, [], {
      onStdout: (text, kill) => {
        if (!sent && text.includes('\nstarted\n')) {
          sent = true;
          kill('SIGINT');
        }
      },
    });
    expect(ran.code).toBe(130);
    expect(ran.stdout).toContain('Build STOPPED in BUILD');
    const left = [];
    for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
      const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
      if (comm.trim() === name) left.push(pid);
    }
    expect(left).toEqual([]);
  });

  it('writes plain files with --packaging NONE and reads another buildspec with --buildspec', async () => {
    await write({
      'ci.yml':
        "version: 0.2\nphases:\n  build:\n    commands: ['echo hi > hello.txt']\nartifacts:\n  files: [hello.txt]\n",
    });
    const ran = await slipwayBuild(dir, [
      '--buildspec',
      'ci.yml',
      '--packaging',
      'NONE',
      '--artifacts',
      out,
    ]);
    expect(ran.code).toBe(0);
    expect(await readFile(join(out, 'artifacts', 'hello.txt'), 'utf8')).toBe('hi\n');
  });

  it('warns when asked to run without the sandbox', async () => {
    await write({ 'buildspec.yml': "version: 0.2\nphases:\n  build:\n    commands: ['true']\n" });
    const ran = await slipwayBuild(dir, ['--isolation', 'process']);
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('WITHOUT isolation');
  });
});
