import { readdirSync, readFileSync } from 'node:fs';
import { clockTicksPerSecond } from './process-cpu.ts';

interface ProcessCpu {
  readonly name: string;
  readonly kernelThread: boolean;
  readonly cpuMs: number;
}

/** CPU time so far of every process on the machine, by pid; empty where there is no /proc. */
export type CpuCensus = ReadonlyMap<number, ProcessCpu>;

export function takeCpuCensus(): CpuCensus {
  const census = new Map<number, ProcessCpu>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return census;
  }
  const ticks = clockTicksPerSecond();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // Fields after the command name: state, ppid, …, utime (12th), stime (13th).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      census.set(Number(pid), {
        name,
        kernelThread: ppid === 2 || Number(pid) === 2,
        cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks,
      });
    } catch {
      // Exited between the listing and the read.
    }
  }
  return census;
}

export interface OtherCpu {
  /** Kernel threads (writeback, journal, workqueues), ms. */
  readonly kernelThreadsMs: number;
  /** Every other process alive at the end, ms. */
  readonly processesMs: number;
  /** The busiest of those processes, with its ms, if any used more than a little. */
  readonly busiest: { readonly name: string; readonly ms: number } | undefined;
}

/** CPU between two censuses of everything except the given pids. */
export function otherCpuBetween(
  before: CpuCensus,
  after: CpuCensus,
  exclude: readonly number[],
): OtherCpu {
  let kernelThreadsMs = 0;
  let processesMs = 0;
  const byName = new Map<string, number>();
  for (const [pid, now] of after) {
    if (exclude.includes(pid)) continue;
    const used = now.cpuMs - (before.get(pid)?.cpuMs ?? 0);
    if (used <= 0) continue;
    if (now.kernelThread) {
      kernelThreadsMs += used;
    } else {
      processesMs += used;
      byName.set(now.name, (byName.get(now.name) ?? 0) + used);
    }
  }
  const [name, ms] = [...byName].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  return { kernelThreadsMs, processesMs, busiest: ms >= 50 ? { name, ms } : undefined };
}
