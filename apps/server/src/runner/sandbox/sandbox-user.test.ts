import { describe, expect, it } from 'vitest';
import { resolveSandboxUser } from './sandbox-user.ts';

const isRoot = process.getuid?.() === 0;

describe('resolveSandboxUser', () => {
  it.skipIf(!isRoot)('switches a root server to nobody by default', async () => {
    expect(await resolveSandboxUser()).toEqual({ uid: 65534, gid: 65534, switchTo: true });
    expect(await resolveSandboxUser(65534)).toEqual({ uid: 65534, gid: 65534, switchTo: true });
  });

  it.skipIf(!isRoot)(
    'takes a uid without an account, and refuses root or unknown names',
    async () => {
      expect(await resolveSandboxUser(43210)).toEqual({ uid: 43210, gid: 43210, switchTo: true });
      await expect(resolveSandboxUser('root')).rejects.toThrow(/must not be root/);
      await expect(resolveSandboxUser(0)).rejects.toThrow(/must not be root/);
      await expect(resolveSandboxUser('no-such-user-x')).rejects.toThrow(/does not exist/);
      await expect(resolveSandboxUser('-n; rm')).rejects.toThrow(/does not exist/);
    },
  );

  it.skipIf(isRoot)('runs builds as the server’s own user when it is not root', async () => {
    const user = await resolveSandboxUser('nobody');
    expect(user).toEqual({ uid: process.getuid?.(), gid: process.getgid?.(), switchTo: false });
  });
});
