import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { AppError } from '@slipway/core';
import type { PhaseResult, RunOptions } from './executor.ts';
import { OutputPump } from './output-pump.ts';
import { parsePhaseReport, type PhaseReport } from './phase-report.ts';
import { reportFd } from './phase-script.ts';

/** A started phase, as an executor hands it over. */
export interface LaunchedPhase {
  /** stdio: ignored stdin, stdout, stderr, and the report on fd 3. */
  readonly child: ChildProcess;
  /** Kills every process of the phase; called on stop and timeout, only while it runs. */
  killTree(): void;
  /** Called once the shell has exited: ends whatever it left behind, if the executor can. */
  afterExit(): void;
  /**
   * Set when processes that escaped `killTree` may hold the output open: after the exit, stop
   * reading once it has been idle this long. Unset means the output is sure to close.
   */
  readonly outputIdleMs?: number;
}

/** Stay under setTimeout's limit (about 24.8 days); a later deadline re-arms the timer. */
const maxTimerMs = 2 ** 31 - 1;
/** Far more than any shell state; beyond it the report is cut and the state dropped. */
const maxReportBytes = 16 * 1024 * 1024;

/**
 * Runs a launched phase to its end: streams its output, enforces the deadline and the abort
 * signal, and reads its report. `launch` is not called when the phase is over before it began.
 */
export async function supervisePhase(options: {
  readonly launch: () => LaunchedPhase;
  readonly commandCount: number;
  readonly deadline: number | undefined;
  readonly run: RunOptions;
}): Promise<PhaseResult> {
  const began = performance.now();
  const { signal, onOutput } = options.run;
  const { deadline } = options;
  if (signal?.aborted || (deadline !== undefined && deadline <= Date.now())) {
    return notRun(signal?.aborted === true, began);
  }

  let phase: LaunchedPhase;
  try {
    phase = options.launch();
  } catch (error) {
    // Node throws some spawn failures (E2BIG) and emits others (ENOENT) as 'error'.
    throw startError(error);
  }
  const { child } = phase;
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let exited = false;
  let timedOut = false;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  const end = (reason: 'timeout' | 'stop' | 'sink') => {
    if (exited) return;
    if (!timedOut && !stopped) {
      if (reason === 'timeout') timedOut = true;
      if (reason === 'stop') stopped = true;
    }
    phase.killTree();
  };

  const disarm = arm(deadline, signal, end);
  const report = collectReport(child.stdio[reportFd] as Readable | null);
  const output = new OutputPump(onOutput, (error) => {
    failure ??= { error };
    end('sink');
  });
  output.pump(child.stdout, 'stdout');
  output.pump(child.stderr, 'stderr');

  try {
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve, reject) => {
        child.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal }));
        child.once('error', reject);
      },
    ).catch((error: unknown) => {
      throw startError(error);
    });
    exited = true;
    phase.afterExit();
    await output.drained(closed, phase.outputIdleMs, [child.stdout, child.stderr, report.stream]);
    if (failure !== undefined) throw failure.error;

    const flags = { timedOut, stopped, commandCount: options.commandCount };
    return phaseResult(parsePhaseReport(report.bytes()), exit, flags, began);
  } finally {
    disarm();
  }
}

/** Ends the phase at the deadline or on abort; returns what undoes both. */
function arm(
  deadline: number | undefined,
  signal: AbortSignal | undefined,
  end: (reason: 'timeout' | 'stop') => void,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  const wait = () => {
    if (deadline === undefined) return;
    const left = deadline - Date.now();
    if (left <= 0) end('timeout');
    else timer = setTimeout(wait, Math.min(left, maxTimerMs));
  };
  wait();
  const onAbort = () => end('stop');
  signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
}

function phaseResult(
  parsed: PhaseReport,
  exit: { code: number | null; signal: NodeJS.Signals | null },
  flags: { timedOut: boolean; stopped: boolean; commandCount: number },
  began: number,
): PhaseResult {
  const killed = flags.timedOut || flags.stopped;
  const failedCommand =
    parsed.failed ??
    (parsed.unfinished === undefined
      ? undefined
      : { index: parsed.unfinished, exitCode: killed ? null : exit.code });
  return {
    succeeded:
      !killed &&
      exit.code === 0 &&
      parsed.ready &&
      parsed.completed === flags.commandCount &&
      failedCommand === undefined,
    exitCode: exit.code,
    signal: exit.signal,
    timedOut: flags.timedOut,
    stopped: flags.stopped,
    started: parsed.ready,
    completedCommands: parsed.completed,
    failedCommand,
    state: parsed.state,
    durationMs: performance.now() - began,
  };
}

function collectReport(stream: Readable | null): { stream: Readable | null; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  let size = 0;
  stream?.on('data', (chunk: Buffer) => {
    if (size + chunk.length <= maxReportBytes) chunks.push(chunk);
    size += chunk.length;
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

function startError(error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'E2BIG') {
    return AppError.invalidInput('The commands and environment are too large to start a shell');
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('Unavailable', `The build sandbox could not start: ${message}`, {
    retryable: false,
    cause: error,
  });
}

function notRun(stopped: boolean, began: number): PhaseResult {
  return {
    succeeded: false,
    exitCode: null,
    signal: null,
    timedOut: !stopped,
    stopped,
    started: false,
    completedCommands: 0,
    failedCommand: undefined,
    state: undefined,
    durationMs: performance.now() - began,
  };
}
