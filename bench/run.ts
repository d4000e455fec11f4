// `npm run bench`: every benchmark in turn, each printing its section as it finishes, then one
// summary. Exits non-zero when any bench failed or reported figures it could not trust.
import { runAwsDoorBench } from './aws-door.ts';
import { runBuildsBench } from './builds.ts';
import { runColdStartBench } from './cold-start.ts';
import { runDeploymentsBench } from './deployments.ts';
import { runGitBench } from './git.ts';
import { runJobQueueBench } from './job-queue.ts';
import { runPipelinesBench } from './pipelines.ts';
import { runS3Bench } from './s3.ts';
import { formatFailures, progress, type BenchReport } from './support/report.ts';

const benches: readonly { name: string; run: () => Promise<BenchReport> }[] = [
  { name: 'aws-door', run: runAwsDoorBench },
  { name: 'job-queue', run: runJobQueueBench },
  { name: 'cold-start', run: runColdStartBench },
  { name: 'git', run: runGitBench },
  { name: 's3', run: runS3Bench },
  { name: 'builds', run: runBuildsBench },
  { name: 'pipelines', run: runPipelinesBench },
  { name: 'deployments', run: runDeploymentsBench },
];

const started = performance.now();
const reports: BenchReport[] = [];
for (const bench of benches) {
  progress(`running ${bench.name}`);
  let report: BenchReport;
  try {
    report = await bench.run();
  } catch (error) {
    report = {
      name: bench.name,
      text: `== ${bench.name}: did not complete ==`,
      headline: [`${bench.name}  DID NOT COMPLETE`],
      failures: [
        `crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      ],
    };
  }
  reports.push(report);
  process.stdout.write(`${report.text}\n\n`);
}

const problems = reports.map(formatFailures).filter((text) => text !== '');
const seconds = ((performance.now() - started) / 1000).toFixed(0);
process.stdout.write(
  [
    `== Summary (${seconds} s, Node ${process.version}) ==`,
    ...reports.flatMap((report) => report.headline.map((line) => `  ${line}`)),
    '',
    problems.length === 0 ? 'All benchmarks ran clean (no errors).' : problems.join('\n'),
    '',
  ].join('\n'),
);
if (problems.length > 0) process.exitCode = 1;
