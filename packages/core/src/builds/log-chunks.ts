import type { NewLogEvent } from './builds.ports.ts';
import { maxLogEventBytes } from './log.model.ts';

/** A chunk ready to store: events cut to the limits, their bytes, and whether the total was hit. */
export interface PreparedChunk {
  readonly events: NewLogEvent[];
  readonly bytes: number;
  /** This chunk reached the build's total limit: it ends with the notice. */
  readonly truncated: boolean;
}

export interface PrepareChunkOptions {
  /** The stream so far. */
  readonly storedBytes: number;
  readonly alreadyTruncated: boolean;
  readonly maxBytes: number;
}

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Applies the limits to a runner's chunk. An event over CloudWatch's 256 KiB is cut (on a
 * character boundary) and marked; once the build's log reaches `maxBytes`, one notice event
 * says so and everything after it is dropped, this chunk's rest and every later chunk's.
 * NUL becomes U+FFFD: PostgreSQL text cannot hold it, and no terminal shows it anyway.
 */
export function prepareLogChunk(
  events: readonly NewLogEvent[],
  options: PrepareChunkOptions,
): PreparedChunk {
  if (options.alreadyTruncated) return { events: [], bytes: 0, truncated: false };
  const kept: NewLogEvent[] = [];
  let total = options.storedBytes;
  let bytes = 0;
  for (const event of events) {
    const message = capEvent(event.message.replaceAll('\0', '\uFFFD'));
    const size = utf8Length(message);
    if (total + size > options.maxBytes) {
      const notice =
        `[Slipway: this build's log reached its limit of ${options.maxBytes} bytes; ` +
        'later output was dropped]';
      kept.push({ timestamp: event.timestamp, message: notice });
      bytes += utf8Length(notice);
      return { events: kept, bytes, truncated: true };
    }
    kept.push({ timestamp: event.timestamp, message });
    total += size;
    bytes += size;
  }
  return { events: kept, bytes, truncated: false };
}

/** A message within CloudWatch's per-event limit, with a marker saying how much was cut. */
export function capEvent(message: string, limit: number = maxLogEventBytes): string {
  const size = utf8Length(message);
  if (size <= limit) return message;
  // Room for the longest marker this message can need, so the result never exceeds the limit.
  const room = limit - utf8Length(`… [truncated ${size} bytes]`);
  let end = 0;
  let used = 0;
  for (const char of message) {
    const charBytes = codePointBytes(char.codePointAt(0) ?? 0);
    if (used + charBytes > room) break;
    used += charBytes;
    end += char.length;
  }
  return `${message.slice(0, end)}… [truncated ${size - used} bytes]`;
}

/** UTF-8 length of one code point; a lone surrogate is encoded as U+FFFD (3 bytes). */
function codePointBytes(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}
