import { describe, expect, it } from 'vitest';
import { parseAppSpec } from './parse-appspec.ts';
import { appspec, errorsOf, parsed, warningsOf, yaml } from './test-helpers.ts';

describe('parseAppSpec', () => {
  it('parses the AWS documentation example for an EC2/on-premises deployment', () => {
    // reference-appspec-file-example.html, "AppSpec file example for an EC2/On-Premises deployment"
    const text = yaml(
      'version: 0.0',
      'os: linux',
      'files:',
      '  - source: Config/config.txt',
      '    destination: /webapps/Config',
      '  - source: source',
      '    destination: /webapps/myApp',
      'hooks:',
      '  BeforeInstall:',
      '    - location: Scripts/UnzipResourceBundle.sh',
      '    - location: Scripts/UnzipDataBundle.sh',
      '  AfterInstall:',
      '    - location: Scripts/RunResourceTests.sh',
      '      timeout: 180',
      '  ApplicationStart:',
      '    - location: Scripts/RunFunctionalTests.sh',
      '      timeout: 3600',
      '  ValidateService:',
      '    - location: Scripts/MonitorService.sh',
      '      timeout: 3600',
      '      runas: codedeployuser',
    );
    expect(parsed(text)).toEqual({
      version: '0.0',
      os: 'linux',
      files: [
        {
          source: 'Config/config.txt',
          bundlePath: 'Config/config.txt',
          destination: '/webapps/Config',
          overwrite: undefined,
        },
        {
          source: 'source',
          bundlePath: 'source',
          destination: '/webapps/myApp',
          overwrite: undefined,
        },
      ],
      fileExistsBehavior: undefined,
      permissions: [],
      hooks: {
        BeforeInstall: [
          {
            location: 'Scripts/UnzipResourceBundle.sh',
            bundlePath: 'Scripts/UnzipResourceBundle.sh',
            timeoutSeconds: 3600,
            runAs: undefined,
          },
          {
            location: 'Scripts/UnzipDataBundle.sh',
            bundlePath: 'Scripts/UnzipDataBundle.sh',
            timeoutSeconds: 3600,
            runAs: undefined,
          },
        ],
        AfterInstall: [
          {
            location: 'Scripts/RunResourceTests.sh',
            bundlePath: 'Scripts/RunResourceTests.sh',
            timeoutSeconds: 180,
            runAs: undefined,
          },
        ],
        ApplicationStart: [
          {
            location: 'Scripts/RunFunctionalTests.sh',
            bundlePath: 'Scripts/RunFunctionalTests.sh',
            timeoutSeconds: 3600,
            runAs: undefined,
          },
        ],
        ValidateService: [
          {
            location: 'Scripts/MonitorService.sh',
            bundlePath: 'Scripts/MonitorService.sh',
            timeoutSeconds: 3600,
            runAs: 'codedeployuser',
          },
        ],
      },
    });
    expect(warningsOf(text)).toEqual([]);
  });

  it('parses the CodeDeploy tutorial appspec (WordPress on Amazon Linux)', () => {
    // tutorials-wordpress-configure-content.html
    const text = yaml(
      'version: 0.0',
      'os: linux',
      'files:',
      '  - source: /',
      '    destination: /var/www/html/WordPress',
      'hooks:',
      '  BeforeInstall:',
      '    - location: scripts/install_dependencies.sh',
      '      timeout: 300',
      '      runas: root',
      '  AfterInstall:',
      '    - location: scripts/change_permissions.sh',
      '      timeout: 300',
      '      runas: root',
      '  ApplicationStart:',
      '    - location: scripts/start_server.sh',
      '    - location: scripts/create_test_db.sh',
      '      timeout: 300',
      '      runas: root',
      '  ApplicationStop:',
      '    - location: scripts/stop_server.sh',
      '      timeout: 300',
      '      runas: root',
    );
    const spec = parsed(text);
    expect(spec.files).toEqual([
      { source: '/', bundlePath: '', destination: '/var/www/html/WordPress', overwrite: undefined },
    ]);
    expect(Object.keys(spec.hooks)).toEqual([
      'BeforeInstall',
      'AfterInstall',
      'ApplicationStart',
      'ApplicationStop',
    ]);
    expect(spec.hooks.ApplicationStart?.map((s) => [s.location, s.timeoutSeconds])).toEqual([
      ['scripts/start_server.sh', 3600],
      ['scripts/create_test_db.sh', 300],
    ]);
  });

  it('parses version and os alone: files, permissions and hooks are optional', () => {
    expect(parsed(appspec())).toEqual({
      version: '0.0',
      os: 'linux',
      files: [],
      fileExistsBehavior: undefined,
      permissions: [],
      hooks: {},
    });
  });

  it('reads the appspec file_exists_behavior in any case', () => {
    expect(parsed(appspec('file_exists_behavior: OVERWRITE')).fileExistsBehavior).toBe('OVERWRITE');
    expect(parsed(appspec('file_exists_behavior: retain')).fileExistsBehavior).toBe('RETAIN');
    expect(parsed(appspec('file_exists_behavior:')).fileExistsBehavior).toBeUndefined();
  });

  it('refuses an unknown file_exists_behavior', () => {
    expect(errorsOf(appspec('file_exists_behavior: REPLACE'))).toEqual([
      "appspec.yml line 3: file_exists_behavior: unknown file_exists_behavior 'REPLACE': expected DISALLOW, OVERWRITE, RETAIN",
    ]);
  });

  it('accepts 0.0 as Ruby compares it: 0, 0.0, 0.00 and a quoted "0.0"', () => {
    for (const version of ['0', '0.0', '0.00', '"0.0"']) {
      expect(parsed(yaml(`version: ${version}`, 'os: linux')).version).toBe('0.0');
    }
  });

  it('refuses other versions and a missing version', () => {
    expect(errorsOf(yaml('version: 0.2', 'os: linux'))).toEqual([
      "appspec.yml line 1: version: unsupported appspec version '0.2': use 0.0",
    ]);
    expect(errorsOf(yaml('os: linux'))).toEqual([
      'appspec.yml line 1: version: version is required: use 0.0',
    ]);
    expect(errorsOf(yaml('version:', 'os: linux'))).toEqual([
      'appspec.yml line 1: version: version is required: use 0.0',
    ]);
    expect(errorsOf(yaml('version: [0.0]', 'os: linux'))).toEqual([
      'appspec.yml line 1: version: expected a string, found a sequence instead',
    ]);
  });

  it('refuses windows with the reason, and other operating systems', () => {
    expect(errorsOf(yaml('version: 0.0', 'os: windows'))).toEqual([
      'appspec.yml line 2: os: os windows is not supported: Slipway deploys to Linux hosts only, use linux',
    ]);
    expect(errorsOf(yaml('version: 0.0', 'os: Linux'))).toEqual([
      "appspec.yml line 2: os: unsupported os 'Linux': use linux (lower case)",
    ]);
    expect(errorsOf(yaml('version: 0.0', 'os: macos'))).toEqual([
      "appspec.yml line 2: os: unsupported os 'macos': use linux",
    ]);
    expect(errorsOf(yaml('version: 0.0'))).toEqual([
      'appspec.yml line 1: os: os is required: use linux',
    ]);
  });

  it('refuses unknown top-level keys, a misspelt section included', () => {
    expect(errorsOf(appspec('hook:', '  BeforeInstall:', '    - location: a.sh'))).toEqual([
      'appspec.yml line 3: hook: unknown key: expected version, os, files, file_exists_behavior, permissions, hooks',
    ]);
  });

  it('reports every problem at once, in document order', () => {
    const text = yaml(
      'version: 1.0',
      'os: windows',
      'files:',
      '  - source: ../etc',
      '    destination: var/www',
      'permissions:',
      '  - object: /var/www',
      '    mode: 999',
      'hooks:',
      '  Install:',
      '    - location: install.sh',
      '  AfterInstall:',
      '    - timeout: 0',
      'extra: 1',
    );
    expect(errorsOf(text)).toEqual([
      "appspec.yml line 1: version: unsupported appspec version '1.0': use 0.0",
      'appspec.yml line 2: os: os windows is not supported: Slipway deploys to Linux hosts only, use linux',
      "appspec.yml line 4: files[0].source: '../etc' escapes the bundle",
      "appspec.yml line 5: files[0].destination: must be an absolute path, found 'var/www'",
      "appspec.yml line 8: permissions[0].mode: '999' is not a mode: use one to four octal digits, e.g. 644 or 4755",
      'appspec.yml line 10: hooks.Install: Install is run by CodeDeploy itself and cannot have hooks',
      'appspec.yml line 13: hooks.AfterInstall[0].location: location is required',
      "appspec.yml line 13: hooks.AfterInstall[0].timeout: expected a whole number of seconds above 0, found '0' instead",
      'appspec.yml line 14: extra: unknown key: expected version, os, files, file_exists_behavior, permissions, hooks',
    ]);
  });

  it('refuses a document that is not a mapping', () => {
    expect(errorsOf('- version: 0.0\n')).toEqual([
      'appspec.yml line 1: an appspec is a mapping with at least version and os',
    ]);
    expect(errorsOf('')).toEqual([
      'appspec.yml line 1: an appspec is a mapping with at least version and os',
    ]);
  });

  it('refuses sections of the wrong shape', () => {
    expect(errorsOf(appspec('files: /', 'permissions: {}', 'hooks: [a]'))).toEqual([
      "appspec.yml line 3: files: expected a sequence, found '/' instead",
      'appspec.yml line 4: permissions: expected a sequence, found a mapping (subkeys) instead',
      'appspec.yml line 5: hooks: expected a mapping, found a sequence instead',
    ]);
  });
});

