import type { Scope } from '../source/source.deps.ts';
import { requireBuild, type BuildsContext } from './builds.context.ts';
import { logStreamKeyText, type LogEvent } from './log.model.ts';
import { logStreamKeyOf } from './runner-operations.ts';

export interface WatchLogsOptions {
  /** Deliver events with a greater `seq`: 0 from the start, or an SSE Last-Event-ID. */
  readonly after: number;
  /** Ends the watch (the iteration returns) when aborted. */
  readonly signal?: AbortSignal | undefined;
  /** Events per batch; default 500. */
  readonly batchSize?: number | undefined;
}

const defaultBatchSize = 500;

/**
 * A build's log events as they arrive, in batches, from any server: appends and the build's
 * end publish wake-up signals through the stores' notifier (LISTEN/NOTIFY in fleet mode), and
 * the watcher re-reads from its cursor on each, so a missed or merged signal loses nothing.
 * It subscribes before its first read, so nothing appended between a read and the wait is
 * missed. The iteration ends once the build has ended and every event was delivered, or when
 * `signal` aborts; breaking out of it unsubscribes.
 */
export async function* watchBuildLogs(
  context: BuildsContext,
  scope: Scope,
  buildIdOrArn: string,
  options: WatchLogsOptions,
): AsyncGenerator<LogEvent[], void, undefined> {
  const build = await requireBuild(context, scope, buildIdOrArn);
  const { builds, logs } = context.deps;
  const key = logStreamKeyOf(build);
  const keyText = key === undefined ? undefined : logStreamKeyText(key);
  const limit = options.batchSize ?? defaultBatchSize;
  const { signal } = options;
  // Set by a wake-up signal; cleared before each read, so a signal during the read is kept.
  let dirty: boolean;
  let wake: (() => void) | undefined;
  const poke = () => {
    dirty = true;
    wake?.();
  };
  const offLogs = logs.watch((text) => {
    if (text === keyText) poke();
  });
  const offBuilds = builds.watch((id) => {
    if (id === build.id) poke();
  });
  signal?.addEventListener('abort', poke);
  const read = (after: number) =>
    key === undefined
      ? Promise.resolve([])
      : logs.readStream({ key, direction: 'forward', afterSeq: after, limit });
  try {
    let cursor = options.after;
    let ended = false;
    while (signal?.aborted !== true) {
      dirty = false;
      const events = await read(cursor);
      const last = events.at(-1);
      if (last !== undefined) {
        cursor = last.seq;
        yield events;
        continue;
      }
      // Read once more after seeing the end: what was appended before it is visible now.
      if (ended) return;
      const current = await builds.find(build.id);
      if (current === undefined || current.buildComplete) {
        ended = true;
        continue;
      }
      if (!dirty) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      wake = undefined;
    }
  } finally {
    offLogs();
    offBuilds();
    signal?.removeEventListener('abort', poke);
  }
}
