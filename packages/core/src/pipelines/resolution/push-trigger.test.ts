import { describe, expect, it } from 'vitest';
import {
  findMatchingPushFilter,
  parsePushedRef,
  pushMatchesBranchName,
  pushStartsPipeline,
  type GitPush,
  type GitPushFilter,
} from './push-trigger.ts';

function aBranchPush(branch: string, changedFilePaths: string[] = ['src/app.ts']): GitPush {
  return { ref: `refs/heads/${branch}`, oldCommitId: 'a1', newCommitId: 'b2', changedFilePaths };
}

function aTagPush(tag: string): GitPush {
  return {
    ref: `refs/tags/${tag}`,
    oldCommitId: undefined,
    newCommitId: 'b2',
    changedFilePaths: [],
  };
}

function starts(push: GitPush, filters: GitPushFilter[]): boolean {
  return pushStartsPipeline({ push, branchName: 'mainline', trigger: { push: filters } });
}

// The push filter of AWS's "Trigger filtering in the pipeline JSON (CLI)" example.
const cliExample: GitPushFilter = {
  filePaths: {
    includes: ['projectA/**', 'common/**/*.js'],
    excludes: ['**/README.md', '**/LICENSE', '**/CONTRIBUTING.md'],
  },
  branches: { includes: ['feature/**', 'release/**'], excludes: ['mainline'] },
  tags: { includes: ['release-v0', 'release-v1'], excludes: ['release-v2'] },
};

describe('push triggers: AWS’s CLI example filter', () => {
  it('starts on a feature branch push that changes projectA', () => {
    expect(starts(aBranchPush('feature/login', ['projectA/src/a.ts']), [cliExample])).toBe(true);
  });

  it('starts on a nested release branch (`**` crosses `/`)', () => {
    expect(starts(aBranchPush('release/2024/q1', ['projectA/a.ts']), [cliExample])).toBe(true);
  });

  it('starts on a JavaScript change under a directory of common', () => {
    expect(starts(aBranchPush('feature/x', ['common/lib/util.js']), [cliExample])).toBe(true);
  });

  it('does not start on a change to common’s root file (`common/**/*.js` needs a directory)', () => {
    expect(starts(aBranchPush('feature/x', ['common/util.js']), [cliExample])).toBe(false);
  });

  it('does not start on mainline, the excluded branch', () => {
    expect(starts(aBranchPush('mainline', ['projectA/a.ts']), [cliExample])).toBe(false);
  });

  it('does not start on a branch outside the includes', () => {
    expect(starts(aBranchPush('hotfix/x', ['projectA/a.ts']), [cliExample])).toBe(false);
  });

  it('does not start when only excluded files changed', () => {
    const push = aBranchPush('feature/x', ['projectA/README.md', 'projectA/docs/LICENSE']);
    expect(starts(push, [cliExample])).toBe(false);
  });

  it('starts when an excluded file changed beside an included one', () => {
    const push = aBranchPush('feature/x', ['projectA/README.md', 'projectA/main.ts']);
    expect(starts(push, [cliExample])).toBe(true);
  });

  it('does not start when the changed files are outside the includes', () => {
    expect(starts(aBranchPush('feature/x', ['projectB/main.ts']), [cliExample])).toBe(false);
  });

  it('starts on an included tag and not on the excluded or an unlisted one', () => {
    expect(starts(aTagPush('release-v1'), [cliExample])).toBe(true);
    expect(starts(aTagPush('release-v2'), [cliExample])).toBe(false);
    expect(starts(aTagPush('release-v3'), [cliExample])).toBe(false);
  });
});

