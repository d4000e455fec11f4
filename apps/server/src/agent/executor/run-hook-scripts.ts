import { chmod, realpath, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { HookScript, LifecycleEventName } from '@slipway/appspec';
import { ScriptErrorCode } from '@slipway/protocol';
import { CommandFailure } from './command-failure.ts';
import type { DeploymentLog } from './deployment-log.ts';
import { runScript, type ScriptResult } from './run-script.ts';
import { ScriptOutput } from './script-output.ts';
import { currentUser, findUser, isRoot } from './system-users.ts';

export interface HookScriptsInput {
  readonly eventName: LifecycleEventName;
  readonly scripts: readonly HookScript[];
  /** The extracted bundle the scripts belong to: their cwd and the root of their locations. */
  readonly archiveDir: string;
  /** The agent's environment with the hook variables (§5.4) on top. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly deploymentId: string;
  readonly log: DeploymentLog;
  /** Each kept output line, `[stdout]text`, as it is produced. */
  readonly onOutput: (line: string) => void;
  readonly signal?: AbortSignal | undefined;
  /** Output kept of the event's scripts (default 16 MiB). */
  readonly outputCapBytes?: number;
}

/**
 * Runs an event's scripts in order, as the stock agent's HookExecutor does. Resolves with the
 * end of their output; throws a CommandFailure with the stock agent's error code and message
 * for the first script that is missing, not executable, fails or times out.
 */
export async function runHookScripts(input: HookScriptsInput): Promise<{ log: string }> {
  const output = new ScriptOutput({
    ...(input.outputCapBytes === undefined ? {} : { capBytes: input.outputCapBytes }),
    onLine: (line) => {
      input.log.write(input.deploymentId, line);
      input.onOutput(line);
    },
  });
  if (input.scripts.length > 0) {
    input.log.write(input.deploymentId, `LifecycleEvent - ${input.eventName}`);
  }
  for (const script of input.scripts) {
    input.log.write(input.deploymentId, `Script - ${script.location}`);
    try {
      await runOne(script, input, output);
    } catch (error) {
      if (!(error instanceof CommandFailure)) throw error;
      throw new CommandFailure({
        errorCode: error.errorCode,
        scriptName: script.location,
        message: error.message,
        log: output.tail(),
      });
    }
  }
  return { log: output.tail() };
}

async function runOne(
  script: HookScript,
  input: HookScriptsInput,
  output: ScriptOutput,
): Promise<void> {
  const path = await checkScript(script, input.archiveDir);
  const runAs = await resolveRunAs(script);
  const result = await runScript({
    path,
    cwd: input.archiveDir,
    env: input.env,
    timeoutMs: script.timeoutSeconds * 1000,
    ...(runAs === undefined ? {} : { runAs }),
    output,
    signal: input.signal,
  });
  const failure = failureOf(result, script, input.signal);
  if (failure !== undefined) throw new CommandFailure({ ...failure, scriptName: script.location });
}

async function checkScript(script: HookScript, archiveDir: string): Promise<string> {
  const path = join(archiveDir, script.bundlePath);
  const missing = () =>
    new CommandFailure({
      errorCode: ScriptErrorCode.ScriptMissing,
      scriptName: script.location,
      message: `Script does not exist at specified location: ${path}`,
    });
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw missing();
  }
  const inside = relative(await realpath(archiveDir), real);
  if (inside.startsWith('..') || inside.startsWith('/')) throw missing();
  const info = await stat(real);
  if (!info.isFile()) throw missing();
  if ((info.mode & 0o111) === 0) {
    // As the CodeDeploy agent does ("…is not executable. Trying to make it executable."):
    // bundles zipped on Windows or without modes lose the bit.
    const made = await chmod(real, info.mode | 0o111).then(
      () => true,
      () => false,
    );
    if (made) return path;
    throw new CommandFailure({
      errorCode: ScriptErrorCode.ScriptNotExecutable,
      scriptName: script.location,
      message: `Script at specified location: ${script.location} is not executable`,
    });
  }
  return path;
}

async function resolveRunAs(
  script: HookScript,
): Promise<{ user: string; gid: number; home: string } | undefined> {
  const me = currentUser();
  if (script.runAs === undefined || script.runAs === me.name) return undefined;
  const fail = (why: string) =>
    new CommandFailure({
      errorCode: ScriptErrorCode.UnknownError,
      scriptName: script.location,
      message: `Script at specified location: ${script.location} cannot run as user ${script.runAs}: ${why}`,
    });
  if (!isRoot()) throw fail(`the agent runs as ${me.name}, not root, so it cannot switch users`);
  const user = await findUser(script.runAs);
  if (user === undefined) throw fail('no such user on this host');
  return { user: user.name, gid: user.gid, home: user.home };
}

function failureOf(
  result: ScriptResult,
  script: HookScript,
  signal: AbortSignal | undefined,
): { errorCode: ScriptErrorCode; message: string } | undefined {
  const at = `Script at specified location: ${script.location}${
    script.runAs === undefined ? '' : ` run as user ${script.runAs}`
  }`;
  switch (result.kind) {
    case 'exited':
      return result.code === 0
        ? undefined
        : {
            errorCode: ScriptErrorCode.ScriptFailed,
            message: `${at} failed with exit code ${result.code}`,
          };
    case 'killed':
      return {
        errorCode: ScriptErrorCode.ScriptFailed,
        message: `${at} failed: killed by signal ${result.signal}`,
      };
    case 'timedOut':
      return {
        errorCode: ScriptErrorCode.ScriptTimedOut,
        message: `${at} failed to complete in ${script.timeoutSeconds} seconds`,
      };
    case 'outputsLeftOpen':
      return {
        errorCode: ScriptErrorCode.OutputsLeftOpen,
        message:
          `${at} exited with code ${result.code}, but its stdout/stderr stayed open until the ` +
          `${script.timeoutSeconds} s timeout: redirect the output of processes it leaves ` +
          'running (e.g. `cmd > /dev/null 2>&1 &`)',
      };
    case 'cancelled':
      return {
        errorCode: ScriptErrorCode.UnknownError,
        message: `${at} was stopped: ${cancelReason(signal)}`,
      };
    case 'spawnFailed':
      return {
        errorCode: ScriptErrorCode.ScriptFailed,
        message: `${at} could not be started: ${result.message}`,
      };
  }
}

export function cancelReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (typeof reason === 'string') return reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return reason.message;
  return 'the command was cancelled';
}
