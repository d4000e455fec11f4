import { BubblewrapExecutor } from './bubblewrap-executor.ts';
import type { Executor, WarningLog } from './executor.ts';
import { ProcessExecutor } from './process-executor.ts';

/** The runner's sandbox settings, as its config hands them over. */
export interface SandboxConfig {
  /** `process` runs builds without isolation and must be chosen explicitly. */
  readonly isolation?: 'bubblewrap' | 'process';
  /** The account builds run as when the server is root; default `nobody`. */
  readonly user?: string | number;
  /** Host paths hidden from builds (the data directory, the workspaces root). */
  readonly hide?: readonly string[];
  readonly bwrap?: string;
}

/** The executor the config asks for; bubblewrap unless `process` is named, which warns. */
export function createExecutor(config: SandboxConfig, log: WarningLog): Promise<Executor> {
  const isolation = config.isolation ?? 'bubblewrap';
  switch (isolation) {
    case 'bubblewrap':
      return BubblewrapExecutor.create({ ...config, log });
    case 'process':
      return ProcessExecutor.create({ user: config.user, log });
  }
}
