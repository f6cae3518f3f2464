// Suppression comments ("directives"), ESLint's disable comments for Linger:
//   `// linger-ignore-next-line <rule-id>[, <rule-id>] -- reason`   the line below
//   `code(); // linger-ignore-line <rule-id> -- reason`              the line it ends
//   `// linger-ignore-file <rule-id>`                                the whole file
// Without a rule id, every rule is ignored there. Each directive remembers which rules it actually
// silenced, so that an unused one can be reported (`--report-unused-disable-directives`), and a
// directive naming a rule that does not exist is reported too (a typo silences nothing).
import { ts } from 'ts-morph';

export type DirectiveKind = 'next-line' | 'line' | 'file';

export interface Directive {
  kind: DirectiveKind;
  /** 1-based line of the comment. */
  line: number;
  /** Offsets of the comment (`//` to the end of the line). */
  start: number;
  end: number;
  /** Rule ids named, or every rule. */
  rules: string[] | 'all';
  /** Rule ids this directive silenced a finding of. */
  used: Set<string>;
}

/** A problem with a directive itself: it silences nothing, or names a rule that does not exist. */
export interface DirectiveProblem {
  kind: 'unused' | 'unknown-rule';
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** Removes the whole comment (unused directives only, when none of its rules is used). */
  removal?: { line: number; column: number; endLine: number; endColumn: number; newText: string };
}

export interface Suppressions {
  /** Does a directive silence this rule on this 1-based line? Marks the directive as used. */
  isSuppressed(ruleId: string, line: number): boolean;
  /** Directives that silenced nothing, and rule ids that are not rules. */
  problems(knownRuleIds: readonly string[]): DirectiveProblem[];
}

const DIRECTIVE = /\/\/[ \t]*linger-ignore-(next-line|line|file)(?![\w-])([^\r\n]*)/g;

function ruleList(rest: string): string[] | 'all' {
  const ids = rest.split('--')[0].split(/[\s,]+/).filter(Boolean);
  return ids.length ? ids : 'all';
}

/**
 * Parse the directives of a file. With its syntax tree, only real `//` comments count (not the same
 * text inside a string, a template or a regular expression, nor `//` inside a block comment).
 */
export function parseSuppressions(text: string, sf?: ts.SourceFile): Suppressions {
  const directives: Directive[] = [];
  if (text.includes('linger-ignore')) {
    const lines = lineStarts(text);
    for (const m of text.matchAll(DIRECTIVE)) {
      const start = m.index ?? 0;
      if (sf && !isLineComment(sf, start)) continue;
      directives.push({ kind: m[1] as DirectiveKind, line: lineOf(lines, start), start, end: start + m[0].length, rules: ruleList(m[2]), used: new Set() });
    }
  }
  return {
    isSuppressed(ruleId, line) {
      // The most specific directive takes the credit: one on the line, then one for the whole file.
      const covers = (d: Directive) => (d.kind === 'next-line' ? d.line + 1 === line : d.kind === 'line' ? d.line === line : true);
      const hit = [...directives].sort((a, b) => Number(a.kind === 'file') - Number(b.kind === 'file'))
        .find((d) => covers(d) && (d.rules === 'all' || d.rules.includes(ruleId)));
      hit?.used.add(ruleId);
      return !!hit;
    },
    problems(known) {
      const lines = lineStarts(text);
      const out: DirectiveProblem[] = [];
      for (const d of directives) {
        const range = { ...position(lines, d.start), ...endPosition(lines, d.end) };
        const name = `linger-ignore-${d.kind}`;
        if (d.rules === 'all') {
          if (!d.used.size) out.push({ kind: 'unused', ...range, message: `Unused \`${name}\` comment: no finding was reported here.`, removal: removal(text, lines, d) });
          continue;
        }
        const unknown = d.rules.filter((id) => !known.includes(id));
        for (const id of unknown) {
          out.push({ kind: 'unknown-rule', ...range, message: `\`${name}\` names "${id}", which is not a Linger rule (known: ${known.join(', ')}): it silences nothing.` });
        }
        const unused = d.rules.filter((id) => known.includes(id) && !d.used.has(id));
        if (unused.length) {
          const all = unused.length + unknown.length === d.rules.length;
          out.push({
            kind: 'unused', ...range,
            message: `Unused \`${name}\` comment: no ${unused.map((id) => `"${id}"`).join(' or ')} finding was reported here.`,
            removal: all ? removal(text, lines, d) : undefined,
          });
        }
      }
      return out;
    },
  };
}

/** Is the `//` at `pos` the start of a line comment (and not text inside a token or a block comment)? */
function isLineComment(sf: ts.SourceFile, pos: number): boolean {
  // The innermost node whose full span (with its leading trivia) holds `pos`; the comment, if it is
  // one, is in that node's leading trivia.
  let node: ts.Node = sf;
  descend: for (;;) {
    for (const child of node.getChildren(sf)) {
      if (child.pos <= pos && pos < child.end) {
        node = child;
        continue descend;
      }
    }
    break;
  }
  if (pos >= node.getStart(sf)) return false;
  // Comments on the line of the previous token are its "trailing" ones, the rest "leading".
  const ranges = [...(ts.getTrailingCommentRanges(sf.text, node.pos) ?? []), ...(ts.getLeadingCommentRanges(sf.text, node.pos) ?? [])];
  return ranges.some((r) => r.pos === pos && r.kind === ts.SyntaxKind.SingleLineCommentTrivia);
}

/** The edit that deletes a directive: its whole line when it stands alone, else the comment and the spaces before it. */
function removal(text: string, lines: number[], d: Directive): DirectiveProblem['removal'] {
  const lineStart = lines[d.line - 1];
  const before = text.slice(lineStart, d.start);
  if (/^[ \t]*$/.test(before)) {
    const nextLine = lines[d.line] ?? text.length;
    return { ...position(lines, lineStart), ...endPosition(lines, nextLine), newText: '' };
  }
  const from = lineStart + before.replace(/[ \t]+$/, '').length;
  return { ...position(lines, from), ...endPosition(lines, d.end), newText: '' };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function position(starts: number[], offset: number): { line: number; column: number } {
  const line = lineOf(starts, offset);
  return { line, column: offset - starts[line - 1] + 1 };
}

function endPosition(starts: number[], offset: number): { endLine: number; endColumn: number } {
  const p = position(starts, offset);
  return { endLine: p.line, endColumn: p.column };
}
