/** Conditional request headers, parsed: entity tags as sent, dates in epoch milliseconds. */
export interface Preconditions {
  /** `If-Match`: a comma-separated list of entity tags, or `*`. */
  readonly ifMatch?: string | undefined;
  /** `If-None-Match`: a comma-separated list of entity tags, or `*`. */
  readonly ifNoneMatch?: string | undefined;
  readonly ifModifiedSince?: number | undefined;
  readonly ifUnmodifiedSince?: number | undefined;
}

export const PreconditionOutcome = {
  Ok: 'ok',
  NotModified: 'not-modified',
  PreconditionFailed: 'precondition-failed',
} as const;
export type PreconditionOutcome = (typeof PreconditionOutcome)[keyof typeof PreconditionOutcome];

/** What the conditions are evaluated against: undefined when there is no current object. */
export interface ConditionTarget {
  readonly etag: string;
  readonly lastModified: number;
}

/**
 * RFC 7232 section 6, as S3 applies it. If-Match is evaluated first and, when present, decides
 * instead of If-Unmodified-Since; If-None-Match likewise decides instead of If-Modified-Since.
 * A failed If-None-Match is "not modified" for GET and HEAD and a failed precondition otherwise;
 * If-Modified-Since applies to GET and HEAD only. HTTP dates have whole seconds, so the
 * modification time is compared truncated to the second.
 */
export function evaluatePreconditions(
  target: ConditionTarget | undefined,
  conditions: Preconditions,
  method: string,
): PreconditionOutcome {
  const safe = method === 'GET' || method === 'HEAD';
  const modified = target === undefined ? undefined : Math.floor(target.lastModified / 1000) * 1000;
  if (conditions.ifMatch !== undefined) {
    if (!matches(target, conditions.ifMatch)) return PreconditionOutcome.PreconditionFailed;
  } else if (conditions.ifUnmodifiedSince !== undefined && modified !== undefined) {
    if (modified > conditions.ifUnmodifiedSince) return PreconditionOutcome.PreconditionFailed;
  }
  if (conditions.ifNoneMatch !== undefined) {
    if (matches(target, conditions.ifNoneMatch)) {
      return safe ? PreconditionOutcome.NotModified : PreconditionOutcome.PreconditionFailed;
    }
  } else if (conditions.ifModifiedSince !== undefined && safe && modified !== undefined) {
    if (modified <= conditions.ifModifiedSince) return PreconditionOutcome.NotModified;
  }
  return PreconditionOutcome.Ok;
}

/** Whether an entity-tag list (or `*`) matches the target; S3 has no weak tags to tell apart. */
function matches(target: ConditionTarget | undefined, list: string): boolean {
  if (target === undefined) return false;
  const tags = list.split(',').map((tag) => tag.trim());
  if (tags.includes('*')) return true;
  const current = unquoteEtag(target.etag);
  return tags.some((tag) => unquoteEtag(tag.startsWith('W/') ? tag.slice(2) : tag) === current);
}

/** An entity tag without its quotes, for comparing tags sent with or without them. */
export function unquoteEtag(etag: string): string {
  const trimmed = etag.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1)
    : trimmed;
}
