import { parseArgs } from 'node:util';
import type { TypedVariable } from '@slipway/server/build-engine';

export const buildUsage = `Usage: slipway build [options]

Runs the buildspec of the current directory as AWS CodeBuild would (phases, variables,
artifacts, reports), in a bubblewrap sandbox, without a server. The directory is copied into a
fresh workspace first (.git included, as CodeBuild's git sources are), so the build cannot
change it.

Options:
  --buildspec FILE        the buildspec (default buildspec.yml in the current directory)
  --env NAME=VALUE        a variable, taking precedence over the buildspec's as StartBuild's
                          environmentVariablesOverride does (repeatable)
  --artifacts DIR         write the artifacts to DIR: the primary one as DIR/<name>.zip
                          (<name> from the buildspec's artifacts.name, else "artifacts"), each
                          secondary one as DIR/<identifier>.zip
  --packaging ZIP|NONE    ZIP archives (default) or plain files under DIR/<name>/
  --network host|none     share the host's network (default, as CodeBuild builds have one) or not
  --timeout MINUTES       stop the build as TIMED_OUT after this long (default 60; fractions allowed)
  --isolation bubblewrap|process
                          process runs the build without a sandbox (it warns); default bubblewrap
  --no-color              plain output (also NO_COLOR=1, or when stdout is not a terminal)
  -h, --help              this help

Exit codes: 0 SUCCEEDED, 1 FAILED, 2 usage error, 3 TIMED_OUT, 4 FAULT (Slipway could not run
the build), 130 STOPPED (Ctrl-C).`;

export interface BuildOptions {
  readonly help: boolean;
  readonly buildspec: string | undefined;
  readonly env: readonly TypedVariable[];
  readonly artifactsDir: string | undefined;
  readonly packaging: 'ZIP' | 'NONE';
  readonly network: boolean;
  readonly timeoutMs: number;
  readonly isolation: 'bubblewrap' | 'process';
  readonly color: boolean;
  readonly region: string;
}

export class UsageError extends Error {}

/** The maximum CodeBuild allows (timeoutInMinutes 5..2160). */
const maxTimeoutMinutes = 2160;

/** Parses argv; `env` and `isTty` decide the colour and region defaults. */
export function parseBuildOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  isTty: boolean,
): BuildOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        buildspec: { type: 'string' },
        env: { type: 'string', multiple: true },
        artifacts: { type: 'string' },
        packaging: { type: 'string' },
        network: { type: 'string' },
        timeout: { type: 'string' },
        isolation: { type: 'string' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const problems: string[] = [];
  const variables = (values.env ?? []).flatMap((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      problems.push(`--env ${pair}: expected NAME=VALUE`);
      return [];
    }
    return [{ name: pair.slice(0, eq), value: pair.slice(eq + 1) }];
  });
  const network = values.network ?? 'host';
  if (network !== 'host' && network !== 'none')
    problems.push(`--network ${network}: expected host or none`);
  const isolation = values.isolation ?? 'bubblewrap';
  if (isolation !== 'bubblewrap' && isolation !== 'process') {
    problems.push(`--isolation ${isolation}: expected bubblewrap or process`);
  }
  const packaging = (values.packaging ?? 'ZIP').toUpperCase();
  if (packaging !== 'ZIP' && packaging !== 'NONE')
    problems.push(`--packaging ${values.packaging}: expected ZIP or NONE`);
  const minutes = values.timeout === undefined ? 60 : Number(values.timeout);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > maxTimeoutMinutes) {
    problems.push(
      `--timeout ${values.timeout}: expected minutes, more than 0 and at most ${maxTimeoutMinutes}`,
    );
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  const noColor =
    values['no-color'] === true || (env.NO_COLOR !== undefined && env.NO_COLOR !== '');
  return {
    help: values.help === true,
    buildspec: values.buildspec,
    env: variables,
    artifactsDir: values.artifacts,
    packaging: packaging as 'ZIP' | 'NONE',
    network: network === 'host',
    timeoutMs: Math.round(minutes * 60_000),
    isolation: isolation as 'bubblewrap' | 'process',
    color: isTty && !noColor,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
  };
}
