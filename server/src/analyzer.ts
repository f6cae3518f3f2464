// The analyzer with Linger's rules: what the CLI, the language server and the tests create. The core
// (core/analyze.ts) takes its rules as an option and knows none of them by name.
import { Analyzer, AnalyzerOptions } from './core/analyze';
import { RULES } from './rules';

export function createAnalyzer(options: Omit<AnalyzerOptions, 'ruleSet'> = {}): Analyzer {
  return new Analyzer({ ...options, ruleSet: RULES });
}
