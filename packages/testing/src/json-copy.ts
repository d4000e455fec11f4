import type { JsonValue } from '@slipway/core';

/** What a value looks like after a trip through a JSON text column, as the SQL stores keep it. */
export function jsonCopy(value: JsonValue): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
