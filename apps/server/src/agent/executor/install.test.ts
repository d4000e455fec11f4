import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  aSpec,
  anExecutor,
  deploy,
  makeTempDir,
  makeTgz,
  script,
  type RevisionFile,
} from '../agent-test-fixtures.ts';

describe('Install', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let bundle: string;
  let dest: string;
  const root = () => join(tmp.path, 'root');
  const executor = () =>
    anExecutor(root(), { bundle: () => bundle, env: { RECORD: join(tmp.path, 'record') } });
  const revision = (appspecLines: string[], files: Record<string, RevisionFile> = {}) => {
    const appspec = ['version: 0.0', 'os: linux', ...appspecLines].join('\n');
    bundle = makeTgz(tmp.path, { 'appspec.yml': appspec, ...files });
  };
  const copyAll = () => ['files:', '  - source: /', `    destination: ${dest}/app`];

  beforeEach(() => {
    tmp = makeTempDir();
    dest = join(tmp.path, 'dest');
  });
  afterEach(() => tmp.remove());

  it('copies a directory source into its destination and a file source into its directory', async () => {
    revision(
      [
        'files:',
        '  - source: site',
        `    destination: ${dest}/www`,
        '  - source: config/app.conf',
        `    destination: ${dest}/etc`,
      ],
      { 'site/index.html': 'home', 'site/css/a.css': 'css', 'config/app.conf': 'conf' },
    );
    const outcomes = await deploy(executor(), aSpec());
    expect(outcomes.every((o) => o.status === 'Succeeded')).toBe(true);
    expect(readFileSync(join(dest, 'www/index.html'), 'utf8')).toBe('home');
    expect(readFileSync(join(dest, 'www/css/a.css'), 'utf8')).toBe('css');
    expect(readFileSync(join(dest, 'etc/app.conf'), 'utf8')).toBe('conf');
  });

  describe('a file already at the destination', () => {
    beforeEach(() => {
      mkdirSync(join(dest, 'app'), { recursive: true });
      writeFileSync(join(dest, 'app/a.txt'), 'old');
    });

    it('fails the Install by default (DISALLOW)', async () => {
      revision(copyAll(), { 'a.txt': 'new' });
      const outcomes = await deploy(executor(), aSpec());
      expect(outcomes.at(-1)).toMatchObject({
        commandName: 'Install',
        status: 'Failed',
        diagnostics: {
          error_code: 5,
          message: `The deployment failed because a specified file already exists at this location: ${dest}/app/a.txt`,
        },
      });
      expect(readFileSync(join(dest, 'app/a.txt'), 'utf8')).toBe('old');
    });

    it("is replaced with the appspec's OVERWRITE, which beats the deployment's RETAIN", async () => {
      revision([...copyAll(), 'file_exists_behavior: OVERWRITE'], { 'a.txt': 'new' });
      const spec = aSpec({
        AgentActionOverrides: { AgentOverrides: { FileExistsBehavior: 'RETAIN' } },
      });
      const outcomes = await deploy(executor(), spec);
      expect(outcomes.at(-1)?.status).toBe('Succeeded');
      expect(readFileSync(join(dest, 'app/a.txt'), 'utf8')).toBe('new');
    });

    it("is kept with the deployment's RETAIN", async () => {
      revision(copyAll(), { 'a.txt': 'new', 'b.txt': 'b' });
      const spec = aSpec({
        AgentActionOverrides: { AgentOverrides: { FileExistsBehavior: 'RETAIN' } },
      });
      const outcomes = await deploy(executor(), spec);
      expect(outcomes.at(-1)?.status).toBe('Succeeded');
      expect(readFileSync(join(dest, 'app/a.txt'), 'utf8')).toBe('old');
      expect(readFileSync(join(dest, 'app/b.txt'), 'utf8')).toBe('b');
    });
  });

  it('never writes through a symlink under the destination', async () => {
    const outside = join(tmp.path, 'outside');
    mkdirSync(outside);
    mkdirSync(join(dest, 'app'), { recursive: true });
    symlinkSync(outside, join(dest, 'app/sub'));
    revision([...copyAll(), 'file_exists_behavior: OVERWRITE'], { 'sub/x.txt': 'x' });
    const outcomes = await deploy(executor(), aSpec());
    expect(outcomes.at(-1)).toMatchObject({ commandName: 'Install', status: 'Failed' });
    expect(outcomes.at(-1)?.diagnostics.message).toMatch(/symlink is in the way/);
    expect(existsSync(join(outside, 'x.txt'))).toBe(false);
  });

  it('applies permissions modes to the installed files', async () => {
    revision(
      [
        ...copyAll(),
        'permissions:',
        `  - object: ${dest}/app`,
        '    pattern: "*.sh"',
        '    mode: 750',
        '    type: [file]',
      ],
      { 'run.sh': 'x', 'a.txt': 'a' },
    );
    const outcomes = await deploy(executor(), aSpec());
    expect(outcomes.at(-1)?.status).toBe('Succeeded');
    expect(statSync(join(dest, 'app/run.sh')).mode & 0o777).toBe(0o750);
    expect(statSync(join(dest, 'app/a.txt')).mode & 0o777).toBe(0o644);
  });

  it('refuses ACLs with a clear message', async () => {
    revision([...copyAll(), 'permissions:', `  - object: ${dest}/app`, '    acls: ["u:bob:rw"]'], {
      'a.txt': 'a',
    });
    const outcomes = await deploy(executor(), aSpec());
    expect(outcomes.at(-1)?.diagnostics.message).toMatch(/acls are not supported/);
  });

  it("removes the previous Install's files before the next, and records the new ones", async () => {
    revision(copyAll(), { 'a.txt': 'v1', 'old/b.txt': 'b' });
    expect((await deploy(executor(), aSpec({ DeploymentId: 'd-1' }))).at(-1)?.status).toBe(
      'Succeeded',
    );
    expect(existsSync(join(dest, 'app/old/b.txt'))).toBe(true);
    revision(copyAll(), { 'a.txt': 'v2' });
    expect((await deploy(executor(), aSpec({ DeploymentId: 'd-2' }))).at(-1)?.status).toBe(
      'Succeeded',
    );
    expect(readFileSync(join(dest, 'app/a.txt'), 'utf8')).toBe('v2');
    expect(existsSync(join(dest, 'app/old'))).toBe(false);
    const cleanup = readFileSync(
      join(root(), 'deployment-instructions/dg-0000-1111-cleanup'),
      'utf8',
    );
    expect(cleanup).toContain(`${dest}/app/a.txt\n`);
    expect(cleanup).not.toContain('old');
    const last = readFileSync(
      join(root(), 'deployment-instructions/dg-0000-1111-last-successful-install'),
      'utf8',
    );
    expect(last.trim()).toBe(join(root(), 'dg-0000-1111/d-2/deployment-archive'));
  });

  it("runs ApplicationStop from the last successful install's appspec, and none the first time", async () => {
    const stopHook = (version: string) => ({
      appspec: ['hooks:', '  ApplicationStop:', '    - location: stop.sh'],
      files: { 'stop.sh': script(`echo stop-${version} >> "$RECORD"`) },
    });
    const v1 = stopHook('v1');
    revision(v1.appspec, v1.files);
    const first = await deploy(executor(), aSpec({ DeploymentId: 'd-1' }));
    expect(first.map((o) => o.status)).toEqual(Array(7).fill('Succeeded'));
    expect(existsSync(join(tmp.path, 'record'))).toBe(false);
    const v2 = stopHook('v2');
    revision(v2.appspec, v2.files);
    await deploy(executor(), aSpec({ DeploymentId: 'd-2' }));
    expect(readFileSync(join(tmp.path, 'record'), 'utf8')).toBe('stop-v1\n');
  });
});
