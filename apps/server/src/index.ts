export { runServerCommand } from './run-server-command.ts';
export { runRunnerCommand } from './runner/run-runner-command.ts';
export {
  runAgentCommand,
  startAgent,
  type RunningAgent,
  type StartAgentOptions,
} from './agent/run-agent-command.ts';
export { startServer, type RunningServer } from './main.ts';
export { loadConfig, ConfigError, type ServerConfig } from './config.ts';
export { createLogger } from './logger.ts';
