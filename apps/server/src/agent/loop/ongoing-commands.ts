import { readFile, rm } from 'node:fs/promises';
import type { HostCommandInstance } from '@slipway/protocol';
import { writeAtomically } from '../executor/deployment-root.ts';

/**
 * `<root>/ongoing-command.json`: the commands this agent is running, written before each runs.
 * After a crash or restart, what it still lists ran without completing: the agent completes
 * those as Failed (FailedAfterRestart) rather than running an event twice.
 */
export class OngoingCommands {
  readonly #file: string;
  readonly #commands = new Map<string, HostCommandInstance>();
  #writing: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.#file = file;
  }

  /** What the last run left behind (an array, or the single command older files hold). */
  async readLeftOver(): Promise<HostCommandInstance[]> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch {
      return [];
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      const list = Array.isArray(parsed) ? parsed : [parsed];
      return list.filter(
        (item): item is HostCommandInstance =>
          typeof item === 'object' &&
          item !== null &&
          typeof (item as HostCommandInstance).HostCommandIdentifier === 'string',
      );
    } catch {
      return [];
    }
  }

  add(command: HostCommandInstance): Promise<void> {
    this.#commands.set(command.HostCommandIdentifier, command);
    return this.#save();
  }

  remove(hostCommandIdentifier: string): Promise<void> {
    this.#commands.delete(hostCommandIdentifier);
    return this.#save();
  }

  async clear(): Promise<void> {
    this.#commands.clear();
    await this.#save();
  }

  /** Writes in order, one at a time; an empty list removes the file. */
  #save(): Promise<void> {
    const snapshot = [...this.#commands.values()];
    const write = async () => {
      if (snapshot.length === 0) await rm(this.#file, { force: true });
      else await writeAtomically(this.#file, `${JSON.stringify(snapshot, null, 2)}\n`);
    };
    this.#writing = this.#writing.then(write, write);
    return this.#writing;
  }
}
