/**
 * Which file_exists_behavior applies to a file mapping: the appspec's `file_exists_behavior`
 * overrides the deployment's fileExistsBehavior (reference/aws-compat.md §5.2), and DISALLOW is
 * CodeDeploy's default when neither is set. A mapping's `overwrite: true` (not in CodeDeploy's
 * reference, but common in the wild) asks for OVERWRITE for that mapping alone.
 */
import type { AppSpec, FileExistsBehavior, FileMapping } from '../appspec.model.ts';

export const defaultFileExistsBehavior: FileExistsBehavior = 'DISALLOW';

export function fileExistsBehaviorFor(
  mapping: FileMapping,
  settings: {
    readonly appSpec: AppSpec;
    /** CreateDeployment's fileExistsBehavior, when given. */
    readonly deployment: FileExistsBehavior | undefined;
  },
): FileExistsBehavior {
  if (mapping.overwrite === true) return 'OVERWRITE';
  return settings.appSpec.fileExistsBehavior ?? settings.deployment ?? defaultFileExistsBehavior;
}
