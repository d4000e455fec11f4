import type { Condition, ExecutionMode, PipelineDeclaration } from './declaration.model.ts';
import type { DeclarationProblems } from './declaration-problems.ts';

/** Rule providers (rule reference); all category Rule, owner AWS. */
export const ruleProviders = [
  'CloudWatchAlarm',
  'CodeBuild',
  'Commands',
  'DeploymentWindow',
  'LambdaInvoke',
  'VariableCheck',
] as const;
const skipRuleProviders: readonly string[] = ['LambdaInvoke', 'VariableCheck'];

/**
 * Stage conditions and automatic retry/rollback (InvalidStageDeclarationException), from the
 * stage conditions guide: allowed results per condition type, RETRY needs retryConfiguration
 * and excludes conditions, no rollback of the source stage or in PARALLEL mode.
 */
export function checkStageConditions(
  p: DeclarationProblems,
  pipeline: PipelineDeclaration,
  executionMode: ExecutionMode,
): void {
  pipeline.stages.forEach((stage, i) => {
    const at = `stages[${i}]`;
    checkConditionList(p, `${at}.beforeEntry`, stage.beforeEntry?.conditions, ['FAIL', 'SKIP']);
    checkConditionList(p, `${at}.onSuccess`, stage.onSuccess?.conditions, ['ROLLBACK', 'FAIL']);
    checkConditionList(p, `${at}.onFailure`, stage.onFailure?.conditions, ['ROLLBACK']);
    const onFailure = stage.onFailure;
    if (!onFailure) return;
    if (onFailure.result === 'SKIP')
      p.stage(`${at}.onFailure.result`, 'must be ROLLBACK, FAIL or RETRY');
    if (onFailure.retryConfiguration && onFailure.result !== 'RETRY') {
      p.stage(`${at}.onFailure.retryConfiguration`, 'is only accepted with result RETRY');
    }
    if (onFailure.result === 'RETRY' && onFailure.conditions) {
      p.stage(`${at}.onFailure.conditions`, 'automatic retry cannot be combined with conditions');
    }
    const rollsBack =
      onFailure.result === 'ROLLBACK' ||
      (onFailure.conditions ?? []).some((c) => c.result === 'ROLLBACK');
    if (rollsBack && i === 0) p.stage(`${at}.onFailure`, 'a source stage cannot be rolled back');
    if (rollsBack && executionMode === 'PARALLEL') {
      p.stage(`${at}.onFailure`, 'rollback is not available in PARALLEL execution mode');
    }
  });
}

function checkConditionList(
  p: DeclarationProblems,
  path: string,
  conditions: readonly Condition[] | undefined,
  results: readonly string[],
): void {
  conditions?.forEach((condition, i) => {
    const at = `${path}.conditions[${i}]`;
    if (condition.result !== undefined && !results.includes(condition.result)) {
      p.stage(`${at}.result`, `must be ${results.join(' or ')}`);
    }
    if (!condition.rules) p.stage(`${at}.rules`, 'is required');
    condition.rules?.forEach((rule, j) => {
      const provider = rule.ruleTypeId.provider;
      if (!(ruleProviders as readonly string[]).includes(provider)) {
        p.stage(`${at}.rules[${j}].ruleTypeId.provider`, `unknown rule provider '${provider}'`);
      } else if (condition.result === 'SKIP' && !skipRuleProviders.includes(provider)) {
        p.stage(
          `${at}.rules[${j}].ruleTypeId.provider`,
          'result SKIP is supported only with LambdaInvoke and VariableCheck rules',
        );
      }
    });
  });
}
