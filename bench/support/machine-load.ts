import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { clockTicksPerSecond } from './process-cpu.ts';

/** Busy CPU time of the whole machine so far (all cores); undefined where there is no /proc. */
export function machineBusyMs(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal …
    const [user, nice, system, , , irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>(
      (a, b) => a + (b ?? 0),
      0,
    );
    return (busy * 1000) / clockTicksPerSecond();
  } catch {
    return undefined;
  }
}

/**
 * CPU the rest of the machine uses while the bench sits idle, in % of one core. Another build
 * or test run on this two-core machine moves every figure, so each report states it.
 */
export async function measureBackgroundLoad(windowMs = 1_000): Promise<number | undefined> {
  const before = machineBusyMs();
  const start = performance.now();
  await sleep(windowMs);
  const after = machineBusyMs();
  if (before === undefined || after === undefined) return undefined;
  return (100 * (after - before)) / (performance.now() - start);
}

/** Above this, the report says its figures are disturbed by other work. */
export const noisyBackgroundPercent = 15;

export function describeBackgroundLoad(percent: number | undefined): string {
  if (percent === undefined) return 'Background CPU: unknown (no /proc).';
  const figure = `Background CPU just before the run: ${Math.round(percent)}% of one core`;
  return percent > noisyBackgroundPercent
    ? `${figure} — OTHER WORK WAS RUNNING; the figures below are disturbed by it.`
    : `${figure} (quiet).`;
}
