import {
  OnPremisesTagFilterType,
  type DeploymentGroup,
  type OnPremisesTagFilter,
} from './deployment-group.model.ts';
import type { DeploymentTag } from './deployment-tags.ts';
import type { OnPremisesInstance } from './on-premises-instance.model.ts';

/**
 * Which on-premises instances a deployment group targets. Sources: botocore codedeploy
 * 2014-10-06 (`onPremisesInstanceTagFilters`: "the deployment group includes on-premises
 * instances with any of the specified tags"; `onPremisesTagSet`: "only on-premises instances
 * identified by all of the tag groups") and the user guide's "Tagging instances for deployment
 * groups" (instances-tagging.md): within a tag group an instance needs any one filter, across
 * groups it needs every group.
 *
 * The rules, as implemented:
 * 1. KEY_ONLY matches an instance with a tag of that key, whatever its value; VALUE_ONLY one with
 *    a tag of that value, whatever its key; KEY_AND_VALUE one with that exact key and value.
 *    Comparisons are exact (case-sensitive), as tags are.
 * 2. Tag filters form one tag group (OR); a tag set's groups are ANDed.
 * 3. A group with neither filters nor a tag set targets no instance.
 * 4. Deregistered instances are never targeted.
 * The result keeps the order of `instances`.
 */
export type OnPremisesTargeting = Pick<
  DeploymentGroup,
  'onPremisesInstanceTagFilters' | 'onPremisesTagSet'
>;

export function matchesOnPremisesTagFilter(
  tags: readonly DeploymentTag[],
  filter: OnPremisesTagFilter,
): boolean {
  switch (filter.Type) {
    case OnPremisesTagFilterType.KeyOnly:
      return tags.some((t) => t.Key === filter.Key);
    case OnPremisesTagFilterType.ValueOnly:
      return tags.some((t) => t.Value === filter.Value);
    case OnPremisesTagFilterType.KeyAndValue:
      return tags.some((t) => t.Key === filter.Key && t.Value === filter.Value);
  }
}

function matchesTagGroup(
  tags: readonly DeploymentTag[],
  group: readonly OnPremisesTagFilter[],
): boolean {
  return group.some((filter) => matchesOnPremisesTagFilter(tags, filter));
}

/** Whether a group's tag filters or tag set select an instance with these tags (rules 1–3). */
export function isTargetedByTags(
  targeting: OnPremisesTargeting,
  tags: readonly DeploymentTag[],
): boolean {
  const groups = [
    ...(targeting.onPremisesInstanceTagFilters.length > 0
      ? [targeting.onPremisesInstanceTagFilters]
      : []),
    ...targeting.onPremisesTagSet.onPremisesTagSetList,
  ];
  return groups.length > 0 && groups.every((group) => matchesTagGroup(tags, group));
}

/** The registered instances a deployment group targets (rules 1–4), in the given order. */
export function selectOnPremisesInstances<I extends OnPremisesInstance>(
  targeting: OnPremisesTargeting,
  instances: readonly I[],
): I[] {
  return instances.filter(
    (instance) =>
      instance.deregisterTime === undefined && isTargetedByTags(targeting, instance.tags),
  );
}
