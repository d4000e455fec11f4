import { describe, expect, it } from 'vitest';
import { appspec, parsed } from '../test-helpers.ts';
import { fileExistsBehaviorFor } from './file-exists-behavior.ts';

function behaviorOf(lines: string[], deployment: 'DISALLOW' | 'OVERWRITE' | 'RETAIN' | undefined) {
  const appSpec = parsed(appspec('files:', '  - source: /', '    destination: /srv/app', ...lines));
  const [mapping] = appSpec.files;
  if (mapping === undefined) throw new Error('no mapping');
  return fileExistsBehaviorFor(mapping, { appSpec, deployment });
}

describe('fileExistsBehaviorFor', () => {
  it('defaults to DISALLOW', () => {
    expect(behaviorOf([], undefined)).toBe('DISALLOW');
  });

  it("takes the deployment's setting when the appspec has none", () => {
    expect(behaviorOf([], 'RETAIN')).toBe('RETAIN');
  });

  it("lets the appspec's file_exists_behavior override the deployment's", () => {
    expect(behaviorOf(['file_exists_behavior: OVERWRITE'], 'RETAIN')).toBe('OVERWRITE');
  });

  it('overwrites for a mapping with overwrite: true, and only then', () => {
    expect(behaviorOf(['    overwrite: true', 'file_exists_behavior: DISALLOW'], 'RETAIN')).toBe(
      'OVERWRITE',
    );
    expect(behaviorOf(['    overwrite: false'], 'RETAIN')).toBe('RETAIN');
  });
});
