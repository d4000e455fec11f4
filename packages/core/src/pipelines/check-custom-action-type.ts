import type { FieldProblem } from '../errors/app-error.ts';
import type { CountRange } from './declaration/action-providers.ts';
import type { CustomActionProperty, CustomActionSettings } from './custom-action-types.ports.ts';
import { customPropertyTypes } from './custom-action-types.ports.ts';
import type { CreateCustomActionTypeInput } from './custom-action-types.ts';
import { actionCategories } from './declaration/declaration.model.ts';

/** botocore codepipeline 2015-07-09: ActionProvider, Version, ArtifactDetails, … */
const providerPattern = /^[0-9A-Za-z_-]{1,35}$/;
const versionPattern = /^[0-9A-Za-z_-]{1,9}$/;
const maxArtifacts = 5;
const maxProperties = 10;
const settingsKeys = [
  'thirdPartyConfigurationUrl',
  'entityUrlTemplate',
  'executionUrlTemplate',
  'revisionUrlTemplate',
] as const satisfies readonly (keyof CustomActionSettings)[];

/**
 * Every problem of a CreateCustomActionType request, by path: the model's constraints (the door
 * checks them too, the service does not rely on it) and the rules between members the model
 * cannot say — minimum ≤ maximum, property names unique, at most one queryable property, which
 * must be required and not secret (CreateCustomActionType's `queryable` documentation).
 */
export function checkCustomActionType(input: CreateCustomActionTypeInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (!(actionCategories as readonly string[]).includes(input.category)) {
    add('category', `must be one of ${actionCategories.join(', ')}`);
  }
  if (!providerPattern.test(input.provider)) {
    add('provider', 'must be 1 to 35 letters, digits, underscores or hyphens');
  }
  if (!versionPattern.test(input.version)) {
    add('version', 'must be 1 to 9 letters, digits, underscores or hyphens');
  }
  for (const key of settingsKeys) {
    const url = input.settings?.[key];
    if (url !== undefined && (url.length < 1 || url.length > 2048)) {
      add(`settings.${key}`, 'must be 1 to 2048 characters');
    }
  }
  checkProperties(input.configurationProperties ?? [], add);
  checkArtifactDetails('inputArtifactDetails', input.inputArtifactDetails, add);
  checkArtifactDetails('outputArtifactDetails', input.outputArtifactDetails, add);
  return problems;
}

type Add = (path: string, message: string) => void;

function checkProperties(properties: readonly CustomActionProperty[], add: Add): void {
  if (properties.length > maxProperties) {
    add('configurationProperties', `must have at most ${maxProperties} members`);
  }
  const seen = new Set<string>();
  let queryable = 0;
  properties.forEach((property, i) => {
    const at = `configurationProperties[${i}]`;
    if (property.name.length < 1 || property.name.length > 50) {
      add(`${at}.name`, 'must be 1 to 50 characters');
    }
    if (seen.has(property.name)) add(`${at}.name`, `'${property.name}' is declared more than once`);
    seen.add(property.name);
    const description = property.description;
    if (description !== undefined && (description.length < 1 || description.length > 160)) {
      add(`${at}.description`, 'must be 1 to 160 characters');
    }
    if (property.type !== undefined && !customPropertyTypes.includes(property.type)) {
      add(`${at}.type`, `must be one of ${customPropertyTypes.join(', ')}`);
    }
    if (property.queryable === true) {
      queryable += 1;
      if (queryable === 2)
        add(`${at}.queryable`, 'an action type can have at most one queryable property');
      if (!property.required || property.secret) {
        add(`${at}.queryable`, 'a queryable property must be required and not secret');
      }
    }
  });
}

function checkArtifactDetails(at: string, details: CountRange, add: Add): void {
  for (const [member, value] of [
    ['minimumCount', details.min],
    ['maximumCount', details.max],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > maxArtifacts) {
      add(`${at}.${member}`, `must be an integer from 0 to ${maxArtifacts}`);
    }
  }
  if (details.min > details.max) {
    add(`${at}.minimumCount`, 'must not be greater than maximumCount');
  }
}
