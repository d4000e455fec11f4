import { describe, expect, it } from 'vitest';
import { selectFiles, type FileSelectionInput } from './select-files.ts';

const workspace = [
  '.env',
  'README.md',
  'buildspec.yml',
  'dist/app.js',
  'dist/app.js.map',
  'dist/assets/logo.png',
  'dist/assets/.keep',
  'my-build1/my-file1.txt',
  'my-build2/my-file2.txt',
  'my-build2/my-subdirectory/my-file3.txt',
  'node_modules/x/index.js',
  'target/messageUtil-1.0.jar',
];

function archivePaths(selection: FileSelectionInput, files = workspace): string[] {
  const result = selectFiles(files, selection);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.entries.map((e) =>
    e.path === e.archivePath ? e.path : `${e.path} -> ${e.archivePath}`,
  );
}

function errors(selection: FileSelectionInput, files = workspace): readonly string[] {
  const result = selectFiles(files, selection);
  if (result.ok) throw new Error('expected the selection to be refused');
  return result.errors;
}

describe('selectFiles', () => {
  it("'**/*' selects every file, dotfiles included", () => {
    expect(archivePaths({ files: ['**/*'] })).toEqual([...workspace].sort());
  });

  it("'*' and 'dir/*' stay in one directory", () => {
    expect(archivePaths({ files: ['*'] })).toEqual(['.env', 'README.md', 'buildspec.yml']);
    expect(archivePaths({ files: ['dist/*'] })).toEqual(['dist/app.js', 'dist/app.js.map']);
  });

  it("'dir/**/*' selects recursively", () => {
    expect(archivePaths({ files: ['dist/**/*'] })).toEqual([
      'dist/app.js',
      'dist/app.js.map',
      'dist/assets/.keep',
      'dist/assets/logo.png',
    ]);
  });

  it('a plain directory name, or one ending in /, selects its contents', () => {
    expect(archivePaths({ files: ['dist/assets'] })).toEqual([
      'dist/assets/.keep',
      'dist/assets/logo.png',
    ]);
    expect(archivePaths({ files: ['./dist/assets/'] })).toEqual([
      'dist/assets/.keep',
      'dist/assets/logo.png',
    ]);
  });

  it('selects single files and merges overlapping patterns', () => {
    expect(
      archivePaths({ files: ['target/messageUtil-1.0.jar', 'target/*.jar', 'buildspec.yml'] }),
    ).toEqual(['buildspec.yml', 'target/messageUtil-1.0.jar']);
  });

  it('flattens with discard-paths', () => {
    expect(archivePaths({ files: ['target/messageUtil-1.0.jar'], discardPaths: true })).toEqual([
      'target/messageUtil-1.0.jar -> messageUtil-1.0.jar',
    ]);
  });

  it('follows the documented base-directory examples', () => {
    expect(archivePaths({ files: ['*/my-file3.txt'], baseDirectory: 'my-build2' })).toEqual([
      'my-build2/my-subdirectory/my-file3.txt -> my-subdirectory/my-file3.txt',
    ]);
    expect(
      archivePaths({ files: ['**/*'], baseDirectory: 'my-build*', discardPaths: true }),
    ).toEqual([
      'my-build1/my-file1.txt -> my-file1.txt',
      'my-build2/my-file2.txt -> my-file2.txt',
      'my-build2/my-subdirectory/my-file3.txt -> my-file3.txt',
    ]);
  });

  it('selects nothing when the base directory does not exist', () => {
    expect(archivePaths({ files: ['**/*'], baseDirectory: 'missing' })).toEqual([]);
  });

  it('excludes paths relative to the base directory, directories with their contents', () => {
    expect(
      archivePaths({
        files: ['**/*'],
        baseDirectory: 'dist',
        excludePaths: ['**/*.map', 'assets'],
      }),
    ).toEqual(['dist/app.js -> app.js']);
    expect(
      archivePaths({
        files: ['**/*'],
        excludePaths: ['node_modules/**/*', 'my-build*', '.*', '*.md'],
      }),
    ).toEqual([
      'buildspec.yml',
      'dist/app.js',
      'dist/app.js.map',
      'dist/assets/.keep',
      'dist/assets/logo.png',
      'target/messageUtil-1.0.jar',
    ]);
  });

  it('refuses two files that would share an archive path', () => {
    expect(
      errors({ files: ['a/x.txt', 'b/x.txt'], discardPaths: true }, ['a/x.txt', 'b/x.txt']),
    ).toEqual(["'a/x.txt' and 'b/x.txt' would both be stored as 'x.txt'"]);
    expect(errors({ files: ['**/*'], baseDirectory: '*' }, ['a/x.txt', 'b/x.txt'])).toEqual([
      "'a/x.txt' and 'b/x.txt' would both be stored as 'x.txt'",
    ]);
  });

  it('refuses patterns that leave the workspace, all at once', () => {
    expect(
      errors({
        files: ['../secret', '/etc/passwd', 'a/../../b', 'C:\\x', './'],
        baseDirectory: '../up',
        excludePaths: ['/abs'],
      }),
    ).toEqual([
      "files: '../secret' leaves the source directory with '..'",
      "files: '/etc/passwd' is an absolute path: paths are relative to the source directory",
      "files: 'a/../../b' leaves the source directory with '..'",
      "files: 'C:\\x' is an absolute path: paths are relative to the source directory",
      "files: './' names no file",
      "exclude-paths: '/abs' is an absolute path: paths are relative to the source directory",
      "base-directory: '../up' leaves the source directory with '..'",
    ]);
  });

  it('refuses over-long patterns and too many globstars', () => {
    expect(errors({ files: [`${'a/'.repeat(600)}b`] })[0]).toMatch(
      /is longer than 1024 characters$/,
    );
    expect(errors({ files: [Array(9).fill('**').join('/')] })).toEqual([
      "files: '**/**/**/**/**/**/**/**/**' has more than 8 '**' segments",
    ]);
  });

  it('treats braces, ! and # literally', () => {
    const files = ['{a,b}.txt', 'a.txt', '!x', '#y'];
    expect(archivePaths({ files: ['{a,b}.txt'] }, files)).toEqual(['{a,b}.txt']);
    expect(archivePaths({ files: ['!x', '#y'] }, files)).toEqual(['!x', '#y']);
  });

  it('refuses a workspace listing that is not made of relative paths', () => {
    expect(errors({ files: ['**/*'] }, ['ok', '/abs', 'a/../b', 'a//b', ''])).toEqual([
      "'/abs' is not a relative workspace path",
      "'a/../b' is not a relative workspace path",
      "'a//b' is not a relative workspace path",
      "'' is not a relative workspace path",
    ]);
  });
});
