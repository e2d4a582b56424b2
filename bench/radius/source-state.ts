// Which radiusd was measured: radiusd changes often, so the report names the commit and
// whether the working tree differed from it.
import { execFileSync } from 'node:child_process';

export interface SourceState {
  commit: string;
  /** Files under radiusd/ and packages/ that differ from the commit (uncommitted work). */
  uncommitted: string[];
}

export function describeSource(repoRoot: string): SourceState {
  // --no-optional-locks: never touch .git/index while someone else may be committing.
  const git = (...args: string[]) =>
    execFileSync('git', ['--no-optional-locks', ...args], { cwd: repoRoot, encoding: 'utf8' }).trim();
  try {
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      uncommitted: git('status', '--porcelain', '--', 'radiusd', 'packages')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.slice(3)),
    };
  } catch {
    return { commit: 'unknown', uncommitted: [] };
  }
}
