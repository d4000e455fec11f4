import { describe, expect, it } from 'vitest';
import { appspec, parsed } from '../test-helpers.ts';
import { lifecycleEvents, planHookRuns } from './lifecycle-events.ts';

const names = (options: Parameters<typeof lifecycleEvents>[0]) =>
  lifecycleEvents(options).map((event) => event.name);

describe('lifecycleEvents', () => {
  it('orders an in-place deployment without a load balancer', () => {
    expect(names({ loadBalanced: false })).toEqual([
      'ApplicationStop',
      'DownloadBundle',
      'BeforeInstall',
      'Install',
      'AfterInstall',
      'ApplicationStart',
      'ValidateService',
    ]);
  });

  it('wraps an in-place deployment with a load balancer in the traffic events', () => {
    expect(names({ loadBalanced: true })).toEqual([
      'BeforeBlockTraffic',
      'BlockTraffic',
      'AfterBlockTraffic',
      'ApplicationStop',
      'DownloadBundle',
      'BeforeInstall',
      'Install',
      'AfterInstall',
      'ApplicationStart',
      'ValidateService',
      'BeforeAllowTraffic',
      'AllowTraffic',
      'AfterAllowTraffic',
    ]);
  });

  it('says whose scripts each event runs and which failures may be ignored', () => {
    const events = lifecycleEvents({ loadBalanced: true });
    const bySource = (source: string) =>
      events.filter((e) => e.scriptSource === source).map((e) => e.name);
    expect(bySource('lastSuccessful')).toEqual([
      'BeforeBlockTraffic',
      'AfterBlockTraffic',
      'ApplicationStop',
    ]);
    expect(bySource('none')).toEqual(['BlockTraffic', 'DownloadBundle', 'Install', 'AllowTraffic']);
    expect(events.filter((e) => e.failureIgnorable).map((e) => e.name)).toEqual(
      bySource('lastSuccessful'),
    );
  });

  it('orders the replacement and original instances of a blue/green deployment', () => {
    expect(names({ role: 'replacement', loadBalanced: true })).toEqual([
      'ApplicationStop',
      'DownloadBundle',
      'BeforeInstall',
      'Install',
      'AfterInstall',
      'ApplicationStart',
      'ValidateService',
      'BeforeAllowTraffic',
      'AllowTraffic',
      'AfterAllowTraffic',
    ]);
    expect(names({ role: 'original', loadBalanced: true })).toEqual([
      'BeforeBlockTraffic',
      'BlockTraffic',
      'AfterBlockTraffic',
    ]);
  });

  it('swaps the traffic events in a blue/green rollback', () => {
    expect(names({ role: 'original', loadBalanced: true, blueGreenRollback: true })).toEqual([
      'BeforeAllowTraffic',
      'AllowTraffic',
      'AfterAllowTraffic',
    ]);
    expect(names({ role: 'replacement', loadBalanced: true, blueGreenRollback: true })).toEqual([
      'BeforeBlockTraffic',
      'BlockTraffic',
      'AfterBlockTraffic',
    ]);
  });
});

describe('planHookRuns', () => {
  const previous = parsed(
    appspec('hooks:', '  ApplicationStop:', '    - location: old/stop.sh', '      timeout: 30'),
  );
  const revision = parsed(
    appspec(
      'hooks:',
      '  ApplicationStop:',
      '    - location: new/stop.sh',
      '  BeforeInstall:',
      '    - location: new/before.sh',
      '  ValidateService:',
      '    - location: new/validate.sh',
    ),
  );
  const scripts = (runs: ReturnType<typeof planHookRuns>) =>
    runs.map((run) => [run.name, run.scripts.map((s) => s.location)]);

  it("runs ApplicationStop from the last successful revision's appspec", () => {
    const runs = planHookRuns(lifecycleEvents({ loadBalanced: false }), {
      revision,
      lastSuccessful: previous,
    });
    expect(scripts(runs)).toEqual([
      ['ApplicationStop', ['old/stop.sh']],
      ['DownloadBundle', []],
      ['BeforeInstall', ['new/before.sh']],
      ['Install', []],
      ['AfterInstall', []],
      ['ApplicationStart', []],
      ['ValidateService', ['new/validate.sh']],
    ]);
  });

  it('runs no ApplicationStop on the first deployment to an instance', () => {
    const runs = planHookRuns(lifecycleEvents({ loadBalanced: false }), {
      revision,
      lastSuccessful: undefined,
    });
    expect(runs[0]).toEqual({
      name: 'ApplicationStop',
      scriptSource: 'lastSuccessful',
      failureIgnorable: true,
      scripts: [],
    });
    expect(runs[2]?.scripts.map((s) => s.location)).toEqual(['new/before.sh']);
  });
});
