import { isAppError, type ActionResult, type AppErrorKind } from '@slipway/core';

/** CodePipeline's limit on an action's summary (ExecutionDetails `summary`, 2048 characters). */
export const maxSummaryLength = 2048;

/**
 * A failed action as CodePipeline reports one: `summary` in the action state, and the same
 * text in `errorDetails` with CodePipeline's code (`JobFailed` for a job that ran and failed,
 * `ConfigurationError` for an action that cannot run as declared).
 */
export function failedResult(
  summary: string,
  code: 'JobFailed' | 'ConfigurationError' | 'PermissionError' = 'JobFailed',
): ActionResult {
  const text = truncate(summary, maxSummaryLength);
  return { status: 'Failed', summary: text, errorDetails: { code, message: text } };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The AppError kind of `error`, if it is one. */
export function appErrorKind(error: unknown): AppErrorKind | undefined {
  return isAppError(error) ? error.kind : undefined;
}

/** Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** Cuts `text` so that its UTF-8 encoding is at most `maxBytes`, on a character boundary. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Back up over continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}

/** Whether a value some step returned is a (failed) action result rather than its product. */
export function isActionResult(value: object): value is ActionResult {
  const status = (value as { status?: unknown }).status;
  return status === 'Succeeded' || status === 'Failed';
}
