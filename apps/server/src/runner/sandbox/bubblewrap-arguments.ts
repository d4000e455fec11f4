type Env = Readonly<Record<string, string>>;

/** Everything the bubblewrap command line depends on, resolved by the executor. */
export interface SandboxLayout {
  readonly network: boolean;
  readonly workspace: string;
  readonly writable: readonly string[];
  readonly readOnlyBinds: readonly { readonly source: string; readonly target: string }[];
  /** Host paths that exist now, covered by an empty tmpfs (folders) or /dev/null (files). */
  readonly hidden: readonly { readonly path: string; readonly folder: boolean }[];
  /** A folder under /run that `/etc/resolv.conf` points into (systemd-resolved). */
  readonly resolverFolder: string | undefined;
  readonly disableUserns: boolean;
  /** Where bubblewrap writes `{"child-pid": …}`: the sandbox's PID 1, seen from the host. */
  readonly infoFd: number;
  /** Where bubblewrap reads `environmentArguments`. */
  readonly environmentFd: number;
}

/**
 * The bubblewrap argv for one phase. Order matters: bubblewrap mounts in argument order, so
 * the tmpfs layers (/tmp, /run, hidden paths) come before the binds placed on top of them.
 */
export function bubblewrapArguments(
  layout: SandboxLayout,
  shell: { readonly path: string; readonly args: readonly string[] },
): string[] {
  const args = ['--unshare-all'];
  if (layout.network) args.push('--share-net');
  if (layout.disableUserns) args.push('--unshare-user', '--disable-userns');
  // --new-session: no TIOCSTI into a terminal the server may have; --die-with-parent: a dead
  // server leaves no build behind.
  args.push('--die-with-parent', '--new-session');
  args.push('--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  // /run holds the host's Unix sockets (databases, D-Bus, docker.sock), which a socket file in a
  // read-only mount still accepts, with or without the network.
  args.push('--tmpfs', '/run');
  if (layout.network && layout.resolverFolder !== undefined) {
    args.push('--ro-bind', layout.resolverFolder, layout.resolverFolder);
  }
  for (const { path, folder } of layout.hidden) {
    args.push(...(folder ? ['--tmpfs', path] : ['--ro-bind', '/dev/null', path]));
  }
  for (const { source, target } of layout.readOnlyBinds) args.push('--ro-bind', source, target);
  for (const path of [layout.workspace, ...layout.writable]) args.push('--bind', path, path);
  args.push('--args', String(layout.environmentFd));
  args.push('--chdir', '/', '--info-fd', String(layout.infoFd));
  return [...args, '--', shell.path, ...shell.args];
}

/**
 * The build's environment as `--setenv` options for bubblewrap's `--args` descriptor.
 * bubblewrap itself starts with an empty environment and sets these only for the shell: a
 * build's LD_PRELOAD would otherwise run code in bubblewrap, outside the sandbox. And a
 * descriptor rather than argv, because any host user can read argv (`ps`), and these values
 * include the build's secrets.
 */
export function environmentArguments(env: Env): Buffer {
  const parts = Object.entries(env).flatMap(([name, value]) => ['--setenv', name, value]);
  return Buffer.from(parts.map((part) => `${part}\0`).join(''));
}
