import { describe, expect, it } from 'vitest';
import { parsePhaseReport } from './phase-report.ts';

const report = (...parts: string[]) => Buffer.from(parts.join(''));
const entries = (list: string[]) => `${list.map((entry) => `${entry}\0`).join('')}\0`;
const dump = (env: string[], cwd: string, variables: string[] = []) =>
  `D\n${entries(env)}${entries([...env, ...variables])}${cwd}\n`;

describe('parsePhaseReport', () => {
  it('reads a phase whose commands all returned 0, with its state', () => {
    const parsed = parsePhaseReport(
      report(
        'R\nS 0\nE 0 0\nS 1\nE 1 0\n',
        dump(['A=1', 'MULTI=x\ny=z', 'SHLVL=2', '_=/usr/bin/env', 'PWD=/w'], '/w/sub', [
          'TAG=v1',
          'EMPTY=',
          'IFS= \t\n',
          'BASH_VERSION=5',
          '__slipway_s=0',
        ]),
      ),
    );
    expect(parsed).toEqual({
      ready: true,
      completed: 2,
      failed: undefined,
      unfinished: undefined,
      state: {
        cwd: '/w/sub',
        env: { A: '1', MULTI: 'x\ny=z' },
        variables: { TAG: 'v1', EMPTY: '' },
      },
    });
  });

  it('reads a command that returned non-zero', () => {
    const parsed = parsePhaseReport(report('R\nS 0\nE 0 0\nS 1\nE 1 127\n', dump([], '/')));
    expect(parsed).toMatchObject({ completed: 1, failed: { index: 1, exitCode: 127 } });
    expect(parsed.state).toEqual({ cwd: '/', env: {}, variables: {} });
  });

  it('reads a command that never returned', () => {
    const parsed = parsePhaseReport(report('R\nS 0\nE 0 0\nS 1\n'));
    expect(parsed).toMatchObject({
      completed: 1,
      failed: undefined,
      unfinished: 1,
      state: undefined,
    });
  });

  it('reads a shell that never got into its directory', () => {
    expect(parsePhaseReport(Buffer.alloc(0))).toMatchObject({ ready: false, completed: 0 });
  });

  it('drops a state cut short', () => {
    expect(parsePhaseReport(report('R\nD\nA=1\0')).state).toBeUndefined();
    expect(parsePhaseReport(report('R\nD\nA=1\0\0A=1\0')).state).toBeUndefined();
    expect(parsePhaseReport(report('R\nD\nA=1\0\0A=1\0\0/w')).state).toBeUndefined();
  });

  it('keeps a directory name with a newline in it', () => {
    expect(parsePhaseReport(report('R\n', dump([], '/w/a\nb'))).state?.cwd).toBe('/w/a\nb');
  });

  it('skips lines a build wrote that are not records', () => {
    const parsed = parsePhaseReport(report('R\nS 0\nS x\nE 0 -1\nE 99999999999 0\nhello\nE 0 0\n'));
    expect(parsed).toMatchObject({
      ready: true,
      completed: 1,
      failed: undefined,
      unfinished: undefined,
    });
  });
});
