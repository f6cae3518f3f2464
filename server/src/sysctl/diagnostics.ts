import type { Severity } from '../core/types';
import { KEY_DOCS } from './keys';
import { parseSysctl, type SysctlEntry } from './parse';

/** 1-based positions; `endColumn` is exclusive, as in the rest of Linger. */
export interface SysctlDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

/** A port the workspace listens on, with where, for the overlap message. */
export interface ListeningPortSite {
  port: number;
  file?: string;
  line?: number;
}

export interface SysctlCheckOptions {
  listeningPorts?: ListeningPortSite[];
}

export function sysctlDiagnostics(text: string, options: SysctlCheckOptions = {}): SysctlDiagnostic[] {
  const { entries, problems } = parseSysctl(text);
  const result: SysctlDiagnostic[] = problems.map((p) => ({
    line: p.line,
    column: p.column,
    endLine: p.line,
    endColumn: p.endColumn,
    severity: 'warning',
    code: 'sysctl-syntax',
    message: `Not a "key = value" line; sysctl skips it: ${p.text.length > 200 ? `${p.text.slice(0, 200)}…` : p.text}`,
  }));
  // The last assignment wins, so reserved ports are read from the whole file first.
  const reserved = entries.filter((e) => e.key === 'net.ipv4.ip_local_reserved_ports').map((e) => parsePortList(e.value));
  for (const entry of entries) {
    result.push(...checkEntry(entry, options, reserved.at(-1) ?? null));
  }
  return result.sort((a, b) => a.line - b.line || a.column - b.column);
}

function checkEntry(entry: SysctlEntry, options: SysctlCheckOptions, reserved: Set<number> | null): SysctlDiagnostic[] {
  const out: SysctlDiagnostic[] = [];
  const onKey = (severity: Severity, code: string, message: string) =>
    out.push({ line: entry.line, column: entry.keyColumn, endLine: entry.line, endColumn: entry.keyEndColumn, severity, code, message });
  const onValue = (severity: Severity, code: string, message: string) =>
    out.push({ line: entry.line, column: entry.valueColumn, endLine: entry.line, endColumn: Math.max(entry.valueEndColumn, entry.valueColumn + 1), severity, code, message });

  // procps and systemd write everything after '=' to the kernel: there are no trailing comments.
  if (/\s[#;]/.test(entry.value)) {
    onValue('warning', 'sysctl-inline-comment', 'sysctl.conf has no end-of-line comments: the text from "#" or ";" on is part of the value written to the kernel. Put the comment on its own line.');
  }
  const value = entry.value.replace(/\s[#;].*$/, '').trim();

  if (entry.key === 'net.ipv4.tcp_tw_recycle') {
    onKey(
      // Asking for recycling (non-zero, failure not ignored) fails boot-time sysctl; "= 0" is only stale.
      value !== '0' && !entry.ignoreFailure ? 'error' : 'warning',
      'sysctl-tcp-tw-recycle-removed',
      'net.ipv4.tcp_tw_recycle was removed in Linux 4.12: it dropped connections from clients behind NAT. ' +
        'On current kernels this key does not exist and the line fails. Remove it; reuse connections (keep-alive) to keep TIME_WAIT down.',
    );
    return out;
  }

  const doc = KEY_DOCS[entry.key];
  if (doc?.integer) {
    const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
    const { min, max } = doc.integer;
    if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
      const bounds = max === undefined ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`;
      onValue('error', 'sysctl-invalid-value', `${entry.key} expects ${bounds}; "${value}" will be rejected by the kernel.`);
      return out;
    }
    if (entry.key === 'net.ipv4.tcp_fin_timeout' && n < 60) {
      onKey(
        'warning',
        'sysctl-fin-timeout-not-time-wait',
        `tcp_fin_timeout does not shorten TIME_WAIT: it limits how long an orphaned connection stays in FIN_WAIT_2 (default 60 s). ` +
          `TIME_WAIT lasts TCP_TIMEWAIT_LEN, 60 s, fixed when the kernel is built, so setting ${n} leaves TIME_WAIT as it was. ` +
          'Reuse connections to have fewer of them.',
      );
    }
  }

  if (entry.key === 'net.ipv4.ip_local_port_range') checkPortRange(value, options, reserved, onValue);
  return out;
}

function checkPortRange(
  value: string,
  options: SysctlCheckOptions,
  reserved: Set<number> | null,
  report: (severity: Severity, code: string, message: string) => void,
): void {
  const match = /^(\d+)\s+(\d+)$/.exec(value);
  const low = match ? Number(match[1]) : NaN;
  const high = match ? Number(match[2]) : NaN;
  if (!match || low < 1 || high > 65535 || low > high) {
    report('error', 'sysctl-port-range-invalid', `ip_local_port_range takes two ports, first ≤ last, within 1-65535 (e.g. "32768 60999"); "${value}" is rejected.`);
    return;
  }
  if (low % 2 === high % 2) {
    report('hint', 'sysctl-port-range-parity', 'The kernel documentation prefers the two ends of ip_local_port_range to have different parity (one even, one odd).');
  }
  const seen = new Set<number>();
  for (const site of options.listeningPorts ?? []) {
    if (site.port < low || site.port > high || seen.has(site.port) || reserved?.has(site.port)) continue;
    seen.add(site.port);
    const where = site.file ? ` (${site.file}${site.line ? `:${site.line}` : ''})` : '';
    report(
      'warning',
      'sysctl-port-range-overlaps-listener',
      `Port ${site.port}${where} listens inside ip_local_port_range ${low}-${high}: an outgoing connection may take it first, and listen() then fails with EADDRINUSE. ` +
        `Move the range or add ${site.port} to net.ipv4.ip_local_reserved_ports.`,
    );
  }
}

/** "8080,9000-9100" → the set of ports (ip_local_reserved_ports syntax). */
export function parsePortList(text: string): Set<number> {
  const ports = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(part);
    if (!match) continue;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Math.min(Number(match[2]), 65535);
    for (let port = from; port <= to; port++) ports.add(port);
  }
  return ports;
}
