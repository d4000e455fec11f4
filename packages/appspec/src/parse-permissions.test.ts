import { describe, expect, it } from 'vitest';
import { appspec, errorsOf, parsed, warningsOf } from './test-helpers.ts';

describe('permissions', () => {
  it('parses the AWS documentation permissions example', () => {
    // reference-appspec-file-structure-permissions.html
    const spec = parsed(
      appspec(
        'permissions:',
        '  - object: /tmp/my-app',
        '    pattern: "**"',
        '    owner: ec2-user',
        '    group: ec2-user',
        '    mode: 644',
        '    type:',
        '      - file',
        '  - object: /var/my-app',
        '    pattern: "*.txt"',
        '    except: [my-app-helper.txt]',
        '    owner: ec2-user',
        '    mode: 4755',
        '    acls:',
        '      - u:ec2-user:rw',
        '    type:',
        '      - directory',
      ),
    );
    expect(spec.permissions).toEqual([
      {
        object: '/tmp/my-app',
        pattern: '**',
        except: [],
        owner: 'ec2-user',
        group: 'ec2-user',
        mode: '644',
        acls: [],
        context: undefined,
        type: ['file'],
      },
      {
        object: '/var/my-app',
        pattern: '*.txt',
        except: ['my-app-helper.txt'],
        owner: 'ec2-user',
        group: undefined,
        mode: '4755',
        acls: ['u:ec2-user:rw'],
        context: undefined,
        type: ['directory'],
      },
    ]);
  });

  it('defaults the pattern to ** and the types to both', () => {
    const [permission] = parsed(appspec('permissions:', '  - object: /srv/app/')).permissions;
    expect(permission).toMatchObject({
      object: '/srv/app',
      pattern: '**',
      type: ['file', 'directory'],
    });
  });

  it('reads the mode as written, padded to three digits as the agent does', () => {
    const modes = ['0644', '644', '44', '7', '4755'].map(
      (mode) =>
        parsed(appspec('permissions:', '  - object: /a', `    mode: ${mode}`)).permissions[0]?.mode,
    );
    expect(modes).toEqual(['0644', '644', '044', '007', '4755']);
  });

  it('refuses modes that are not one to four octal digits', () => {
    for (const mode of ['0o644', '888', '07777', 'rwxr-xr-x', '-1', '6.44']) {
      expect(errorsOf(appspec('permissions:', '  - object: /a', `    mode: ${mode}`))).toEqual([
        `appspec.yml line 5: permissions[0].mode: '${mode}' is not a mode: use one to four octal digits, e.g. 644 or 4755`,
      ]);
    }
  });

  it('requires an absolute object without ..', () => {
    expect(
      errorsOf(
        appspec('permissions:', '  - owner: root', '  - object: tmp', '  - object: /srv/../etc'),
      ),
    ).toEqual([
      'appspec.yml line 4: permissions[0].object: object is required',
      "appspec.yml line 5: permissions[1].object: must be an absolute path, found 'tmp'",
      "appspec.yml line 6: permissions[2].object: must not contain '..', found '/srv/../etc'",
    ]);
  });

  it('refuses owners and groups that are not user names, and accepts numeric ids', () => {
    expect(
      parsed(appspec('permissions:', '  - object: /a', '    owner: 1000', '    group: www-data'))
        .permissions[0],
    ).toMatchObject({ owner: '1000', group: 'www-data' });
    expect(
      errorsOf(appspec('permissions:', '  - object: /a', '    owner: "-R root"', '    group: a b')),
    ).toEqual([
      "appspec.yml line 5: permissions[0].owner: '-R root' is not a Linux user or group name",
      "appspec.yml line 6: permissions[0].group: 'a b' is not a Linux user or group name",
    ]);
  });

  it('checks ACL entries', () => {
    expect(
      parsed(
        appspec(
          'permissions:',
          '  - object: /a',
          '    acls: ["u:bob:rw", "d:g::r-x", "default:user:ann:rwx", "m::r", "other::---"]',
        ),
      ).permissions[0]?.acls,
    ).toEqual(['u:bob:rw', 'd:g::r-x', 'default:user:ann:rwx', 'm::r', 'other::---']);
    expect(
      errorsOf(appspec('permissions:', '  - object: /a', '    acls: [bob:rw, "u:bob:rwxs"]')),
    ).toEqual([
      "appspec.yml line 5: permissions[0].acls[0]: 'bob:rw' is not an ACL entry such as u:bob:rw or d:g::r-x",
      "appspec.yml line 5: permissions[0].acls[1]: 'u:bob:rwxs' is not an ACL entry such as u:bob:rw or d:g::r-x",
    ]);
  });

  it('accepts an SELinux context with a warning that it is not applied', () => {
    const text = appspec(
      'permissions:',
      '  - object: /var/www',
      '    context:',
      '      user: unconfined_u',
      '      type: httpd_sys_content_t',
      '      range: s0-s15:c0.c1023',
    );
    expect(parsed(text).permissions[0]?.context).toEqual({
      user: 'unconfined_u',
      type: 'httpd_sys_content_t',
      range: 's0-s15:c0.c1023',
    });
    expect(warningsOf(text)).toEqual([
      "appspec.yml line 5: permissions[0].context: SELinux contexts are accepted but not applied by Slipway's agent",
    ]);
  });

  it('requires a context type and a well-formed range', () => {
    expect(
      errorsOf(
        appspec(
          'permissions:',
          '  - object: /a',
          '    context:',
          '      name: u',
          '      range: low',
        ),
      ),
    ).toEqual([
      'appspec.yml line 5: permissions[0].context.type: type is required',
      "appspec.yml line 7: permissions[0].context.range: 'low' is not an SELinux range such as s0 or s0-s15:c0.c1023",
    ]);
  });

  it('refuses unknown object types and a type that is not a list', () => {
    expect(
      errorsOf(
        appspec(
          'permissions:',
          '  - object: /a',
          '    type: [file, symlink]',
          '  - object: /b',
          '    type: file',
        ),
      ),
    ).toEqual([
      "appspec.yml line 5: permissions[0].type[1]: unknown type 'symlink': expected file or directory",
      "appspec.yml line 7: permissions[1].type: expected a sequence, found 'file' instead",
    ]);
  });

  it('refuses except written as a string', () => {
    expect(errorsOf(appspec('permissions:', '  - object: /a', '    except: a.txt'))).toEqual([
      "appspec.yml line 5: permissions[0].except: expected a sequence, found 'a.txt' instead",
    ]);
  });

  it('refuses a permission written as a scalar', () => {
    expect(errorsOf(appspec('permissions:', '  - /var/www'))).toEqual([
      "appspec.yml line 4: permissions[0]: expected a mapping with an object, found '/var/www' instead",
    ]);
  });
});
