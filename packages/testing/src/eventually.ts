export interface EventuallyOptions {
  /** Give up after this long; a cross-server notification normally arrives within milliseconds. */
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  readonly message?: string;
}

/**
 * Resolves once `condition` holds, checking it at once and then every `intervalMs`; rejects after
 * `timeoutMs`. Only for signals that really cross a process or network boundary (LISTEN/NOTIFY):
 * in-process behaviour is asserted directly, with a FakeClock, never by waiting.
 */
export async function eventually(
  condition: () => boolean,
  options: EventuallyOptions = {},
): Promise<void> {
  const { timeoutMs = 5_000, intervalMs = 10, message = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) throw new Error(`${message} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
