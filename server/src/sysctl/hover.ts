import { KEY_DOCS, keyMarkdown } from './keys';
import { parseLine } from './parse';

/**
 * Markdown for the setting under the cursor (1-based line and column), when the cursor is on
 * the key or the value of an assignment to a key we document; null elsewhere.
 */
export function hoverAt(text: string, line: number, column: number): string | null {
  const content = text.split(/\r?\n/)[line - 1];
  if (content === undefined) return null;
  const entry = parseLine(content, line);
  if (entry === null || entry === 'blank') return null;
  const onKey = column >= entry.keyColumn && column < entry.keyEndColumn;
  const onValue = column >= entry.valueColumn && column < Math.max(entry.valueEndColumn, entry.valueColumn + 1);
  if (!onKey && !onValue) return null;
  const doc = KEY_DOCS[entry.key];
  return doc ? keyMarkdown(doc) : null;
}
