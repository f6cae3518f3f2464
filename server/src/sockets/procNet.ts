import { endianness } from 'node:os';
import { formatIPv6 } from './address';
import { stateFromProcCode } from './states';

/** A row of /proc/net/tcp{,6} before its inode is mapped to a process. */
export interface ProcTcpRow {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  state: string;
  /** 0 when no file refers to the socket (TIME_WAIT, orphans). */
  inode: number;
}

export interface ProcParseOptions {
  /**
   * The kernel prints each 32-bit word of an address in host byte order, so on little-endian
   * machines 127.0.0.1 reads `0100007F`. Ports are printed as numbers and need no swapping.
   */
  littleEndian?: boolean;
}

/** Parses the text of /proc/net/tcp or /proc/net/tcp6 (the address width tells them apart). */
export function parseProcNetTcp(text: string, options: ProcParseOptions = {}): ProcTcpRow[] {
  const littleEndian = options.littleEndian ?? endianness() === 'LE';
  const rows: ProcTcpRow[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    // Data rows start with the slot number "N:"; the header starts with "sl".
    if (fields.length < 10 || !/^\d+:$/.test(fields[0])) continue;
    const local = parseHexEndpoint(fields[1], littleEndian);
    const remote = parseHexEndpoint(fields[2], littleEndian);
    const state = stateFromProcCode(fields[3]);
    const inode = Number(fields[9]);
    if (!local || !remote || !state || !Number.isInteger(inode)) {
      throw new Error(`unexpected /proc/net/tcp row: ${line.trim()}`);
    }
    rows.push({
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: remote.address,
      remotePort: remote.port,
      state,
      inode,
    });
  }
  return rows;
}

function parseHexEndpoint(text: string, littleEndian: boolean): { address: string; port: number } | null {
  const match = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(text);
  if (!match) return null;
  const bytes = wordsToBytes(match[1], littleEndian);
  const address = bytes.length === 4 ? bytes.join('.') : formatIPv6(bytes);
  return { address, port: parseInt(match[2], 16) };
}

function wordsToBytes(hex: string, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let word = 0; word < hex.length / 8; word++) {
    for (let i = 0; i < 4; i++) {
      const value = parseInt(hex.slice(word * 8 + i * 2, word * 8 + i * 2 + 2), 16);
      bytes[word * 4 + (littleEndian ? 3 - i : i)] = value;
    }
  }
  return bytes;
}

/** Parses /proc/sys/net/ipv4/ip_local_port_range ("32768\t60999"). */
export function parsePortRange(text: string): [number, number] | null {
  const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  if (!match) return null;
  const low = Number(match[1]);
  const high = Number(match[2]);
  if (low < 1 || high > 65535 || low > high) return null;
  return [low, high];
}
