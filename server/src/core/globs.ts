// Exclude globs (`exclude` in .lingerrc.json, the editor's `linger.exclude`), matched with minimatch:
// the matcher ESLint uses, and since v11 one that does not compile globs to regular expressions, so
// a pattern like `*a*a*a*a*a*a*a*a*a*b` cannot make matching take exponential time (picomatch and
// the hand-written translation this replaces both backtrack catastrophically on it).
//
// Semantics are those of .gitignore where it and ESLint agree, and .gitignore's where they differ
// (README, "Configuration"):
//   - paths are relative to the folder of the config (or the workspace folder), with `/`;
//   - a pattern with no `/` except a trailing one matches a name at any depth (`dist`, `*.gen.ts`);
//     one with a `/` at the start or in the middle is anchored there (`/build`, `src/gen/**`);
//   - a pattern that matches a folder excludes everything under it; a trailing `/` matches folders only;
//   - `*` and `?` never cross `/`, `**` spans folders, `[abc]` and `{a,b}` work, dot-files are matched;
//   - `!pattern` re-includes what an earlier pattern excluded (the last matching pattern decides),
//     but not inside an excluded folder;
//   - `#` starts a comment; matching is case-sensitive.
import { Minimatch } from 'minimatch';

interface Rule {
  matcher: Minimatch;
  negated: boolean;
  /** A trailing `/`: matches folders only. */
  dirOnly: boolean;
}

export class ExcludeMatcher {
  private rules: Rule[];

  constructor(patterns: readonly string[]) {
    this.rules = patterns.flatMap((raw) => {
      let p = raw.trim();
      if (!p || p.startsWith('#')) return [];
      const negated = p.startsWith('!');
      if (negated) p = p.slice(1);
      const dirOnly = p.endsWith('/');
      p = p.replace(/\/+$/, '');
      // A leading `/` (or `./`) anchors the pattern at the root, like a `/` in the middle does.
      const anchored = /^\.?\//.test(p) || p.includes('/');
      p = p.replace(/^\.?\/+/, '');
      if (!p) return [];
      const matcher = new Minimatch(p, { dot: true, matchBase: !anchored, nonegate: true, nocomment: true, optimizationLevel: 2 });
      return [{ matcher, negated, dirOnly }];
    });
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /**
   * Whether a path (relative, `/`-separated, no `.` or `..` segments) is excluded: the path itself,
   * or a folder above it. `isDir` says whether the path itself is a folder.
   */
  excludes(rel: string, isDir = false): boolean {
    if (!this.rules.length || !rel || rel.startsWith('../') || rel === '..') return false;
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      // An excluded folder cannot be re-included from inside (as in .gitignore).
      if (this.decide(prefix, i < parts.length || isDir)) return true;
    }
    return false;
  }

  /** Whether the path itself is excluded, whatever its folders are (a list of re-includes asks this of one folder). */
  excludesItself(rel: string, isDir: boolean): boolean {
    return this.decide(rel, isDir);
  }

  /** The last rule that matches decides; no rule: included. */
  private decide(rel: string, isDir: boolean): boolean {
    let excluded = false;
    for (const r of this.rules) {
      if (r.dirOnly && !isDir) continue;
      if (r.negated === excluded && r.matcher.match(rel)) excluded = !r.negated;
    }
    return excluded;
  }
}

const cache = new Map<string, ExcludeMatcher>();

/** One compiled matcher per list of patterns (configs and settings are few and reused for every file). */
export function excludeMatcher(patterns: readonly string[]): ExcludeMatcher {
  const key = JSON.stringify(patterns);
  let m = cache.get(key);
  if (!m) {
    if (cache.size > 256) cache.clear();
    m = new ExcludeMatcher(patterns);
    cache.set(key, m);
  }
  return m;
}
