import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SharedFsync } from './shared-fsync.ts';

describe('SharedFsync', () => {
  let dir: string;
  let syncer: SharedFsync;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-shared-fsync-'));
    await writeFile(join(dir, 'db-wal'), 'frames');
    syncer = new SharedFsync(join(dir, 'db-wal'), { dataOnly: true });
  });

  afterEach(async () => {
    await syncer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives callers that arrive during a sync one shared sync after it', async () => {
    const first = syncer.sync();
    const during = Array.from({ length: 10 }, () => syncer.sync());
    await Promise.all([first, ...during]);
    expect(syncer.syncs).toBe(2);
    await syncer.sync();
    expect(syncer.syncs).toBe(3);
  });

  it('syncs a directory', async () => {
    const directory = new SharedFsync(dir);
    await Promise.all([directory.sync(), directory.sync()]);
    expect(directory.syncs).toBe(2);
    await directory.close();
  });

  it('fails the callers when the file cannot be synced, and recovers once it can', async () => {
    const missing = new SharedFsync(join(dir, 'no-such-wal'));
    await expect(missing.sync()).rejects.toThrow(/ENOENT/);
    await writeFile(join(dir, 'no-such-wal'), 'frames');
    await missing.sync();
    expect(missing.syncs).toBe(1);
    await missing.close();
  });
});
