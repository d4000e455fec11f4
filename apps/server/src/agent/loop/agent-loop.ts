import type { Logger } from 'pino';
import {
  CommandStatus,
  hostCommandHeartbeatMs,
  ScriptErrorCode,
  type CommandCompleteDiagnostics,
  type CommandDiagnostics,
  type HostCommandInstance,
} from '@slipway/protocol';
import type { HostCommandClient } from '../client/host-command-client.ts';
import { HostCommandError } from '../client/host-command-error.ts';
import type { CommandOutcome, ExecuteCommandInput } from '../executor/host-command-executor.ts';
import type { OngoingCommands } from './ongoing-commands.ts';
import { PendingOutput } from './pending-output.ts';

export interface AgentLoopOptions {
  readonly client: Pick<
    HostCommandClient,
    | 'pollHostCommand'
    | 'getDeploymentSpecification'
    | 'putHostCommandAcknowledgement'
    | 'postHostCommandUpdate'
    | 'putHostCommandComplete'
  >;
  readonly executor: { execute(input: ExecuteCommandInput): Promise<CommandOutcome> };
  /** The instance's IAM user ARN. */
  readonly hostIdentifier: string;
  readonly ongoing: OngoingCommands;
  readonly log: Logger;
  /** Commands run at once (default 4). */
  readonly concurrency?: number;
  /** PostHostCommandUpdate interval while a command runs (default 3 s). */
  readonly heartbeatMs?: number;
  /** Shortest time between two polls the server answered at once (default 1 s). */
  readonly minPollIntervalMs?: number;
}

/** Recent deployments' specifications kept (their presigned URLs last two hours). */
const maxCachedSpecs = 16;

export const restartMessage = 'The agent was restarted while the command ran';
const serverStopped = 'the server stopped the command (StopDeployment, or its lease was lost)';
const agentStopped = 'the agent was stopped while the command ran';

/**
 * The agent: polls its host commands (long-poll), and for each one fetches the deployment
 * specification, acknowledges it, runs it with a heartbeat that streams its output, and
 * completes it. The server's `Failed` answer to a heartbeat stops the command's script.
 */
export class AgentLoop {
  readonly #options: AgentLoopOptions;
  readonly #polling = new AbortController();
  /** Specifications by DeploymentExecutionId, oldest first. */
  readonly #specs = new Map<string, ExecuteCommandInput['spec']>();
  readonly #commands = new AbortController();
  readonly #running = new Map<string, Promise<void>>();
  #loop: Promise<void> = Promise.resolve();

  constructor(options: AgentLoopOptions) {
    this.#options = options;
  }

  /**
   * Completes as Failed (FailedAfterRestart) the commands a previous run left in
   * ongoing-command.json; errors are ignored, as their leases may be gone.
   */
  async recover(): Promise<void> {
    const { client, ongoing, log } = this.#options;
    for (const command of await ongoing.readLeftOver()) {
      log.warn({ hostCommand: command.HostCommandIdentifier }, restartMessage);
      await client
        .putHostCommandComplete(
          {
            HostCommandIdentifier: command.HostCommandIdentifier,
            CommandStatus: CommandStatus.Failed,
            Diagnostics: completeDiagnostics({
              error_code: ScriptErrorCode.FailedAfterRestart,
              script_name: '',
              message: restartMessage,
              log: '',
            }),
          },
          { attempts: 2 },
        )
        .catch((error: unknown) => log.debug({ err: error }, 'could not complete the command'));
    }
    await ongoing.clear();
  }

  start(): void {
    this.#loop = this.#poll();
  }