describe('push triggers: includes and excludes', () => {
  it('lets an exclude win over an include matching the same branch', () => {
    const filter = { branches: { includes: ['feature/*'], excludes: ['feature/experimental'] } };
    expect(starts(aBranchPush('feature/login'), [filter])).toBe(true);
    expect(starts(aBranchPush('feature/experimental'), [filter])).toBe(false);
  });

  it('lets the same pattern in both lists exclude', () => {
    const filter = { branches: { includes: ['main'], excludes: ['main'] } };
    expect(starts(aBranchPush('main'), [filter])).toBe(false);
  });

  it('includes every branch not excluded when only excludes are given', () => {
    const filter = { branches: { excludes: ['dependabot/**'] } };
    expect(starts(aBranchPush('anything'), [filter])).toBe(true);
    expect(starts(aBranchPush('dependabot/npm/x'), [filter])).toBe(false);
  });

  it('keeps `*` within one level of branch name', () => {
    const filter = { branches: { includes: ['feature/*'] } };
    expect(starts(aBranchPush('feature/a/b'), [filter])).toBe(false);
  });

  it('compares branch names case-sensitively', () => {
    expect(starts(aBranchPush('Main'), [{ branches: { includes: ['main'] } }])).toBe(false);
  });

  it('includes every file not excluded when only file excludes are given', () => {
    const filter = { branches: { includes: ['main'] }, filePaths: { excludes: ['docs/**'] } };
    expect(starts(aBranchPush('main', ['docs/a.md', 'src/a.ts']), [filter])).toBe(true);
    expect(starts(aBranchPush('main', ['docs/a.md']), [filter])).toBe(false);
  });

  it('reads an empty includes list as an absent one', () => {
    expect(starts(aBranchPush('main'), [{ branches: { includes: [] } }])).toBe(true);
  });
});

describe('push triggers: branches and file paths together (AND)', () => {
  const filter = { branches: { includes: ['main'] }, filePaths: { includes: ['src/**'] } };

  it('starts when both the branch and a file match', () => {
    expect(starts(aBranchPush('main', ['src/a.ts']), [filter])).toBe(true);
  });

  it('does not start when the branch matches but no file does', () => {
    expect(starts(aBranchPush('main', ['docs/a.md']), [filter])).toBe(false);
  });

  it('does not start when a file matches but the branch does not', () => {
    expect(starts(aBranchPush('dev', ['src/a.ts']), [filter])).toBe(false);
  });

  it('does not start on a push with no changed files', () => {
    expect(starts(aBranchPush('main', []), [filter])).toBe(false);
  });

  it('starts on a push with no changed files when no file filter is given', () => {
    expect(starts(aBranchPush('main', []), [{ branches: { includes: ['main'] } }])).toBe(true);
  });

  it('accepts any branch for a file-path-only filter', () => {
    const paths = { filePaths: { includes: ['src/**'] } };
    expect(starts(aBranchPush('any/branch', ['src/a.ts']), [paths])).toBe(true);
    expect(starts(aTagPush('v1'), [paths])).toBe(false);
  });
});

describe('push triggers: tags versus branches', () => {
  it('never starts a tag-only filter on a branch push', () => {
    expect(starts(aBranchPush('v1'), [{ tags: { includes: ['v*'] } }])).toBe(false);
  });

  it('never starts a branch-only filter on a tag push', () => {
    expect(starts(aTagPush('main'), [{ branches: { includes: ['**'] } }])).toBe(false);
  });

  it('judges a tag push by tags alone, ignoring file paths', () => {
    const filter = { tags: { includes: ['v*'] }, filePaths: { includes: ['src/**'] } };
    expect(starts(aTagPush('v1.2'), [filter])).toBe(true);
  });

  it('applies tags and branches of one filter each to its own kind of ref', () => {
    const filter = { tags: { includes: ['v*'] }, branches: { includes: ['main'] } };
    expect(starts(aTagPush('v1'), [filter])).toBe(true);
    expect(starts(aBranchPush('main'), [filter])).toBe(true);
    expect(starts(aBranchPush('v1'), [filter])).toBe(false);
  });

  it('matches tag names with slashes only through `**`', () => {
    expect(starts(aTagPush('release/1'), [{ tags: { includes: ['release/*'] } }])).toBe(true);
    expect(starts(aTagPush('release/1/rc'), [{ tags: { includes: ['release/*'] } }])).toBe(false);
    expect(starts(aTagPush('release/1/rc'), [{ tags: { includes: ['release/**'] } }])).toBe(true);
  });
});

