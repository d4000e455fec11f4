/** Value conversions shared by the report parsers: durations, messages and test names. */

const nanosPerSecond = 1e9;

function nanos(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

/**
 * Seconds as xUnit formats write them (`0.5`, `1,234.5`) to nanoseconds. Unparseable or
 * negative values are 0: a report is not refused for a bad timing.
 */
export function secondsToNanos(text: string | undefined): number {
  if (text === undefined) return 0;
  const trimmed = text.trim();
  const plain = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(trimmed) ? trimmed.replaceAll(',', '') : trimmed;
  return nanos(Number(plain.replace(',', '.')) * nanosPerSecond);
}

export function millisToNanos(text: string | undefined): number {
  return text === undefined ? 0 : nanos(Number(text.trim()) * 1e6);
}

/** TRX's `hh:mm:ss.fffffff` to nanoseconds. */
export function timeSpanToNanos(text: string | undefined): number {
  const match = /^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(text?.trim() ?? '');
  if (match === null) return 0;
  const [, h, m, s] = match;
  return nanos((Number(h) * 3600 + Number(m) * 60 + Number(s)) * nanosPerSecond);
}

/** A message from its parts (a summary line, a stack trace), blank and repeated parts dropped. */
export function joinMessage(...parts: (string | undefined)[]): string | undefined {
  const kept: string[] = [];
  for (const part of parts) {
    const trimmed = part?.trim();
    if (trimmed !== undefined && trimmed !== '' && !kept.includes(trimmed)) kept.push(trimmed);
  }
  return kept.length === 0 ? undefined : kept.join('\n');
}

/**
 * `Namespace.Class.Method(args)` to its prefix and name, split at the last dot before any
 * argument list (arguments may hold dots of their own).
 */
export function splitQualifiedName(fullName: string): { prefix: string; name: string } {
  const open = fullName.indexOf('(');
  const head = open === -1 ? fullName : fullName.slice(0, open);
  const dot = head.lastIndexOf('.');
  if (dot === -1) return { prefix: '', name: fullName };
  return { prefix: fullName.slice(0, dot), name: fullName.slice(dot + 1) };
}
