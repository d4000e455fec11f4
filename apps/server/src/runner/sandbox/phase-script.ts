/** The file descriptor on which the shell reports progress and its final state to the host. */
export const reportFd = 3;

/**
 * The script a phase's shell runs (POSIX sh, so bash and dash both take it). Nothing of the
 * build is part of it: the directory, the variables to restore and the commands arrive as
 * positional parameters, and each command runs through `eval` at the top level (no loop or
 * function a `break` or `return` could leave), so `cd`, `export` and plain variables hold for the
 * next command. On fd 3, closed while a command runs, it reports
 *   `R` once in its directory, `S <i>` before and `E <i> <status>` after command i, and
 *   `D` followed by `env -0`, an empty entry, `NAME=value` NUL-terminated for every set
 *   variable (exported or not; arrays left out), an empty entry and `pwd` — when the commands
 *   are done or one returned non-zero (the phase then exits with that status).
 * A command that exits the shell leaves an `S` without its `E`.
 */
export function phaseScript(commandCount: number, envBinary: string): string {
  const lines = [
    // Restores OLDPWD after the first `cd`, so the environment is exactly what was given.
    '__slipway_o=${OLDPWD-}',
    'cd -- "$1" || exit 1',
    'if [ -n "$__slipway_o" ]; then OLDPWD=$__slipway_o; else unset OLDPWD; fi',
    // $2 variables as NAME=value (names checked by the host), then the commands.
    '__slipway_k=$2',
    'shift 2',
    'while [ "$__slipway_k" -gt 0 ]; do',
    '  eval "${1%%=*}=\\${1#*=}"',
    '  shift',
    '  __slipway_k=$((__slipway_k - 1))',
    'done',
    '__slipway_i=0',
    'for __slipway_c do',
    '  eval "__slipway_c$__slipway_i=\\$__slipway_c"',
    '  __slipway_i=$((__slipway_i + 1))',
    'done',
    'set --',
    'unset __slipway_c __slipway_i __slipway_k __slipway_o',
    '__slipway_dump() {',
    `  printf 'D\\n' >&3; ${quote(envBinary)} -0 >&3; printf '\\0' >&3`,
    // `set` lists every variable; its quoting differs by shell, so only names are taken from it.
    '  set | while IFS= read -r __slipway_l; do',
    '    case $__slipway_l in [A-Za-z_]*=*) ;; *) continue ;; esac',
    '    __slipway_n=${__slipway_l%%=*}',
    '    case $__slipway_n in *[!A-Za-z0-9_]*) continue ;; esac',
    // bash prints arrays as NAME=(…), which a scalar never starts with.
    '    case ${__slipway_l#*=} in \\(*) continue ;; esac',
    `    eval "[ -n \\"\\\${$__slipway_n+x}\\" ] && printf '%s=%s\\\\0' \\"\\$__slipway_n\\" \\"\\\${$__slipway_n}\\""`,
    '  done >&3',
    "  printf '\\0' >&3; pwd >&3",
    '}',
    "printf 'R\\n' >&3",
  ];
  for (let i = 0; i < commandCount; i++) {
    lines.push(
      `printf 'S ${i}\\n' >&3; eval "$__slipway_c${i}" 3>&-; __slipway_s=$?; ` +
        `printf 'E ${i} %s\\n' "$__slipway_s" >&3; ` +
        `[ "$__slipway_s" -eq 0 ] || { __slipway_dump; exit "$__slipway_s"; }`,
    );
  }
  lines.push('__slipway_dump');
  return `${lines.join('\n')}\n`;
}

/** The shell's argv after its path: the script, `$0`, the directory, variables, commands. */
export function shellArguments(options: {
  readonly shell: string;
  readonly envBinary: string;
  readonly cwd: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly commands: readonly string[];
}): string[] {
  const name = options.shell.slice(options.shell.lastIndexOf('/') + 1);
  const script = phaseScript(options.commands.length, options.envBinary);
  const variables = Object.entries(options.variables).map(([key, value]) => `${key}=${value}`);
  return [
    '-c',
    script,
    name,
    options.cwd,
    String(variables.length),
    ...variables,
    ...options.commands,
  ];
}

function quote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