describe('parseAppSpec on hostile input', () => {
  it('reports YAML syntax errors with their line', () => {
    const errors = errorsOf(yaml('version: 0.0', 'os: linux', 'files:', '  - source: [a', 'x: }'));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^appspec\.yml line [45]: /);
  });

  it('refuses a text over the size limit before parsing it', () => {
    const big = appspec(`# ${'x'.repeat(2000)}`);
    expect(errorsOf(big, { maxBytes: 1000 })).toEqual([
      'appspec.yml: the appspec is over the limit of 1000 bytes',
    ]);
    // Counted in UTF-8 bytes, not characters.
    expect(errorsOf(appspec(`# ${'é'.repeat(600)}`), { maxBytes: 1000 })).toEqual([
      'appspec.yml: the appspec is over the limit of 1000 bytes',
    ]);
  });

  it('refuses the default 1 MiB limit plus one byte', () => {
    const text = `${appspec()}#${'x'.repeat(1024 * 1024)}`;
    expect(errorsOf(text)).toEqual(['appspec.yml: the appspec is over the limit of 1048576 bytes']);
  });

  it('refuses a billion-laughs alias bomb by its node budget', () => {
    const lines = ['version: 0.0', 'os: linux', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 8; i += 1) {
      const refs = Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ');
      lines.push(`a${i}: &a${i} [${refs}]`);
    }
    const errors = errorsOf(yaml(...lines));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/expands to more than 100000 nodes/);
  });

  it('refuses deeply nested YAML', () => {
    const deep = `${'['.repeat(200)}${']'.repeat(200)}`;
    expect(errorsOf(appspec(`files: ${deep}`))[0]).toMatch(/nesting is deeper than 32 levels/);
  });

  it('refuses a self-referencing anchor', () => {
    expect(errorsOf(appspec('files: &f [*f]'))[0]).toMatch(
      /alias \*f refers to no anchor defined before it|nesting is deeper/,
    );
  });

  it('expands ordinary anchors and merge keys', () => {
    const spec = parsed(
      appspec(
        'hooks:',
        '  ApplicationStop:',
        '    - &stop',
        '      location: scripts/stop.sh',
        '      timeout: 60',
        '  BeforeInstall:',
        '    - <<: *stop',
        '      location: scripts/clean.sh',
      ),
    );
    expect(spec.hooks.BeforeInstall).toEqual([
      {
        location: 'scripts/clean.sh',
        bundlePath: 'scripts/clean.sh',
        timeoutSeconds: 60,
        runAs: undefined,
      },
    ]);
  });

  it('refuses non-string keys as unknown keys and collection keys outright', () => {
    expect(errorsOf(appspec('1: a', 'true: b'))).toEqual([
      'appspec.yml line 3: 1: unknown key: expected version, os, files, file_exists_behavior, permissions, hooks',
      'appspec.yml line 4: true: unknown key: expected version, os, files, file_exists_behavior, permissions, hooks',
    ]);
    expect(errorsOf(appspec('? [hooks]', ': {}'))).toEqual([
      'appspec.yml line 3: a mapping key must be a plain value, not a collection',
    ]);
  });

  it('refuses duplicate keys', () => {
    expect(errorsOf(yaml('version: 0.0', 'os: linux', 'os: linux'))).toEqual([
      'appspec.yml line 3: Map keys must be unique',
    ]);
  });

  it('refuses NUL bytes in values', () => {
    expect(errorsOf(appspec('files:', '  - source: "a\\0b"', '    destination: /srv'))).toEqual([
      'appspec.yml line 4: files[0].source: must not contain control characters (NUL, newline …)',
    ]);
    expect(
      errorsOf(
        appspec('hooks:', '  BeforeInstall:', '    - location: "x.sh"', '      runas: "root\\0"'),
      ),
    ).toEqual([
      'appspec.yml line 6: hooks.BeforeInstall[0].runas: must not contain control characters (NUL, newline …)',
    ]);
  });

  it('does not throw on a raw NUL byte in the text', () => {
    const result = parseAppSpec('version: 0.0\nos: linux\u0000\n');
    expect(result.ok).toBe(false);
  });

  it('refuses several documents', () => {
    expect(errorsOf(yaml('version: 0.0', 'os: linux', '---', 'version: 0.0'))[0]).toMatch(
      /^appspec\.yml line 3: Source contains multiple documents/,
    );
  });

  it('keeps a key named __proto__ from reaching the model', () => {
    expect(errorsOf(appspec('__proto__: {hooks: {}}'))[0]).toMatch(/__proto__: unknown key/);
  });
});
