import { describe, expect, it } from 'vitest';
import { appspec, errorsOf, parsed, warningsOf } from './test-helpers.ts';

describe('files', () => {
  it('keeps the source as written and normalizes both paths', () => {
    expect(
      parsed(appspec('files:', '  - source: ./app/', '    destination: /srv//app/')).files,
    ).toEqual([
      { source: './app/', bundlePath: 'app', destination: '/srv/app', overwrite: undefined },
    ]);
  });

  it('reads a per-mapping overwrite flag', () => {
    const spec = parsed(
      appspec(
        'files:',
        '  - source: /',
        '    destination: /opt/app',
        '    overwrite: true',
        'file_exists_behavior: OVERWRITE',
      ),
    );
    expect(spec.files[0]?.overwrite).toBe(true);
    expect(spec.fileExistsBehavior).toBe('OVERWRITE');
  });

  it('refuses a non-boolean overwrite', () => {
    expect(
      errorsOf(appspec('files:', '  - source: a', '    destination: /a', '    overwrite: maybe')),
    ).toEqual([
      "appspec.yml line 6: files[0].overwrite: expected true or false, found 'maybe' instead",
    ]);
  });

  it('requires source and destination', () => {
    expect(errorsOf(appspec('files:', '  - destination: /a', '  - source: a', '  - {}'))).toEqual([
      'appspec.yml line 4: files[0].source: source is required',
      'appspec.yml line 5: files[1].destination: destination is required',
      'appspec.yml line 6: files[2].source: source is required',
      'appspec.yml line 6: files[2].destination: destination is required',
    ]);
  });

  it('refuses empty and non-scalar paths', () => {
    expect(errorsOf(appspec('files:', '  - source: ""', '    destination: [/a]'))).toEqual([
      'appspec.yml line 4: files[0].source: source is required',
      'appspec.yml line 5: files[0].destination: expected a string, found a sequence instead',
    ]);
  });

  it('refuses sources that escape the bundle', () => {
    expect(
      errorsOf(
        appspec(
          'files:',
          '  - source: ../../etc',
          '    destination: /tmp/a',
          '  - source: app/../../x',
          '    destination: /tmp/b',
          '  - source: /../etc/shadow',
          '    destination: /tmp/c',
        ),
      ),
    ).toEqual([
      "appspec.yml line 4: files[0].source: '../../etc' escapes the bundle",
      "appspec.yml line 6: files[1].source: 'app/../../x' escapes the bundle",
      "appspec.yml line 8: files[2].source: '/../etc/shadow' escapes the bundle",
    ]);
  });

  it('refuses relative destinations and destinations with ..', () => {
    expect(
      errorsOf(
        appspec(
          'files:',
          '  - source: a',
          '    destination: srv/app',
          '  - source: b',
          '    destination: /srv/app/../../etc',
        ),
      ),
    ).toEqual([
      "appspec.yml line 5: files[0].destination: must be an absolute path, found 'srv/app'",
      "appspec.yml line 7: files[1].destination: must not contain '..', found '/srv/app/../../etc'",
    ]);
  });

  it('refuses a mapping written as a scalar, a list or nothing', () => {
    expect(errorsOf(appspec('files:', '  - /app', '  - [a, /b]', '  -'))).toEqual([
      "appspec.yml line 4: files[0]: expected a mapping with a source and a destination, found '/app' instead",
      'appspec.yml line 5: files[1]: expected a mapping, found a sequence instead',
      "appspec.yml line 6: files[2]: expected a mapping with a source and a destination, found '' instead",
    ]);
  });

  it('warns about unknown keys in a mapping and goes on', () => {
    const text = appspec('files:', '  - source: a', '    destination: /a', '    mode: 644');
    expect(parsed(text).files).toHaveLength(1);
    expect(warningsOf(text)).toEqual(['appspec.yml line 6: files[0].mode: unknown key, ignored']);
  });

  it('treats an empty files section as no files', () => {
    expect(parsed(appspec('files:')).files).toEqual([]);
  });
});
