// `// linger-ignore-next-line <rule-id>[, <rule-id>] -- reason` and `// linger-ignore-file <rule-id>`.
// Without a rule id, every rule is ignored there.

const NEXT_LINE = /\/\/\s*linger-ignore-next-line\b([^\n]*)/g;
const FILE = /\/\/\s*linger-ignore-file\b([^\n]*)/g;

export interface Suppressions {
  /** Does a comment silence this rule on this 1-based line? */
  isSuppressed(ruleId: string, line: number): boolean;
}

function ruleList(rest: string): string[] | 'all' {
  const ids = rest.split('--')[0].split(/[\s,]+/).filter(Boolean);
  return ids.length ? ids : 'all';
}

export function parseSuppressions(text: string): Suppressions {
  if (!text.includes('linger-ignore')) return { isSuppressed: () => false };
  const byLine = new Map<number, string[] | 'all'>();
  let fileWide = [] as string[] | 'all';
  const lineOf = (offset: number) => {
    let n = 1;
    for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
    return n;
  };
  for (const m of text.matchAll(NEXT_LINE)) byLine.set(lineOf(m.index ?? 0) + 1, ruleList(m[1]));
  for (const m of text.matchAll(FILE)) {
    const ids = ruleList(m[1]);
    fileWide = ids === 'all' || fileWide === 'all' ? 'all' : [...(fileWide as string[]), ...ids];
  }
  const hit = (ids: string[] | 'all' | undefined, ruleId: string) => ids === 'all' || (!!ids && ids.includes(ruleId));
  return { isSuppressed: (ruleId, line) => hit(fileWide, ruleId) || hit(byLine.get(line), ruleId) };
}
