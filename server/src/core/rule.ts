// What a rule is: its metadata (shown in docs, LSP and SARIF) and its check over one file.
import { ts } from 'ts-morph';
import { LeakReport } from './leaks';
import type { ListenSite } from './listeners';
import { SyntaxContext } from './context';
import { Explanation, Finding, Severity, SeveritySetting } from './types';

export interface RuleMeta {
  id: string;
  description: string;
  defaultSeverity: SeveritySetting;
  /** Message templates by message id; `{{name}}` placeholders. */
  messages: Record<string, string>;
  /** Path of the doc page, relative to the package root. */
  docs: string;
  explanation: Explanation;
  /**
   * Findings of these rules at the same place as one of this rule's are the same defect told twice
   * (an agent made per call is churn, and also a pool never closed): this rule's finding stays.
   */
  supersedes?: string[];
}

export interface RuleContext extends SyntaxContext {
  compilerOptions: ts.CompilerOptions;
  /** What the file's nearest package.json declares, of every kind (dependencies, dev, peer, optional). */
  packageDependencies: ReadonlySet<string>;
  /** Leak reports of the file, computed once for all rules of the CLOSE_WAIT family. */
  leakReports(): LeakReport[];
  /** The file's listen()/bind() sites, computed once; they also form the listener inventory. */
  listenSites(): ListenSite[];
  /**
   * `covers`: other places the finding speaks for (the callers of a factory it is reported in), which its rule's
   * `supersedes` also clears. `alongside`: it supersedes nothing; the finding of the other rule at its place stands too.
   */
  report(finding: Omit<Finding, 'severity' | 'file' | 'explanation' | 'ruleId'> & { severity?: Severity; covers?: Array<{ line: number; column: number }>; alongside?: boolean }): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export function format(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(data[k] ?? `{{${k}}}`));
}
