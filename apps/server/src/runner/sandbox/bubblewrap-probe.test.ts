import { describe, expect, it } from 'vitest';
import { explainProbeFailure, type UsernsSettings } from './bubblewrap-probe.ts';

const user = { uid: 65534, gid: 65534, switchTo: true };
const settings = (overrides: Partial<UsernsSettings>): UsernsSettings => ({
  maxUserNamespaces: '15000',
  unprivilegedUsernsClone: undefined,
  apparmorRestrictUnprivilegedUserns: undefined,
  ...overrides,
});
const refused = 'bwrap: No permissions to create new namespace\n';

describe('explainProbeFailure', () => {
  it('names the sysctl that refuses user namespaces', () => {
    expect(explainProbeFailure(refused, user, settings({ maxUserNamespaces: '0' }))).toMatch(
      /uid 65534 \(bwrap: No permissions.*\): .*user\.max_user_namespaces = 0/,
    );
    expect(explainProbeFailure(refused, user, settings({ unprivilegedUsernsClone: '0' }))).toMatch(
      /kernel\.unprivileged_userns_clone = 0/,
    );
    expect(
      explainProbeFailure(refused, user, settings({ apparmorRestrictUnprivilegedUserns: '1' })),
    ).toMatch(/AppArmor/);
  });

  it('points at seccomp and the process executor when the sysctls allow it', () => {
    expect(explainProbeFailure(refused, user, settings({}))).toMatch(/seccomp.*process executor/);
  });
});
