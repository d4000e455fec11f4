import { refNameProblem, TriggerEvent, type RepositoryTrigger } from '@slipway/core';
import { AwsError } from '../../aws-error.ts';
import { required, type JsonInput } from '../../json-input.ts';

const maxTriggers = 10;
const maxBranches = 100;
const maxCustomData = 1000;
const events: readonly string[] = Object.values(TriggerEvent);

/**
 * Repository triggers, validated as CodeCommit does (each problem has its own exception).
 * A destination is an SNS or Lambda ARN in the repository's region, or — Slipway's
 * addition — an http(s) webhook URL.
 */
export function readTriggers(input: JsonInput, region: string): RepositoryTrigger[] {
  const list = input.structures('triggers');
  if (list === undefined) throw required('RepositoryTriggersListRequiredException', 'triggers');
  if (list.length > maxTriggers) {
    throw invalid('MaximumRepositoryTriggersExceededException', `At most ${maxTriggers} triggers`);
  }
  return list.map((t) => readTrigger(t, region));
}

function readTrigger(input: JsonInput, region: string): RepositoryTrigger {
  const name = input.requiredString('name', 'RepositoryTriggerNameRequiredException');
  if (name.length > 100) throw invalid('InvalidRepositoryTriggerNameException', 'Name is too long');
  const destinationArn = input.requiredString(
    'destinationArn',
    'RepositoryTriggerDestinationArnRequiredException',
  );
  checkDestination(destinationArn, region);
  const customData = input.string('customData');
  if (customData !== undefined && customData.length > maxCustomData) {
    throw invalid('InvalidRepositoryTriggerCustomDataException', 'customData is too long');
  }
  const branches = input.stringList('branches');
  if (branches === undefined) {
    throw required('RepositoryTriggerBranchNameListRequiredException', 'branches');
  }
  if (branches.length > maxBranches) {
    throw invalid('MaximumBranchesExceededException', `At most ${maxBranches} branches`);
  }
  for (const branch of branches) {
    if (refNameProblem(branch) !== undefined) {
      throw invalid(
        'InvalidRepositoryTriggerBranchNameException',
        `${branch} is not a branch name`,
      );
    }
  }
  const triggerEvents = input.stringList('events');
  if (triggerEvents === undefined || triggerEvents.length === 0) {
    throw required('RepositoryTriggerEventsListRequiredException', 'events');
  }
  for (const event of triggerEvents) {
    if (!events.includes(event)) {
      throw invalid('InvalidRepositoryTriggerEventsException', `${event} is not a trigger event`);
    }
  }
  return {
    name,
    destinationArn,
    customData,
    branches,
    events: triggerEvents as TriggerEvent[],
  };
}

function checkDestination(destination: string, region: string): void {
  if (/^https?:\/\//i.test(destination)) {
    if (!URL.canParse(destination)) {
      throw invalid(
        'InvalidRepositoryTriggerDestinationArnException',
        `${destination} is not a URL`,
      );
    }
    return;
  }
  const arn = /^arn:aws:(sns|lambda):([a-z0-9-]+):\d{12}:.+$/.exec(destination);
  if (arn === null) {
    throw invalid(
      'InvalidRepositoryTriggerDestinationArnException',
      `${destination} is neither an SNS topic or Lambda function ARN nor an http(s) URL`,
    );
  }
  if (arn[2] !== region) {
    throw invalid(
      'InvalidRepositoryTriggerRegionException',
      `${destination} is not in the repository's region ${region}`,
    );
  }
}

function invalid(code: string, message: string): AwsError {
  return new AwsError(code, 400, message);
}
