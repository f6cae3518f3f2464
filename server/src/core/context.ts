// What code that reads one file's syntax needs: the file, the type checker and the origin resolver.
// Rules get more (rule.ts `RuleContext` extends it); the listener inventory, the connection sites and
// the syntax helpers need only this, so they do not depend on the rule machinery.
import { ts } from 'ts-morph';
import { OriginResolver } from './origins';

export interface SyntaxContext {
  sourceFile: ts.SourceFile;
  /** The file name as findings should carry it. */
  file: string;
  checker: ts.TypeChecker;
  resolver: OriginResolver;
  /** Throws when the per-file time budget is spent. */
  tick(): void;
}
