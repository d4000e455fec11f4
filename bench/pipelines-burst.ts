// Many executions of a PARALLEL pipeline started at once: how long until all have Succeeded, and
// what the server process holds in memory meanwhile (its /proc status, sampled; the server is a
// child process, so the figure is the server's alone, its built-in runner included).
import { readFileSync } from 'node:fs';
import {
  StartPipelineExecutionCommand,
  type ActionDeclaration,
} from '@aws-sdk/client-codepipeline';
import {
  actions,
  allExecutions,
  createBuckets,
  createPipeline,
  epochClock,
  ms,
  sleep,
  terminalStatuses,
  withPipelineServer,
} from './pipelines-clients.ts';
import { processCpuMs } from './support/process-cpu.ts';
import { progress } from './support/report.ts';
import { summariseLatencies, type LatencySummary } from './support/stats.ts';

export interface BurstPlan {
  readonly executions: number;
  readonly runnerConcurrency: number;
  /** ListPipelineExecutions is polled this often to see them end. */
  readonly pollMs: number;
  /** The server's resident memory is sampled this often. */
  readonly sampleMs: number;
  /** Memory is read again this long after the last execution ended. */
  readonly settleMs: number;
  readonly timeoutMs: number;
}

export interface BurstResult {
  readonly label: string;
  readonly executions: number;
  readonly succeeded: number;
  /** First StartPipelineExecution sent → every one answered. */
  readonly accepted: number;
  /** First StartPipelineExecution sent → a poll saw every execution ended. */
  readonly allEnded: number;
  /** First StartPipelineExecution sent → the last execution's end (server clock). */
  readonly lastEnded: number;
  /** Each execution's startTime → its end (server clock). */
  readonly perExecution: LatencySummary;
  /** Resident memory in bytes: before the burst, highest sample during it, after it settled. */
  readonly rss: { readonly before: number; readonly peak: number; readonly after: number };
  /** The server's CPU time during the burst, ms. */
  readonly serverCpuMs: number | undefined;
}

export async function measureBurst(
  label: string,
  second: ActionDeclaration,
  plan: BurstPlan,
  failures: string[],
): Promise<BurstResult> {
  return withPipelineServer(plan.runnerConcurrency, async (server, clients) => {
    const name = 'parallel-burst';
    await createBuckets(clients.s3);
    await createPipeline(clients.pipelines, {
      name,
      executionMode: 'PARALLEL',
      actions: [actions.s3Source(), second],
    });
    // CreatePipeline's own execution is the warm-up.
    const warmup = await waitAllEnded(async () => allExecutions(clients.pipelines, name), {
      expected: 1,
      plan,
    });
    const warmupIds = new Set(warmup.executions.map((e) => e.pipelineExecutionId));
    for (const e of warmup.executions) {
      if (e.status !== 'Succeeded') failures.push(`${label}: warm-up ended ${e.status ?? '?'}`);
    }
    progress(`pipelines: ${plan.executions} executions at once (${label})`);
    const memory = new MemorySampler(server.pid, plan.sampleMs);
    const cpuBefore = processCpuMs(server.pid);
    const toEpoch = epochClock();
    const sentAt = performance.now();
    const ids = await Promise.all(
      Array.from({ length: plan.executions }, async () => {
        const started = await clients.pipelines.send(new StartPipelineExecutionCommand({ name }));
        return started.pipelineExecutionId ?? '';
      }),
    );
    const acceptedAt = performance.now();
    const mine = new Set(ids);
    const ended = await waitAllEnded(
      async () =>
        (await allExecutions(clients.pipelines, name)).filter((e) =>
          mine.has(e.pipelineExecutionId ?? ''),
        ),
      { expected: plan.executions, plan },
    );
    const cpuAfter = processCpuMs(server.pid);
    const peak = memory.stop();
    await sleep(plan.settleMs);
    const after = readRss(server.pid);
    const executions = ended.executions.filter((e) => !warmupIds.has(e.pipelineExecutionId));
    const notSucceeded = executions.filter((e) => e.status !== 'Succeeded');
    if (!ended.complete) {
      failures.push(`${label}: not all ${plan.executions} ended within ${plan.timeoutMs} ms`);
    }
    for (const e of notSucceeded.slice(0, 3)) {
      failures.push(`${label}: ${e.pipelineExecutionId ?? ''} ended ${e.status ?? '?'}`);
    }
    const ends = executions.map((e) => ms(e.lastUpdateTime));
    return {
      label,
      executions: executions.length,
      succeeded: executions.length - notSucceeded.length,
      accepted: acceptedAt - sentAt,
      allEnded: ended.at - sentAt,
      lastEnded: Math.max(...ends) - toEpoch(sentAt),
      perExecution: summariseLatencies(
        executions.map((e) => ms(e.lastUpdateTime) - ms(e.startTime)),
      ),
      rss: { before: memory.first, peak, after },
      serverCpuMs:
        cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    };
  });
}

type Summaries = Awaited<ReturnType<typeof allExecutions>>;

async function waitAllEnded(
  list: () => Promise<Summaries>,
  options: { expected: number; plan: BurstPlan },
): Promise<{ executions: Summaries; at: number; complete: boolean }> {
  const deadline = performance.now() + options.plan.timeoutMs;
  for (;;) {
    const executions = await list();
    const at = performance.now();
    const ended = executions.filter((e) => terminalStatuses.has(e.status ?? ''));
    if (ended.length >= options.expected) return { executions, at, complete: true };
    if (at > deadline) return { executions, at, complete: false };
    await sleep(options.plan.pollMs);
  }
}

/** VmRSS of a process in bytes; NaN where there is no /proc. */
function readRss(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) * 1024;
  } catch {
    return Number.NaN;
  }
}

/** The highest VmRSS seen, sampled on a timer (synchronous reads: a few µs each). */
class MemorySampler {
  readonly first: number;
  #peak: number;
  readonly #timer: NodeJS.Timeout;

  constructor(pid: number, everyMs: number) {
    this.first = readRss(pid);
    this.#peak = this.first;
    this.#timer = setInterval(() => {
      const rss = readRss(pid);
      if (rss > this.#peak || Number.isNaN(this.#peak)) this.#peak = rss;
    }, everyMs);
  }

  stop(): number {
    clearInterval(this.#timer);
    return this.#peak;
  }
}
