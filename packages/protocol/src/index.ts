export * from './build-job.ts';
export * from './jobs-v1.ts';
export * from './client.ts';
export * from './host-commands.ts';
