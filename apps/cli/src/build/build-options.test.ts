import { describe, expect, it } from 'vitest';
import { parseBuildOptions, UsageError } from './build-options.ts';
import { exitCodeFor } from './exit-codes.ts';

describe('parseBuildOptions', () => {
  it('reads repeatable --env pairs, keeping "=" in values', () => {
    const options = parseBuildOptions(['--env', 'A=1', '--env', 'B=x=y'], {}, true);
    expect(options.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'x=y' },
    ]);
    expect(options).toMatchObject({
      network: true,
      timeoutMs: 3_600_000,
      isolation: 'bubblewrap',
      color: true,
    });
  });

  it('turns colour off for NO_COLOR, --no-color or a non-terminal', () => {
    expect(parseBuildOptions([], { NO_COLOR: '1' }, true).color).toBe(false);
    expect(parseBuildOptions(['--no-color'], {}, true).color).toBe(false);
    expect(parseBuildOptions([], {}, false).color).toBe(false);
  });

  it('reports every bad option at once', () => {
    expect(() =>
      parseBuildOptions(['--env', 'novalue', '--timeout', '0', '--network', 'x'], {}, false),
    ).toThrow(
      new UsageError(
        '--env novalue: expected NAME=VALUE\n--network x: expected host or none\n' +
          '--timeout 0: expected minutes, more than 0 and at most 2160',
      ),
    );
  });

  it('maps each build status to its exit code', () => {
    expect(
      ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'FAULT', 'STOPPED'].map((s) => exitCodeFor(s as never)),
    ).toEqual([0, 1, 3, 4, 130]);
  });
});
