import { describe, expect, it } from 'vitest';
import {
  bubblewrapArguments,
  environmentArguments,
  type SandboxLayout,
} from './bubblewrap-arguments.ts';

const layout = (overrides: Partial<SandboxLayout> = {}): SandboxLayout => ({
  network: false,
  workspace: '/tmp/ws/build-1',
  writable: [],
  readOnlyBinds: [],
  hidden: [],
  resolverFolder: undefined,
  disableUserns: true,
  infoFd: 4,
  environmentFd: 5,
  ...overrides,
});

const shell = (overrides: Partial<Parameters<typeof bubblewrapArguments>[1]> = {}) => ({
  path: '/bin/sh',
  args: ['-c', 'x'],
  ...overrides,
});

/** The position of `option value…` in argv, or -1. */
function indexOf(args: readonly string[], ...sequence: string[]): number {
  return args.findIndex((_, i) => sequence.every((part, j) => args[i + j] === part));
}

describe('bubblewrapArguments', () => {
  it('unshares everything and shares the network only when enabled', () => {
    const closed = bubblewrapArguments(layout(), shell());
    expect(closed).toContain('--unshare-all');
    expect(closed).not.toContain('--share-net');
    expect(bubblewrapArguments(layout({ network: true }), shell())).toContain('--share-net');
  });

  it('mounts the tmpfs layers before the binds placed on them', () => {
    const args = bubblewrapArguments(
      layout({
        hidden: [
          { path: '/var/lib/slipway', folder: true },
          { path: '/etc/slipway.env', folder: false },
        ],
        writable: ['/var/lib/slipway/cache/p1'],
        readOnlyBinds: [{ source: '/opt/tools', target: '/tmp/tools' }],
      }),
      shell(),
    );
    const rootBind = indexOf(args, '--ro-bind', '/', '/');
    const tmp = indexOf(args, '--tmpfs', '/tmp');
    const hidden = indexOf(args, '--tmpfs', '/var/lib/slipway');
    const hiddenFile = indexOf(args, '--ro-bind', '/dev/null', '/etc/slipway.env');
    const tools = indexOf(args, '--ro-bind', '/opt/tools', '/tmp/tools');
    const workspace = indexOf(args, '--bind', '/tmp/ws/build-1', '/tmp/ws/build-1');
    const cache = indexOf(args, '--bind', '/var/lib/slipway/cache/p1', '/var/lib/slipway/cache/p1');
    expect(rootBind).toBeGreaterThanOrEqual(0);
    expect([rootBind, tmp, hidden, hiddenFile, tools, workspace, cache]).toEqual(
      [rootBind, tmp, hidden, hiddenFile, tools, workspace, cache].toSorted((a, b) => a - b),
    );
    expect(Math.min(tmp, hidden, hiddenFile, tools, workspace, cache)).toBeGreaterThan(rootBind);
  });

  it('re-exposes the resolver folder under /run only with the network', () => {
    const resolverFolder = '/run/systemd/resolve';
    const bind = ['--ro-bind', resolverFolder, resolverFolder];
    const closed = bubblewrapArguments(layout({ resolverFolder }), shell());
    const open = bubblewrapArguments(layout({ resolverFolder, network: true }), shell());
    expect(indexOf(closed, ...bind)).toBe(-1);
    expect(indexOf(open, ...bind)).toBeGreaterThan(indexOf(open, '--tmpfs', '/run'));
  });

  it('keeps the environment off the command line, where any host user could read it', () => {
    const env = { SECRET: 's3cr3t', EMPTY: '' };
    expect(bubblewrapArguments(layout(), shell()).join(' ')).not.toContain('s3cr3t');
    expect(indexOf(bubblewrapArguments(layout(), shell()), '--args', '5')).toBeGreaterThan(0);
    expect(environmentArguments(env).toString()).toBe(
      '--setenv\0SECRET\0s3cr3t\0--setenv\0EMPTY\0\0',
    );
  });

  it('ends with the shell and its arguments after --', () => {
    const args = bubblewrapArguments(
      layout(),
      shell({ path: '/usr/bin/bash', args: ['-c', 'script', 'bash'] }),
    );
    expect(args.slice(-5)).toEqual(['--', '/usr/bin/bash', '-c', 'script', 'bash']);
    expect(indexOf(args, '--info-fd', '4')).toBeGreaterThan(0);
    expect(indexOf(args, '--unshare-user', '--disable-userns')).toBeGreaterThan(0);
  });
});
