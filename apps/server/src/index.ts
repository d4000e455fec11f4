export { runServerCommand } from './run-server-command.ts';
export { runRunnerCommand } from './runner/run-runner-command.ts';
export { startServer, type RunningServer } from './main.ts';
export { loadConfig, ConfigError, type ServerConfig } from './config.ts';
export { createLogger } from './logger.ts';
