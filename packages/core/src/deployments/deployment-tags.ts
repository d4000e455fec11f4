import { DeploymentsSubject, type DeploymentsProblems } from './deployments.errors.ts';

/** botocore codedeploy `Tag`: capitalised member names, as on the wire. */
export interface DeploymentTag {
  readonly Key: string;
  readonly Value: string;
}

/** A tag as the door parsed it: nothing checked yet. */
export interface DeploymentTagInput {
  readonly Key?: unknown;
  readonly Value?: unknown;
}

/**
 * CodeDeploy limits: tag keys up to 128 characters, values up to 256 (user guide "CodeDeploy
 * quotas", Instances table; the same numbers as awscli `customizations/codedeploy/utils.py`).
 */
export const maxDeploymentTagKeyLength = 128;
export const maxDeploymentTagValueLength = 256;
/**
 * Tags on an application or deployment group (TagResource-style resource tags): AWS's general
 * limit of 50 per resource and the reserved `aws:` prefix (AWS "Tagging AWS resources",
 * tag restrictions). CodeDeploy's own pages do not restate them.
 */
export const maxDeploymentResourceTags = 50;

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/**
 * Checks application or deployment group tags (CreateApplication/CreateDeploymentGroup `tags`) →
 * InvalidTagsToAddException. A key is 1–128 characters and does not start with `aws:`; a value
 * is optional, up to 256 characters; keys are unique.
 */
export function addResourceTagProblems(
  problems: DeploymentsProblems,
  tags: unknown,
  path = 'tags',
): readonly DeploymentTag[] {
  const subject = DeploymentsSubject.TagsToAdd;
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) {
    problems.add(subject, path, 'must be a list of {Key, Value}');
    return [];
  }
  if (tags.length > maxDeploymentResourceTags) {
    problems.add(subject, path, `must hold at most ${maxDeploymentResourceTags} tags`);
  }
  const result: DeploymentTag[] = [];
  const seen = new Set<string>();
  tags.forEach((tag: unknown, i) => {
    const at = `${path}[${i}]`;
    if (typeof tag !== 'object' || tag === null) {
      problems.add(subject, at, 'must be {Key, Value}');
      return;
    }
    const { Key: key, Value: value = '' } = tag as DeploymentTagInput;
    let ok = true;
    if (!isString(key) || key.length === 0 || key.length > maxDeploymentTagKeyLength) {
      problems.add(subject, `${at}.Key`, `must be 1 to ${maxDeploymentTagKeyLength} characters`);
      ok = false;
    } else if (key.toLowerCase().startsWith('aws:')) {
      problems.add(subject, `${at}.Key`, "must not start with 'aws:' (reserved)");
      ok = false;
    } else if (seen.has(key)) {
      problems.add(subject, `${at}.Key`, `repeats the key '${key}'`);
      ok = false;
    }
    if (!isString(value) || value.length > maxDeploymentTagValueLength) {
      problems.add(
        subject,
        `${at}.Value`,
        `must be at most ${maxDeploymentTagValueLength} characters`,
      );
      ok = false;
    }
    if (ok && isString(key) && isString(value)) {
      seen.add(key);
      result.push({ Key: key, Value: value });
    }
  });
  return result;
}
