import type { ShellState } from './executor.ts';

/** What the shell said on its report descriptor (see `phaseScript`). */
export interface PhaseReport {
  /** It got into its starting directory. */
  readonly ready: boolean;
  /** How many commands returned 0. */
  readonly completed: number;
  /** A command that returned non-zero, with its status. */
  readonly failed: { readonly index: number; readonly exitCode: number } | undefined;
  /** A command that began and never returned (the shell exited or was killed inside it). */
  readonly unfinished: number | undefined;
  readonly state: ShellState | undefined;
}

/** Variables the shell maintains or starts with itself; carrying them would repeat or clash. */
const shellVariables = new Set(
  (
    '_ SHLVL PWD OLDPWD IFS PS1 PS2 PS3 PS4 OPTIND OPTARG OPTERR PPID LINENO RANDOM SRANDOM ' +
    'SECONDS EPOCHSECONDS EPOCHREALTIME UID EUID GROUPS HOSTNAME HOSTTYPE MACHTYPE OSTYPE SHELL ' +
    'SHELLOPTS BASHOPTS BASHPID FUNCNAME PIPESTATUS DIRSTACK COLUMNS LINES HISTCMD HISTFILE ' +
    'HISTFILESIZE HISTSIZE MAILCHECK COMP_WORDBREAKS TERM'
  ).split(' '),
);

/** Whether a name is the build's own, not the shell's or this script's. */
export function isCarriedVariable(name: string): boolean {
  return (
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) &&
    !shellVariables.has(name) &&
    !name.startsWith('BASH') &&
    !name.startsWith('__slipway_')
  );
}

const stateMarker = Buffer.from('D\n');

/**
 * Reads a report. The build can write to it too (it is its own shell), so this only ever
 * describes the build to itself: malformed lines are skipped and a partial state is dropped.
 */
export function parsePhaseReport(report: Buffer): PhaseReport {
  const dump = findStateMarker(report);
  const text = report.subarray(0, dump ?? report.length).toString('utf8');
  let ready = false;
  let completed = 0;
  let failed: PhaseReport['failed'];
  let unfinished: number | undefined;
  for (const line of text.split('\n')) {
    const [kind, index, status] = line.split(' ');
    if (kind === 'R' && line === 'R') ready = true;
    else if (kind === 'S' && isCount(index)) unfinished = Number(index);
    else if (kind === 'E' && isCount(index) && isCount(status)) {
      if (Number(index) === unfinished) unfinished = undefined;
      if (status === '0') completed += 1;
      else failed ??= { index: Number(index), exitCode: Number(status) };
    }
  }
  const state = dump === undefined ? undefined : parseState(report.subarray(dump + 2));
  return { ready, completed, failed, unfinished, state };
}

/** `env -0` entries, an empty entry, the shell's variables, an empty entry, `pwd` and `\n`. */
function parseState(dump: Buffer): ShellState | undefined {
  const env = readEntries(dump, 0);
  const all = env && readEntries(dump, env.next);
  const cwd = all && dump.subarray(all.next);
  if (!env || !all || !cwd || cwd.length < 2 || cwd.at(-1) !== 0x0a) return undefined;
  const exported = Object.fromEntries(
    env.entries.filter(([name]) => name !== '_' && name !== 'SHLVL' && name !== 'PWD'),
  );
  const variables = Object.fromEntries(
    all.entries.filter(([name]) => !env.names.has(name) && isCarriedVariable(name)),
  );
  return { cwd: cwd.subarray(0, -1).toString('utf8'), env: exported, variables };
}

/** NUL-terminated `NAME=value` entries from `at` up to an empty one; undefined if cut short. */
function readEntries(dump: Buffer, at: number) {
  const entries: [string, string][] = [];
  for (;;) {
    const end = dump.indexOf(0, at);
    if (end === -1) return undefined;
    if (end === at) break;
    const entry = dump.subarray(at, end).toString('utf8');
    const equals = entry.indexOf('=');
    if (equals > 0) entries.push([entry.slice(0, equals), entry.slice(equals + 1)]);
    at = end + 1;
  }
  return { entries, names: new Set(entries.map(([name]) => name)), next: at + 1 };
}

/** The `D` line: at the start, or after a newline (never inside an `S`/`E` line). */
function findStateMarker(report: Buffer): number | undefined {
  if (report.subarray(0, 2).equals(stateMarker)) return 0;
  const at = report.indexOf('\nD\n');
  return at === -1 ? undefined : at + 1;
}

function isCount(value: string | undefined): value is string {
  return value !== undefined && /^(0|[1-9][0-9]{0,8})$/.test(value);
}
