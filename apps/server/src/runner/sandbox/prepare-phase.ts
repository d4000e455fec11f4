import { isAbsolute } from 'node:path';
import { AppError, type FieldProblem } from '@slipway/core';
import type { PhaseSpec } from './executor.ts';
import { getTool, resolveShell } from './host-tools.ts';
import { isCarriedVariable } from './phase-report.ts';
import { shellArguments } from './phase-script.ts';

/** A checked phase: the shell to start and its full argv after the shell's path. */
export interface PreparedPhase {
  readonly spec: PhaseSpec;
  readonly shell: string;
  readonly shellArgs: readonly string[];
}

/** Linux refuses longer single arguments (MAX_ARG_STRLEN, with the terminating NUL). */
const maxArgumentBytes = 128 * 1024 - 1;

/**
 * Checks what the kernel would otherwise refuse with an unhelpful error (NUL bytes, an argument
 * over 128 KiB, `=` in a variable name) and picks the shell.
 */
export async function preparePhase(spec: PhaseSpec): Promise<PreparedPhase> {
  const problems: FieldProblem[] = [];
  spec.commands.forEach((command, i) => {
    const problem = argumentProblem(command);
    if (problem !== undefined) problems.push({ path: `commands[${i}]`, message: problem });
  });
  for (const [name, value] of Object.entries(spec.env)) {
    if (!/^[^=\0]+$/.test(name)) {
      problems.push({ path: `env.${name}`, message: 'names cannot be empty or hold "=" or NUL' });
    }
    const problem = argumentProblem(`${name}=${value}`);
    if (problem !== undefined) problems.push({ path: `env.${name}`, message: problem });
  }
  for (const [name, value] of Object.entries(spec.variables ?? {})) {
    // A name reaches `eval`: only plain identifiers the shell does not own itself.
    if (!isCarriedVariable(name) || Object.hasOwn(spec.env, name)) {
      problems.push({ path: `variables.${name}`, message: 'is not a variable a build can carry' });
    }
    const problem = argumentProblem(`${name}=${value}`);
    if (problem !== undefined) problems.push({ path: `variables.${name}`, message: problem });
  }
  const cwd = spec.cwd ?? spec.workspace;
  for (const [path, value] of [
    ['workspace', spec.workspace],
    ['cwd', cwd],
  ] as const) {
    if (!isAbsolute(value) || value.includes('\0')) {
      problems.push({ path, message: 'must be an absolute path' });
    }
  }
  if (problems.length > 0) throw AppError.invalidInput('The phase cannot run', problems);
  const shell = await resolveShell(spec.shell);
  const envBinary = await getTool('env', 'it records the shell state (coreutils)');
  const variables = spec.variables ?? {};
  const shellArgs = shellArguments({ shell, envBinary, cwd, variables, commands: spec.commands });
  return { spec, shell, shellArgs };
}

function argumentProblem(value: string): string | undefined {
  if (value.includes('\0')) return 'cannot hold a NUL byte';
  const bytes = Buffer.byteLength(value);
  if (bytes > maxArgumentBytes) return `is ${bytes} bytes; the limit is ${maxArgumentBytes}`;
  return undefined;
}