  /** Polls no more; running commands get `graceMs` to finish, then their scripts are killed. */
  async stop(graceMs = 3_000): Promise<void> {
    this.#polling.abort();
    const timer = setTimeout(() => this.#commands.abort(agentStopped), graceMs);
    await this.#loop;
    while (this.#running.size > 0) await Promise.all(this.#running.values());
    clearTimeout(timer);
  }

  async #poll(): Promise<void> {
    const { client, log, hostIdentifier } = this.#options;
    const concurrency = this.#options.concurrency ?? 4;
    const signal = this.#polling.signal;
    let failures = 0;
    while (!signal.aborted) {
      if (this.#running.size >= concurrency) {
        await Promise.race(this.#running.values());
        continue;
      }
      const started = Date.now();
      try {
        const command = await client.pollHostCommand(hostIdentifier, { signal, attempts: 1 });
        failures = 0;
        if (command !== undefined) {
          this.#launch(command);
          continue;
        }
        const minInterval = this.#options.minPollIntervalMs ?? 1_000;
        await pause(minInterval - (Date.now() - started), signal);
      } catch (error) {
        if (signal.aborted) break;
        failures += 1;
        if (error instanceof HostCommandError && !error.retryable) {
          log.error({ err: error }, 'the server refused to give this host its commands');
        } else {
          log.warn({ err: error }, 'could not poll for host commands; retrying');
        }
        await pause(Math.min(500 * 2 ** Math.min(failures, 5), 15_000), signal);
      }
    }
  }

  #launch(command: HostCommandInstance): void {
    const id = command.HostCommandIdentifier;
    const run = this.#run(command)
      .catch((error: unknown) =>
        this.#options.log.error({ err: error, hostCommand: id }, 'command crashed'),
      )
      .finally(() => this.#running.delete(id));
    this.#running.set(id, run);
  }

  async #run(command: HostCommandInstance): Promise<void> {
    const { client, ongoing, hostIdentifier } = this.#options;
    const id = command.HostCommandIdentifier;
    const log = this.#options.log.child({
      hostCommand: id,
      deploymentExecutionId: command.DeploymentExecutionId,
      event: command.CommandName,
    });
    await ongoing.add(command);
    try {
      let spec = this.#specs.get(command.DeploymentExecutionId);
      try {
        // One specification per deployment and host: its events share it.
        spec ??= await client.getDeploymentSpecification({
          DeploymentExecutionId: command.DeploymentExecutionId,
          HostIdentifier: hostIdentifier,
        });
        this.#specs.set(command.DeploymentExecutionId, spec);
        if (this.#specs.size > maxCachedSpecs) {
          this.#specs.delete(this.#specs.keys().next().value as string);
        }
      } catch (error) {
        log.warn({ err: error }, 'could not read the deployment specification');
        await this.#complete(id, log, {
          status: CommandStatus.Failed,
          diagnostics: {
            error_code: ScriptErrorCode.UnknownError,
            script_name: '',
            message: `The deployment specification could not be read: ${(error as Error).message}`,
            log: '',
          },
        });
        return;
      }
      const status = await client.putHostCommandAcknowledgement({ HostCommandIdentifier: id });
      if (status !== CommandStatus.InProgress) {
        log.info({ status }, 'the command is over already; skipping it');
        return;
      }
      log.info({ deploymentId: spec.DeploymentId }, 'running');
      const outcome = await this.#execute(id, spec, command.CommandName, log);
      log.info({ status: outcome.status, message: outcome.diagnostics.message }, 'finished');
      await this.#complete(id, log, outcome);
    } finally {
      await ongoing.remove(id);
    }
  }

  /** Runs the command with its heartbeat; the heartbeat's `Failed` aborts it. */
  async #execute(
    id: string,
    spec: ExecuteCommandInput['spec'],
    commandName: string,
    log: Logger,
  ): Promise<CommandOutcome> {
    const controller = new AbortController();
    const onStop = () => controller.abort(agentStopped);
    if (this.#commands.signal.aborted) onStop();
    this.#commands.signal.addEventListener('abort', onStop, { once: true });
    const finished = new AbortController();
    const pending = new PendingOutput();
    const heartbeat = this.#heartbeat({ id, pending, controller, finished: finished.signal, log });
    try {
      return await this.#options.executor.execute({
        commandName,
        spec,
        signal: controller.signal,
        onOutput: (line) => pending.push(line),
      });
    } finally {
      finished.abort();
      this.#commands.signal.removeEventListener('abort', onStop);
      // What the last heartbeat did not carry is in the completion's log (its last 4 KiB): no
      // extra round trip and transaction per event.
      await heartbeat;
    }
  }

  async #heartbeat(options: {
    id: string;
    pending: PendingOutput;
    controller: AbortController;
    finished: AbortSignal;
    log: Logger;
  }): Promise<void> {
    const interval = this.#options.heartbeatMs ?? hostCommandHeartbeatMs;
    for (;;) {
      await pause(interval, options.finished);
      if (options.finished.aborted) return;
      const status = await this.#update(options.id, options.pending, options.log);
      if (status === CommandStatus.Failed && !options.controller.signal.aborted) {
        options.log.info('the server stopped the command; killing its script');
        options.controller.abort(serverStopped);
      }
    }
  }

  async #update(id: string, pending: PendingOutput, log: Logger) {
    const text = pending.take();
    try {
      return await this.#options.client.postHostCommandUpdate(
        {
          HostCommandIdentifier: id,
          ...(text === '' ? {} : { Diagnostics: diagnostics({ log: text }) }),
        },
        { attempts: 2 },
      );
    } catch (error) {
      log.warn({ err: error }, 'could not send a command update');
      return undefined;
    }
  }

  async #complete(id: string, log: Logger, outcome: CommandOutcome): Promise<void> {
    try {
      await this.#options.client.putHostCommandComplete({
        HostCommandIdentifier: id,
        CommandStatus: outcome.status,
        Diagnostics: completeDiagnostics(outcome.diagnostics),
      });
    } catch (error) {
      log.warn({ err: error }, 'could not complete the command');
    }
  }
}

function diagnostics(payload: unknown): CommandDiagnostics {
  return { Format: 'JSON', Payload: JSON.stringify(payload) };
}

function completeDiagnostics(payload: CommandCompleteDiagnostics): CommandDiagnostics {
  return diagnostics(payload);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
