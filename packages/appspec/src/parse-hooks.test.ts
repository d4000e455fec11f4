import { describe, expect, it } from 'vitest';
import { hookEventNames } from './appspec.model.ts';
import { appspec, errorsOf, parsed, warningsOf } from './test-helpers.ts';

function hook(event: string, ...lines: string[]): string {
  return appspec('hooks:', `  ${event}:`, ...lines);
}

describe('hooks', () => {
  it('accepts every Server event, the load-balancer events included', () => {
    expect(hookEventNames).toEqual([
      'BeforeBlockTraffic',
      'AfterBlockTraffic',
      'ApplicationStop',
      'BeforeInstall',
      'AfterInstall',
      'ApplicationStart',
      'ValidateService',
      'BeforeAllowTraffic',
      'AfterAllowTraffic',
    ]);
    for (const event of hookEventNames) {
      expect(Object.keys(parsed(hook(event, '    - location: s.sh')).hooks)).toEqual([event]);
    }
  });

  it('refuses the events CodeDeploy runs itself', () => {
    for (const event of ['DownloadBundle', 'Install', 'BlockTraffic', 'AllowTraffic']) {
      expect(errorsOf(hook(event, '    - location: s.sh'))).toEqual([
        `appspec.yml line 4: hooks.${event}: ${event} is run by CodeDeploy itself and cannot have hooks`,
      ]);
    }
  });

  it('refuses ECS events, misspelt events and unknown events', () => {
    expect(errorsOf(hook('AllowTestTraffic', '    - location: s.sh'))).toEqual([
      'appspec.yml line 4: hooks.AllowTestTraffic: AllowTestTraffic is an ECS lifecycle event; a Server deployment cannot hook it',
    ]);
    expect(errorsOf(hook('applicationStart', '    - location: s.sh'))).toEqual([
      'appspec.yml line 4: hooks.applicationStart: unknown lifecycle event: did you mean ApplicationStart? (names are case-sensitive)',
    ]);
    expect(errorsOf(hook('AfterStart', '    - location: s.sh'))[0]).toBe(
      'appspec.yml line 4: hooks.AfterStart: unknown lifecycle event: expected one of BeforeBlockTraffic, AfterBlockTraffic, ApplicationStop, BeforeInstall, AfterInstall, ApplicationStart, ValidateService, BeforeAllowTraffic, AfterAllowTraffic',
    );
  });

  it('treats an event without scripts as no scripts', () => {
    expect(parsed(hook('BeforeInstall')).hooks).toEqual({ BeforeInstall: [] });
  });

  it('normalizes the location and keeps it as written', () => {
    expect(parsed(hook('BeforeInstall', '    - location: ./scripts//install.sh')).hooks).toEqual({
      BeforeInstall: [
        {
          location: './scripts//install.sh',
          bundlePath: 'scripts/install.sh',
          timeoutSeconds: 3600,
          runAs: undefined,
        },
      ],
    });
  });

  it('requires a location inside the bundle', () => {
    expect(
      errorsOf(
        hook(
          'BeforeInstall',
          '    - timeout: 10',
          '    - location: ""',
          '    - location: ../../bin/sh',
          '    - location: /../usr/bin/env',
          '    - location: /',
          '    - location: scripts/..',
        ),
      ),
    ).toEqual([
      'appspec.yml line 5: hooks.BeforeInstall[0].location: location is required',
      'appspec.yml line 6: hooks.BeforeInstall[1].location: location is required',
      "appspec.yml line 7: hooks.BeforeInstall[2].location: '../../bin/sh' escapes the bundle",
      "appspec.yml line 8: hooks.BeforeInstall[3].location: '/../usr/bin/env' escapes the bundle",
      'appspec.yml line 9: hooks.BeforeInstall[4].location: must name a file in the bundle, not the bundle itself',
      'appspec.yml line 10: hooks.BeforeInstall[5].location: must name a file in the bundle, not the bundle itself',
    ]);
  });

  it('reads timeouts as whole seconds, quoted or not, up to 3600', () => {
    const timeouts = ['1', '"300"', '3600', '~'].map(
      (t) =>
        parsed(hook('AfterInstall', '    - location: a.sh', `      timeout: ${t}`)).hooks
          .AfterInstall?.[0]?.timeoutSeconds,
    );
    expect(timeouts).toEqual([1, 300, 3600, 3600]);
  });

  it('refuses timeouts that are not positive whole seconds or exceed 3600', () => {
    const errors = ['0', '-5', '1.5', '5m', '3601', '99999999999', '{}'].map((t) =>
      errorsOf(hook('AfterInstall', '    - location: a.sh', `      timeout: ${t}`)),
    );
    expect(errors).toEqual([
      [
        "appspec.yml line 6: hooks.AfterInstall[0].timeout: expected a whole number of seconds above 0, found '0' instead",
      ],
      [
        "appspec.yml line 6: hooks.AfterInstall[0].timeout: expected a whole number of seconds above 0, found '-5' instead",
      ],
      [
        "appspec.yml line 6: hooks.AfterInstall[0].timeout: expected a whole number of seconds above 0, found '1.5' instead",
      ],
      [
        "appspec.yml line 6: hooks.AfterInstall[0].timeout: expected a whole number of seconds above 0, found '5m' instead",
      ],
      [
        "appspec.yml line 6: hooks.AfterInstall[0].timeout: 3601 seconds is over CodeDeploy's limit of 3600 seconds for a lifecycle event",
      ],
      [
        "appspec.yml line 6: hooks.AfterInstall[0].timeout: expected a whole number of seconds above 0, found '99999999999' instead",
      ],
      [
        'appspec.yml line 6: hooks.AfterInstall[0].timeout: expected a number of seconds, found a mapping (subkeys) instead',
      ],
    ]);
  });

  it("warns when an event's written timeouts add up to more than an hour", () => {
    const text = hook(
      'ApplicationStart',
      '    - location: a.sh',
      '      timeout: 1800',
      '    - location: b.sh',
      '      timeout: 1801',
    );
    expect(parsed(text).hooks.ApplicationStart).toHaveLength(2);
    expect(warningsOf(text)).toEqual([
      'appspec.yml line 4: hooks.ApplicationStart: the timeouts add up to 3601 seconds; the event fails if its scripts run longer than 3600 seconds in total',
    ]);
  });

  it('does not warn for scripts that leave the timeout at its default', () => {
    expect(
      warningsOf(hook('ApplicationStart', '    - location: a.sh', '    - location: b.sh')),
    ).toEqual([]);
  });

  it('reads runas and refuses what is not a user name', () => {
    expect(
      parsed(hook('ApplicationStart', '    - location: a.sh', '      runas: " ec2-user "')).hooks
        .ApplicationStart?.[0]?.runAs,
    ).toBe('ec2-user');
    expect(
      errorsOf(
        hook(
          'ApplicationStart',
          '    - location: a.sh',
          '      runas: "-c id"',
          '    - location: b.sh',
          '      runas: "root; rm -rf /"',
        ),
      ),
    ).toEqual([
      "appspec.yml line 6: hooks.ApplicationStart[0].runas: '-c id' is not a Linux user name",
      "appspec.yml line 8: hooks.ApplicationStart[1].runas: 'root; rm -rf /' is not a Linux user name",
    ]);
  });

  it('warns that sudo is ignored and about unknown keys', () => {
    expect(
      warningsOf(
        hook('ApplicationStart', '    - location: a.sh', '      sudo: true', '      user: x'),
      ),
    ).toEqual([
      'appspec.yml line 6: hooks.ApplicationStart[0].sudo: sudo is not supported, ignored: use runas',
      'appspec.yml line 7: hooks.ApplicationStart[0].user: unknown key, ignored',
    ]);
  });

  it('refuses scripts written as strings and events written as mappings', () => {
    expect(errorsOf(hook('ApplicationStart', '    - scripts/start.sh'))).toEqual([
      "appspec.yml line 5: hooks.ApplicationStart[0]: expected a mapping with a location (- location: …), found 'scripts/start.sh' instead",
    ]);
    expect(errorsOf(hook('ApplicationStart', '    location: a.sh'))).toEqual([
      'appspec.yml line 4: hooks.ApplicationStart: expected a sequence, found a mapping (subkeys) instead',
    ]);
  });
});
