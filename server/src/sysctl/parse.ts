// sysctl.conf / sysctl.d syntax as procps sysctl(8) and systemd-sysctl(8) read it: one
// `key = value` per line, whole-line comments starting with '#' or ';', no end-of-line
// comments, a leading '-' meaning "ignore failures", and '/' or '.' as separators.

export interface SysctlEntry {
  /** 1-based line. */
  line: number;
  /** The key as written, without the leading '-'. */
  rawKey: string;
  /** Dotted form: `net/ipv4/tcp_fin_timeout` → `net.ipv4.tcp_fin_timeout`. */
  key: string;
  /** 1-based columns; end columns are exclusive. */
  keyColumn: number;
  keyEndColumn: number;
  value: string;
  valueColumn: number;
  valueEndColumn: number;
  /** The line started with '-': a failing write is ignored. */
  ignoreFailure: boolean;
}

export interface SysctlSyntaxProblem {
  line: number;
  column: number;
  endColumn: number;
  text: string;
}

export interface ParsedSysctl {
  entries: SysctlEntry[];
  problems: SysctlSyntaxProblem[];
}

export function parseSysctl(text: string): ParsedSysctl {
  const entries: SysctlEntry[] = [];
  const problems: SysctlSyntaxProblem[] = [];
  text.split(/\r\n|\r|\n/).forEach((content, index) => {
    const entry = parseLine(content, index + 1);
    if (entry === 'blank') return;
    if (entry === null) {
      const start = content.length - content.trimStart().length;
      problems.push({ line: index + 1, column: start + 1, endColumn: content.trimEnd().length + 1, text: content.trim() });
      return;
    }
    entries.push(entry);
  });
  return { entries, problems };
}

/** Parses one line; 'blank' for empty and comment lines, null for a line that is not an assignment. */
export function parseLine(content: string, line: number): SysctlEntry | 'blank' | null {
  const trimmed = content.trim();
  if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return 'blank';
  const match = /^(\s*)(-?)(\s*)([^=\s]+)\s*=[ \t]*(.*?)\s*$/.exec(content);
  if (!match) return null;
  const [, indent, dash, gap, rawKey, value] = match;
  const keyColumn = indent.length + dash.length + gap.length + 1;
  const valueStart = value === '' ? content.indexOf('=') + 1 : content.indexOf(value, content.indexOf('=') + 1);
  return {
    line,
    rawKey,
    key: normaliseKey(rawKey),
    keyColumn,
    keyEndColumn: keyColumn + rawKey.length,
    value,
    valueColumn: valueStart + 1,
    valueEndColumn: valueStart + 1 + value.length,
    ignoreFailure: dash === '-',
  };
}

/**
 * sysctl.d(5): when the first separator is '/', the remaining '/' and '.' swap roles, so
 * `net/ipv4/conf/eth0.100/forwarding` names the interface `eth0.100`. We return dotted form.
 */
export function normaliseKey(raw: string): string {
  const key = raw.replace(/^\/+/, '');
  const firstSlash = key.indexOf('/');
  const firstDot = key.indexOf('.');
  if (firstSlash === -1 || (firstDot !== -1 && firstDot < firstSlash)) return key;
  return key.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
}
