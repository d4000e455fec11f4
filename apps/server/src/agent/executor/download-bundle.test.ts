import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  aSpec,
  anExecutor,
  makeHostileArchive,
  makeTempDir,
  makeTgz,
} from '../agent-test-fixtures.ts';

const appspec = 'version: 0.0\nos: linux\n';

describe('DownloadBundle', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let bundle: string;
  const root = () => join(tmp.path, 'root');
  const download = (spec = aSpec()) =>
    anExecutor(root(), { bundle: () => bundle }).execute({ commandName: 'DownloadBundle', spec });

  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.remove());

  it('downloads a tgz into the deployment directory and unpacks it', async () => {
    bundle = makeTgz(tmp.path, { 'appspec.yml': appspec, 'app/index.html': 'hello' });
    const outcome = await download();
    expect(outcome.status).toBe('Succeeded');
    const dir = join(root(), 'dg-0000-1111', 'd-TEST00001');
    expect(existsSync(join(dir, 'bundle.tgz'))).toBe(true);
    expect(readFileSync(join(dir, 'deployment-archive', 'app', 'index.html'), 'utf8')).toBe(
      'hello',
    );
  });

  it('unpacks a zip with the repository extractor and accepts appspec.yaml', async () => {
    bundle = makeHostileArchive(join(tmp.path, 'b.zip'), 'zip', [
      ['appspec.yaml', appspec],
      ['a.txt', 'A'],
    ]);
    const spec = aSpec({
      Revision: { RevisionType: 'S3', S3Revision: { Bucket: 'b', Key: 'k', BundleType: 'zip' } },
    });
    const outcome = await download(spec);
    expect(outcome.status).toBe('Succeeded');
    const archive = join(root(), 'dg-0000-1111', 'd-TEST00001', 'deployment-archive');
    expect(readFileSync(join(archive, 'a.txt'), 'utf8')).toBe('A');
  });

  it('refuses a zip whose entry climbs out of the bundle (zip-slip)', async () => {
    bundle = makeHostileArchive(join(tmp.path, 'b.zip'), 'zip', [
      ['appspec.yml', appspec],
      ['../../escaped.txt', 'pwned'],
    ]);
    const spec = aSpec({
      Revision: { RevisionType: 'S3', S3Revision: { Bucket: 'b', Key: 'k', BundleType: 'zip' } },
    });
    const outcome = await download(spec);
    expect(outcome.status).toBe('Failed');
    expect(outcome.diagnostics.error_code).toBe(5);
    // yauzl (strictFileNames) refuses it before the extractor's own check would.
    expect(outcome.diagnostics.message).toMatch(/invalid relative path|outside its root/);
    expect(existsSync(join(root(), 'dg-0000-1111', 'escaped.txt'))).toBe(false);
  });

  it.each([
    ['a name with ..', [['../escaped.txt', 'pwned']] as const, /outside its root/],
    ['an absolute name', [['/tmp/escaped.txt', 'pwned']] as const, /outside its root/],
    ['a symlink out', [['link', '->', '/etc']] as const, /points outside/],
    ['a relative symlink out', [['sub/link', '->', '../../x']] as const, /points outside/],
  ])('refuses a tar with %s', async (_, entries, message) => {
    bundle = makeHostileArchive(join(tmp.path, 'b.tar'), 'tar', [
      ['appspec.yml', appspec],
      ...entries,
    ]);
    const spec = aSpec({
      Revision: { RevisionType: 'S3', S3Revision: { Bucket: 'b', Key: 'k', BundleType: 'tar' } },
    });
    const outcome = await download(spec);
    expect(outcome.status).toBe('Failed');
    expect(outcome.diagnostics.message).toMatch(message);
    expect(existsSync(join(root(), 'dg-0000-1111', 'd-TEST00001', 'escaped.txt'))).toBe(false);
  });

  it('fails clearly when the bundle has no appspec', async () => {
    bundle = makeTgz(tmp.path, { 'index.html': 'x' });
    const outcome = await download();
    expect(outcome).toMatchObject({ status: 'Failed', diagnostics: { error_code: 5 } });
    expect(outcome.diagnostics.message).toMatch(/appspec\.yml file was not found/);
  });

  it('fails with every problem of an invalid appspec', async () => {
    bundle = makeTgz(tmp.path, { 'appspec.yml': 'version: 1.0\nos: windows\nhook: {}\n' });
    const outcome = await download();
    expect(outcome.status).toBe('Failed');
    expect(outcome.diagnostics.message).toMatch(/^The appspec\.yml is invalid: /);
    expect(outcome.diagnostics.message).toMatch(/version/);
    expect(outcome.diagnostics.message).toMatch(/windows/);
    expect(outcome.diagnostics.message).toMatch(/hook/);
  });

  it('keeps the 5 most recent deployments of a group', async () => {
    bundle = makeTgz(tmp.path, { 'appspec.yml': appspec });
    for (let i = 1; i <= 7; i++) {
      expect((await download(aSpec({ DeploymentId: `d-${i}` }))).status).toBe('Succeeded');
    }
    const group = join(root(), 'dg-0000-1111');
    const kept = [1, 2, 3, 4, 5, 6, 7].filter((i) => existsSync(join(group, `d-${i}`)));
    expect(kept).toEqual([3, 4, 5, 6, 7]);
  });
});
