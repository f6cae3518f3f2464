import { splitEndpoint } from './address';
import { normaliseState } from './states';
import type { SocketRow } from './types';

export interface TableParse {
  sockets: SocketRow[];
  /** pid → command, when the text carried them (`ss -tanp`). */
  commands: Map<number, string>;
  /** TCP rows that could not be read, and states no table maps (a localised Windows netstat). */
  problems: string[];
}

/**
 * Reads the TCP rows of `ss -tan` (Linux), `netstat -an` (macOS, Windows, Linux net-tools) and
 * `netstat -ano` (Windows, with a PID column). Each line is recognised on its own, so a dump
 * that mixes headers, UDP and UNIX-socket sections is fine.
 */
export function parseSocketTable(text: string): TableParse {
  const result: TableParse = { sockets: [], commands: new Map(), problems: [] };
  for (const raw of text.split(/\r?\n/)) {
    const tokens = raw.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) continue;
    const kind = classify(tokens);
    if (kind === null) continue;
    const row = readRow(kind, tokens, result.commands);
    if (!row) {
      result.problems.push(`unreadable row: ${raw.trim()}`);
      continue;
    }
    const state = normaliseState(row.state);
    if (state) row.state = state;
    else result.problems.push(`unknown TCP state '${row.state}' in: ${raw.trim()}`);
    result.sockets.push(row);
  }
  return result;
}

type RowKind = 'ss' | 'ssNetid' | 'bsd' | 'windows';

const isCount = (token: string | undefined) => token !== undefined && /^\d+$/.test(token);
const isStateWord = (token: string | undefined) => token !== undefined && normaliseState(token) !== null;

function classify(tokens: string[]): RowKind | null {
  const proto = tokens[0];
  // `ss -an` prints a Netid column ("tcp ESTAB 0 0 ...") before the state.
  if (/^tcp$/i.test(proto) && isStateWord(tokens[1]) && isCount(tokens[2])) return 'ssNetid';
  if (isStateWord(proto) && isCount(tokens[1]) && isCount(tokens[2])) return 'ss';
  if (/^tcp(4|6|46)?$/i.test(proto)) {
    // macOS and net-tools: "tcp4 Recv-Q Send-Q local foreign state"; Windows: "TCP local foreign state".
    return isCount(tokens[1]) && isCount(tokens[2]) ? 'bsd' : 'windows';
  }
  return null;
}

function readRow(kind: RowKind, tokens: string[], commands: Map<number, string>): SocketRow | null {
  switch (kind) {
    case 'ss':
      return readSs(tokens, commands);
    case 'ssNetid':
      return readSs(tokens.slice(1), commands);
    case 'bsd':
      return readBsd(tokens);
    case 'windows':
      return readWindows(tokens);
  }
}

function readSs(tokens: string[], commands: Map<number, string>): SocketRow | null {
  const row = endpoints(tokens[3], tokens[4], tokens[0]);
  if (!row) return null;
  // `ss -p` adds users:(("node",pid=123,fd=20),...): the first owner names the socket.
  const owner = /\(\("([^"]*)",pid=(\d+)/.exec(tokens.slice(5).join(' '));
  if (owner) {
    row.pid = Number(owner[2]);
    commands.set(row.pid, owner[1]);
  }
  return row;
}

function readBsd(tokens: string[]): SocketRow | null {
  if (tokens.length < 6) return null;
  return endpoints(tokens[3], tokens[4], tokens[5]);
}

function readWindows(tokens: string[]): SocketRow | null {
  if (tokens.length < 4) return null;
  const row = endpoints(tokens[1], tokens[2], tokens[3]);
  // `netstat -ano` adds a PID column; Windows reports PID 0 for TIME_WAIT, which means nobody.
  if (row && isCount(tokens[4]) && Number(tokens[4]) !== 0) row.pid = Number(tokens[4]);
  return row;
}

function endpoints(local: string | undefined, remote: string | undefined, state: string): SocketRow | null {
  const l = local === undefined ? null : splitEndpoint(local);
  const r = remote === undefined ? null : splitEndpoint(remote);
  if (!l || !r) return null;
  return {
    localAddress: l.address,
    localPort: l.port,
    remoteAddress: r.address,
    remotePort: r.port,
    state: state.toUpperCase(),
    pid: null,
  };
}
