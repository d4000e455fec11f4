const usage = `Usage: slipway <command> [options]

Commands:
  server             run the Slipway server (AWS APIs, artifacts, git, console) on one port
  build              run the current directory's buildspec.yml locally, as CodeBuild would
  runner             run builds for a Slipway server (claims them over the job protocol)
  agent              run deployments on this machine for a Slipway server (CodeDeploy's agent)
  credential-helper  git credential helper for Slipway repositories (no AWS CLI needed)

Run 'slipway <command> --help' for a command's options.`;

// Loaded on demand: git runs the credential helper for every request, and it must not pay for
// loading the server.
const commands: Record<string, (argv: readonly string[]) => Promise<number | undefined>> = {
  server: async (argv) => (await import('@slipway/server')).runServerCommand(argv),
  build: async (argv) => (await import('./build/run-build-command.ts')).runBuildCommand(argv),
  runner: async (argv) => (await import('@slipway/server')).runRunnerCommand(argv),
  agent: async (argv) => (await import('@slipway/server')).runAgentCommand(argv),
  'credential-helper': async (argv) =>
    (await import('./credential-helper/credential-helper.ts')).runCredentialHelper(argv),
};

const [command, ...rest] = process.argv.slice(2);
if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(`${usage}\n`);
  process.exitCode = command === undefined ? 2 : 0;
} else {
  const run = commands[command];
  if (run === undefined) {
    process.stderr.write(`slipway: unknown command '${command}'\n\n${usage}\n`);
    process.exitCode = 2;
  } else {
    const code = await run(rest);
    if (code !== undefined) process.exitCode = code;
  }
}
