import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  aSpec,
  anExecutor,
  deploy,
  makeTempDir,
  script,
  writeTree,
  type RevisionFile,
} from '../agent-test-fixtures.ts';

describe('hook events', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  const root = () => join(tmp.path, 'root');
  const record = () => join(tmp.path, 'record');
  const executor = () => anExecutor(root(), { env: { RECORD: record() } });
  const archive = () => join(root(), 'dg-0000-1111/d-TEST00001/deployment-archive');
  /** The revision as DownloadBundle leaves it: an unpacked archive. */
  const revision = (hooks: string[], files: Record<string, RevisionFile>) =>
    writeTree(archive(), {
      'appspec.yml': ['version: 0.0', 'os: linux', 'hooks:', ...hooks].join('\n'),
      ...files,
    });
  const run = (commandName: string, spec = aSpec()) => executor().execute({ commandName, spec });

  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.remove());

  it('runs every event in order with the hook environment, in the archive directory', async () => {
    const events = ['BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService'];
    revision(
      events.flatMap((event) => [`  ${event}:`, '    - location: scripts/record.sh']),
      {
        'scripts/record.sh': script(
          'echo "$LIFECYCLE_EVENT $DEPLOYMENT_ID $APPLICATION_NAME $DEPLOYMENT_GROUP_NAME ' +
            '$DEPLOYMENT_GROUP_ID $BUNDLE_BUCKET $BUNDLE_KEY $BUNDLE_ETAG $(pwd)" >> "$RECORD"',
        ),
      },
    );
    const outcomes = await deploy(executor(), aSpec(), [
      'ApplicationStop',
      'BeforeInstall',
      'Install',
      'AfterInstall',
      'ApplicationStart',
      'ValidateService',
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill('Succeeded'));
    expect(readFileSync(record(), 'utf8').trim().split('\n')).toEqual(
      events.map(
        (event) =>
          `${event} d-TEST00001 web prod dg-0000-1111 revisions web/app.tgz etag1 ${archive()}`,
      ),
    );
  });

  it('succeeds at once for an event without scripts', async () => {
    revision(['  BeforeInstall:', '    - location: a.sh'], { 'a.sh': script('exit 1') });
    expect((await run('AfterInstall')).status).toBe('Succeeded');
  });

  it('reports a missing script as ScriptMissing', async () => {
    revision(['  BeforeInstall:', '    - location: scripts/nope.sh'], {});
    expect((await run('BeforeInstall')).diagnostics).toMatchObject({
      error_code: 1,
      script_name: 'scripts/nope.sh',
      message: `Script does not exist at specified location: ${archive()}/scripts/nope.sh`,
    });
  });

  it('makes a script without the executable bit executable, as the CodeDeploy agent does', async () => {
    revision(['  BeforeInstall:', '    - location: plain.sh'], {
      'plain.sh': { text: '#!/bin/sh\necho hi\n', mode: 0o644 },
    });
    expect(await run('BeforeInstall')).toMatchObject({ status: 'Succeeded' });
  });

  it('reports a non-zero exit as ScriptFailed with its output, and stops the event there', async () => {
    revision(['  BeforeInstall:', '    - location: fail.sh', '    - location: after.sh'], {
      'fail.sh': script('echo starting\necho broken >&2\nexit 3'),
      'after.sh': script('echo ran >> "$RECORD"'),
    });
    const outcome = await run('BeforeInstall');
    expect(outcome).toMatchObject({
      status: 'Failed',
      diagnostics: {
        error_code: 4,
        script_name: 'fail.sh',
        message: 'Script at specified location: fail.sh failed with exit code 3',
        log: '[stdout]starting\n[stderr]broken\n',
      },
    });
    expect(existsSync(record())).toBe(false);
    const log = readFileSync(
      join(root(), 'deployment-logs/codedeploy-agent-deployments.log'),
      'utf8',
    );
    expect(log).toMatch(/\] \[d-TEST00001\]\[stdout\]starting\n/);
    expect(log).toMatch(/\] \[d-TEST00001\]\[stderr\]broken\n/);
  });

  it('kills the whole process group of a script that times out', async () => {
    const pidFile = join(tmp.path, 'child.pid');
    revision(['  ValidateService:', '    - location: slow.sh', '      timeout: 1'], {
      'slow.sh': script(`sleep 300 &\necho $! > ${pidFile}\nwait`),
    });
    const outcome = await run('ValidateService');
    expect(outcome.diagnostics).toMatchObject({
      error_code: 3,
      message: 'Script at specified location: slow.sh failed to complete in 1 seconds',
    });
    const child = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => isAlive(child), { timeout: 5_000 }).toBe(false);
  });

  it('truncates a hook printing 50 MB instead of failing', async () => {
    revision(['  ApplicationStart:', '    - location: loud.sh'], {
      'loud.sh': script(
        "yes 'a line of output from a very chatty hook' | head -c 50000000\necho done",
      ),
    });
    const outcome = await run('ApplicationStart');
    expect(outcome.status).toBe('Succeeded');
    expect(outcome.diagnostics.log.length).toBeLessThanOrEqual(4096);
    // head cuts the last line short, so `done` ends it.
    expect(outcome.diagnostics.log).toMatch(/done\n$/);
    const logFile = join(root(), 'deployment-logs/codedeploy-agent-deployments.log');
    expect(statSync(logFile).size).toBeLessThan(40 * 1024 * 1024);
    expect(readFileSync(logFile, 'utf8').match(/\[output truncated\]/g)).toHaveLength(1);
  });

  it('lets ApplicationStop fail when ignoreApplicationStopFailures is set', async () => {
    writeTree(join(tmp.path, 'last'), {
      'appspec.yml':
        'version: 0.0\nos: linux\nhooks:\n  ApplicationStop:\n    - location: stop.sh\n',
      'stop.sh': script('exit 9'),
    });
    writeTree(join(root(), 'deployment-instructions'), {
      'dg-0000-1111-last-successful-install': join(tmp.path, 'last'),
    });
    expect((await run('ApplicationStop')).diagnostics.error_code).toBe(4);
    const ignored = await run('ApplicationStop', aSpec({ IgnoreApplicationStopFailures: true }));
    expect(ignored.status).toBe('Succeeded');
    expect(ignored.diagnostics.message).toMatch(/failed with exit code 9 \(ignored/);
  });

  it('runs a script as its runas user', async ({ skip }) => {
    if (process.getuid?.() !== 0) skip('needs root');
    revision(['  AfterInstall:', '    - location: who.sh', '      runas: nobody'], {
      'who.sh': script('id -un'),
    });
    // mkdtemp's directory is private; nobody must reach the script.
    chmodSync(tmp.path, 0o755);
    const outcome = await run('AfterInstall');
    expect(outcome.diagnostics).toMatchObject({ error_code: 0, log: '[stdout]nobody\n' });
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie no init reaped is dead too.
  return !/\) Z /.test(readStat(pid));
}

function readStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return ') Z ';
  }
}
