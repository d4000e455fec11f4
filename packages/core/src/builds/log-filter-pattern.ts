import { BuildsSubject, invalidBuildsInput } from './builds.errors.ts';
import type { MessageMatch } from './builds.ports.ts';

/**
 * FilterLogEvents' `filterPattern`, in the subset Slipway implements: CloudWatch's term
 * patterns for unstructured logs. Terms are case-sensitive substrings; every plain term must
 * appear (`ERROR timeout`), a `?term` list matches when any one appears (`?ERROR ?WARN`), and a
 * `-term` must not appear (`ERROR -retrying`). Terms with spaces or symbols go in double quotes
 * (`"Exit code 1"`, `-"dry run"`). JSON (`{ $.x = … }`), space-delimited (`[ip, …]`) and regex
 * (`%…%`) patterns are refused with InvalidParameterException rather than matched wrongly.
 */
export function parseFilterPattern(pattern: string | undefined): MessageMatch {
  const match = { allOf: [] as string[], anyOf: [] as string[], noneOf: [] as string[] };
  if (pattern === undefined) return match;
  const text = pattern.trim();
  if (text.length > 1024) throw invalidPattern('must be at most 1024 characters');
  if (/^[{[%]/.test(text)) {
    throw invalidPattern('JSON, space-delimited and regex patterns are not supported by Slipway');
  }
  let i = 0;
  while (i < text.length) {
    const char = text.charAt(i);
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    let target = match.allOf;
    if (char === '?' || char === '-') {
      target = char === '?' ? match.anyOf : match.noneOf;
      i += 1;
    }
    const [term, next] = readTerm(text, i);
    if (term !== '') target.push(term);
    i = next;
  }
  return match;
}

/** A quoted phrase (with `\"` and `\\` escapes) or a run of non-space characters. */
function readTerm(text: string, start: number): [string, number] {
  if (text.charAt(start) !== '"') {
    let end = start;
    while (end < text.length && !/\s/.test(text.charAt(end))) end += 1;
    return [text.slice(start, end), end];
  }
  let term = '';
  let i = start + 1;
  while (i < text.length) {
    const char = text.charAt(i);
    if (char === '\\' && i + 1 < text.length) {
      term += text.charAt(i + 1);
      i += 2;
      continue;
    }
    if (char === '"') return [term, i + 1];
    term += char;
    i += 1;
  }
  throw invalidPattern('has an unterminated quoted term');
}

/** Whether a message matches, as the stores' queries decide it. */
export function messageMatches(message: string, match: MessageMatch): boolean {
  return (
    match.allOf.every((t) => message.includes(t)) &&
    (match.anyOf.length === 0 || match.anyOf.some((t) => message.includes(t))) &&
    !match.noneOf.some((t) => message.includes(t))
  );
}

function invalidPattern(message: string) {
  return invalidBuildsInput(BuildsSubject.LogParameter, `Invalid filter pattern: it ${message}`, [
    { path: 'filterPattern', message },
  ]);
}
