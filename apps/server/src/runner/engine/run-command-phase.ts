/**
 * One buildspec phase (install, pre_build, build, post_build) in the sandbox, with CodeBuild's
 * semantics (build-spec-ref "phases", aws-compat §4.1): in buildspec 0.2 every command runs in
 * one shell session, the first failing command ends the commands, and `finally` runs after
 * them even when one failed; the phase fails if any command in either block fails. Buildspec
 * 0.1 runs each command in a fresh shell of its own.
 *
 * `finally` shares the shell with the commands when they all succeeded. After a failure it runs
 * in a second shell that starts from the state the failed one left (directory and variables):
 * the sandbox ends a phase's shell at its first failing command. Background processes started
 * by the commands are therefore gone when a `finally` runs after a failure.
 */
import type { BuildspecVersion, PhaseSpec as BuildspecPhase } from '@slipway/buildspec';
import type { Executor, OutputStream, PhaseResult, ShellState } from '../sandbox/executor.ts';
import type { PendingLine } from './build-log.ts';
import type { BuildLog } from './build-log.ts';
import { emptyContext, type PhaseContext } from './build-model.ts';
import type { CommandMarkers } from './command-markers.ts';
import { LineSplitter } from './line-splitter.ts';
import { commandErrorContext, exitReason } from './log-format.ts';

export interface CommandPhaseInput {
  readonly phase: BuildspecPhase | undefined;
  readonly version: BuildspecVersion;
  readonly shell: string | undefined;
  /** Where the previous phase left the shell. */
  readonly state: ShellState;
  readonly workspace: string;
  readonly network: boolean;
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
  readonly executor: Executor;
  readonly log: BuildLog;
  readonly markers: CommandMarkers;
  readonly maxLineBytes?: number;
}

export interface CommandPhaseOutcome {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'STOPPED' | 'FAULT';
  readonly context: PhaseContext;
  /** Where the next phase starts. */
  readonly state: ShellState;
}

/** Guessed: CodeBuild's context for these is not documented. */
export const timedOutContext: PhaseContext = {
  statusCode: 'BUILD_TIMED_OUT',
  message: 'Build has timed out. ',
};
export const stoppedContext: PhaseContext = {
  statusCode: 'BUILD_STOPPED',
  message: 'Build was stopped. ',
};

interface BatchResult {
  readonly result: PhaseResult;
  /** Index (in commands ++ finally) of the command that failed. */
  readonly failed: number | undefined;
}

export async function runCommandPhase(input: CommandPhaseInput): Promise<CommandPhaseOutcome> {
  const commands = input.phase?.commands ?? [];
  const finallyCommands = input.phase?.finally ?? [];
  const all = [...commands, ...finallyCommands];
  if (all.length === 0) return { status: 'SUCCEEDED', context: emptyContext, state: input.state };

  let state = input.state;
  let firstFailure: { index: number; reason: string } | undefined;
  const steps =
    input.version === '0.1' ? all.map((_, i) => [i, i + 1] as const) : [[0, all.length] as const];
  for (let s = 0; s < steps.length; s++) {
    const [from, to] = steps[s] ?? [0, 0];
    // After a failure only `finally` commands are left to run.
    const start = firstFailure === undefined ? from : Math.max(from, commands.length);
    if (start >= to) continue;
    const batch = await runBatch(input, all, start, to, state);
    if (input.version === '0.2') state = batch.result.state ?? state;
    if (batch.result.timedOut) return { status: 'TIMED_OUT', context: timedOutContext, state };
    if (batch.result.stopped) return { status: 'STOPPED', context: stoppedContext, state };
    if (batch.failed === undefined) continue;
    const command = all[batch.failed] ?? '';
    const reason = failureReason(batch.result);
    await input.log.agent(`Command did not exit successfully ${command} ${reason}`);
    firstFailure ??= { index: batch.failed, reason };
    // A failing main command (0.2): the finally block runs next in a shell of its own.
    if (input.version === '0.2' && batch.failed < commands.length && finallyCommands.length > 0) {
      steps.push([commands.length, all.length]);
    }
  }
  if (firstFailure === undefined) return { status: 'SUCCEEDED', context: emptyContext, state };
  const context = commandErrorContext(all[firstFailure.index] ?? '', firstFailure.reason);
  return { status: 'FAILED', context, state };
}

function failureReason(result: PhaseResult): string {
  if (result.failedCommand !== undefined) return exitReason(result.failedCommand.exitCode);
  return exitReason(result.exitCode);
}

/** Runs commands [from, to) of `all` in one shell, logging `Running command` for each. */
async function runBatch(
  input: CommandPhaseInput,
  all: readonly string[],
  from: number,
  to: number,
  state: ShellState,
): Promise<BatchResult> {
  const output = new PhaseOutput(input, all);
  const variables = Object.fromEntries(
    Object.entries(state.variables).filter(([name]) => !Object.hasOwn(state.env, name)),
  );
  const result = await input.executor.run(
    {
      commands: input.markers.interleave(all.slice(from, to), from),
      shell: input.shell,
      workspace: input.workspace,
      cwd: state.cwd,
      env: state.env,
      variables,
      network: input.network,
      deadline: input.deadline,
    },
    { signal: input.signal, onOutput: (stream, chunk) => output.chunk(stream, chunk) },
  );
  await output.end();
  if (result.succeeded || result.timedOut || result.stopped) return { result, failed: undefined };
  // Positions alternate marker, command; a marker never fails, so map either to its command.
  const position = result.failedCommand?.index;
  const failed =
    position === undefined ? (output.current ?? from) : from + Math.floor(position / 2);
  return { result, failed };
}

/** Turns a phase's output into log lines, with `Running command` where the markers are. */
class PhaseOutput {
  readonly #input: CommandPhaseInput;
  readonly #all: readonly string[];
  readonly #splitters: Record<OutputStream, LineSplitter>;
  /** The command running now, by its index in `all`. */
  current: number | undefined;

  constructor(input: CommandPhaseInput, all: readonly string[]) {
    this.#input = input;
    this.#all = all;
    this.#splitters = {
      stdout: new LineSplitter(input.maxLineBytes),
      stderr: new LineSplitter(input.maxLineBytes),
    };
  }

  chunk(stream: OutputStream, chunk: Buffer): Promise<void> {
    return this.#input.log.write(this.#lines(stream, this.#splitters[stream].push(chunk)));
  }

  async end(): Promise<void> {
    const lines = [
      ...this.#lines('stdout', this.#splitters.stdout.end()),
      ...this.#lines('stderr', this.#splitters.stderr.end()),
    ];
    // CodeBuild leaves an empty line after each command's output.
    if (this.current !== undefined) lines.push({ source: 'stdout', text: '' });
    await this.#input.log.write(lines);
  }

  #lines(stream: OutputStream, texts: readonly string[]): PendingLine[] {
    const out: PendingLine[] = [];
    const markers = this.#input.markers;
    for (const text of texts) {
      if (stream === 'stderr') {
        if (!markers.isOwnTrace(text)) out.push({ source: 'stderr', text });
        continue;
      }
      const marker = markers.parse(text);
      if (marker === undefined) {
        out.push({ source: 'stdout', text });
        continue;
      }
      if (marker.before !== '') out.push({ source: 'stdout', text: marker.before });
      if (this.current !== undefined) out.push({ source: 'stdout', text: '' });
      this.current = marker.index;
      out.push({ source: 'agent', text: `Running command ${this.#all[marker.index] ?? ''}` });
    }
    return out;
  }
}
