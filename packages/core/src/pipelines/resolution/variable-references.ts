/**
 * Variable references in action configuration values: `#{namespace.variable}`, as in AWS's
 * "Variables reference" (reference-variables.html). What counts as a reference, decided here:
 *
 * - Both parts use the characters AWS allows for namespaces and variable names,
 *   `[A-Za-z0-9@\-_]+` (botocore `ActionNamespace`, `OutputVariablesKey`,
 *   `PipelineVariableName`), with exactly one dot between them. No whitespace inside `#{ }`.
 * - Case-sensitive: AWS's quotas page says namespaces and output variable names are.
 * - There is no escape: AWS documents none, so `#{a.b}` can never be written literally.
 * - Anything else that opens with `#{` (`#{a.b`, `#{}`, `#{a}`, `#{ a.b }`, `#{a.b.c}`) is not a
 *   reference and stays literal text at run time; it is reported as malformed so create-time
 *   validation can warn or refuse. (How AWS treats such text is not documented; leaving it
 *   alone keeps shell and Ruby-style `#{x}` in free-text fields working.)
 * - References do not nest: `#{#{a.b}.c}` holds one reference, `#{a.b}`.
 */
export const VARIABLE_NAME_PATTERN = /^[A-Za-z0-9@\-_]+$/;

/** Used through copies with their own flags, so no `lastIndex` is shared. */
const referencePattern = /#\{([A-Za-z0-9@\-_]+)\.([A-Za-z0-9@\-_]+)\}/;

export interface VariableReference {
  readonly namespace: string;
  readonly name: string;
  /** The reference as written: `#{SourceVariables.CommitId}`. */
  readonly text: string;
  /** Offset of `#` in the value. */
  readonly index: number;
}

export interface MalformedReference {
  /** From `#{` to the first `}` (inclusive), the next `#{` (exclusive) or the end. */
  readonly text: string;
  readonly index: number;
}

export interface ReferenceScan {
  readonly references: readonly VariableReference[];
  readonly malformed: readonly MalformedReference[];
}

/** Every reference in a value, in order, and every `#{` that does not start one. */
export function findVariableReferences(value: string): ReferenceScan {
  const references: VariableReference[] = [];
  const malformed: MalformedReference[] = [];
  const pattern = new RegExp(referencePattern.source, 'y');
  let from = 0;
  for (;;) {
    const index = value.indexOf('#{', from);
    if (index < 0) break;
    pattern.lastIndex = index;
    const match = pattern.exec(value);
    if (match !== null) {
      const [text, namespace = '', name = ''] = match;
      references.push({ namespace, name, text, index });
      from = index + text.length;
      continue;
    }
    const end = malformedEnd(value, index);
    malformed.push({ text: value.slice(index, end), index });
    from = index + 2;
  }
  return { references, malformed };
}

function malformedEnd(value: string, index: number): number {
  const close = value.indexOf('}', index + 2);
  const reopen = value.indexOf('#{', index + 2);
  if (close < 0) return reopen < 0 ? value.length : reopen;
  return reopen >= 0 && reopen < close ? reopen : close + 1;
}

/** Replaces each reference with what `lookup` gives; one pass, so values are never re-scanned. */
export function replaceVariableReferences(
  value: string,
  lookup: (namespace: string, name: string) => string,
): string {
  return value.replace(
    new RegExp(referencePattern.source, 'g'),
    (_text, namespace: string, name: string) => lookup(namespace, name),
  );
}
