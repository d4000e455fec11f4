import type { Condition, RuleDeclaration } from '../declaration/declaration.model.ts';
import { replaceVariableReferences } from '../resolution/variable-references.ts';
import { findVariableValue } from '../resolution/variable-resolution.ts';
import { variableScopeOf } from './dispatch-action.ts';
import type { Draft } from './draft.ts';

/**
 * The rule providers Slipway evaluates in stage conditions. The others CodePipeline offers
 * (CloudWatchAlarm, CodeBuild, Commands, DeploymentWindow, LambdaInvoke) are refused when a
 * pipeline is created or updated, rather than silently passing.
 */
export const evaluatedRuleProviders: readonly string[] = ['VariableCheck'];

export interface ConditionOutcome {
  /** Every rule of every condition succeeded. */
  readonly met: boolean;
  /** The first condition not met: its result applies. */
  readonly failed?: { readonly condition: Condition; readonly summary: string } | undefined;
}

/** Evaluates a stage's conditions now, against the execution's variables. */
export function evaluateConditions(
  draft: Draft,
  conditions: readonly Condition[] | undefined,
): ConditionOutcome {
  for (const condition of conditions ?? []) {
    for (const rule of condition.rules ?? []) {
      const failure = evaluateRule(draft, rule);
      if (failure !== undefined) {
        return { met: false, failed: { condition, summary: `Rule ${rule.name}: ${failure}` } };
      }
    }
  }
  return { met: true };
}

/** Undefined when the rule succeeds, else why it did not. */
function evaluateRule(draft: Draft, rule: RuleDeclaration): string | undefined {
  if (rule.ruleTypeId.provider !== 'VariableCheck') {
    return `rule provider ${rule.ruleTypeId.provider} is not evaluated by Slipway`;
  }
  const configuration = rule.configuration ?? {};
  const scope = variableScopeOf(draft);
  let unresolved = false;
  const actual = replaceVariableReferences(configuration['Variable'] ?? '', (ns, name) => {
    const value = findVariableValue(scope, ns, name);
    if (value === undefined) unresolved = true;
    return value ?? '';
  });
  if (unresolved) return `variable ${configuration['Variable']} could not be resolved`;
  const expected = configuration['Value'] ?? '';
  const operator = configuration['Operator'] ?? 'EQ';
  return compare(actual, operator, expected)
    ? undefined
    : `${JSON.stringify(actual)} ${operator} ${JSON.stringify(expected)} is false`;
}

function compare(actual: string, operator: string, expected: string): boolean {
  const a = Number(actual);
  const e = Number(expected);
  const numeric =
    actual.trim() !== '' && expected.trim() !== '' && !Number.isNaN(a) && !Number.isNaN(e);
  switch (operator) {
    case 'EQ':
      return actual === expected;
    case 'NE':
      return actual !== expected;
    case 'CONTAINS':
      return actual.includes(expected);
    case 'MATCHES':
      try {
        return new RegExp(expected).test(actual);
      } catch {
        return false;
      }
    case 'GT':
      return numeric ? a > e : actual > expected;
    case 'GE':
      return numeric ? a >= e : actual >= expected;
    case 'LT':
      return numeric ? a < e : actual < expected;
    case 'LE':
      return numeric ? a <= e : actual <= expected;
    default:
      return false;
  }
}