describe('push triggers: several filters (OR), deletions and other refs', () => {
  it('starts when any one of the filters matches', () => {
    const filters = [{ branches: { includes: ['main'] } }, { tags: { includes: ['v*'] } }];
    expect(starts(aBranchPush('main'), filters)).toBe(true);
    expect(starts(aTagPush('v2'), filters)).toBe(true);
    expect(starts(aBranchPush('dev'), filters)).toBe(false);
  });

  it('returns the first matching filter', () => {
    const second = { branches: { includes: ['m*'] } };
    const filters = [
      { branches: { includes: ['dev'] } },
      second,
      { branches: { includes: ['**'] } },
    ];
    expect(findMatchingPushFilter(aBranchPush('main'), filters)).toBe(second);
  });

  it('never starts on a deleted ref', () => {
    const deleted = { ...aBranchPush('main'), newCommitId: undefined };
    expect(starts(deleted, [{ branches: { includes: ['main'] } }])).toBe(false);
    expect(pushMatchesBranchName(deleted, 'main')).toBe(false);
  });

  it('starts on a newly created branch', () => {
    const created = { ...aBranchPush('main'), oldCommitId: undefined };
    expect(starts(created, [{ branches: { includes: ['main'] } }])).toBe(true);
  });

  it('ignores refs that are neither branches nor tags', () => {
    const note: GitPush = { ref: 'refs/notes/commits', newCommitId: 'b2', changedFilePaths: [] };
    expect(starts(note, [{ branches: { includes: ['**'] } }])).toBe(false);
    expect(parsePushedRef('refs/pull/1/head')).toBeUndefined();
  });

  it('matches nothing with an empty filter', () => {
    expect(starts(aBranchPush('main'), [{}])).toBe(false);
  });

  it('matches nothing with a malformed pattern rather than failing', () => {
    expect(starts(aBranchPush('main'), [{ branches: { includes: ['[main'] } }])).toBe(false);
    const excluded = { branches: { excludes: ['{bad'] } };
    expect(starts(aBranchPush('main'), [excluded])).toBe(true);
  });
});

describe('push triggers: no filter, no trigger', () => {
  it('starts a pipeline without a trigger on a push to BranchName only', () => {
    expect(pushStartsPipeline({ push: aBranchPush('mainline'), branchName: 'mainline' })).toBe(
      true,
    );
    expect(pushStartsPipeline({ push: aBranchPush('dev'), branchName: 'mainline' })).toBe(false);
  });

  it('does not start a pipeline without a trigger on a tag named like BranchName', () => {
    expect(pushStartsPipeline({ push: aTagPush('mainline'), branchName: 'mainline' })).toBe(false);
  });

  it('treats a trigger with no push or pull request filters as “No filter”: BranchName', () => {
    const trigger = {};
    expect(
      pushStartsPipeline({ push: aBranchPush('mainline'), branchName: 'mainline', trigger }),
    ).toBe(true);
    expect(pushStartsPipeline({ push: aBranchPush('dev'), branchName: 'mainline', trigger })).toBe(
      false,
    );
  });

  it('does not fall back to BranchName once push filters exist', () => {
    expect(starts(aBranchPush('mainline'), [{ branches: { includes: ['release/**'] } }])).toBe(
      false,
    );
  });

  it('is never started by a push when only pull request filters exist', () => {
    const trigger = { pullRequest: [{ events: ['OPEN'] }] };
    expect(
      pushStartsPipeline({ push: aBranchPush('mainline'), branchName: 'mainline', trigger }),
    ).toBe(false);
  });

  it('compares BranchName exactly, with no glob', () => {
    expect(pushMatchesBranchName(aBranchPush('release-1'), 'release-*')).toBe(false);
    expect(pushMatchesBranchName(aBranchPush('release-*'), 'release-*')).toBe(true);
  });
});
