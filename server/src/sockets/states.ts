import type { TcpState } from './types';

// The `st` column of /proc/net/tcp is the kernel's enum in include/net/tcp_states.h.
const PROC_CODES: Record<number, TcpState> = {
  0x01: 'ESTABLISHED',
  0x02: 'SYN_SENT',
  0x03: 'SYN_RECV',
  0x04: 'FIN_WAIT1',
  0x05: 'FIN_WAIT2',
  0x06: 'TIME_WAIT',
  0x07: 'CLOSE',
  0x08: 'CLOSE_WAIT',
  0x09: 'LAST_ACK',
  0x0a: 'LISTEN',
  0x0b: 'CLOSING',
};

export function stateFromProcCode(hex: string): TcpState | null {
  if (!/^[0-9A-Fa-f]{1,2}$/.test(hex)) return null;
  return PROC_CODES[parseInt(hex, 16)] ?? null;
}

// Spellings used by ss (CLOSE-WAIT, ESTAB, UNCONN), macOS netstat (SYN_RCVD, FIN_WAIT_2) and
// Windows netstat (LISTENING, SYN_RECEIVED, DELETE_TCB), after upper-casing and '-' → '_'.
const ALIASES: Record<string, TcpState> = {
  ESTAB: 'ESTABLISHED',
  SYN_RCVD: 'SYN_RECV',
  SYN_RECEIVED: 'SYN_RECV',
  FIN_WAIT_1: 'FIN_WAIT1',
  FIN_WAIT_2: 'FIN_WAIT2',
  CLOSED: 'CLOSE',
  UNCONN: 'CLOSE',
  DELETE_TCB: 'CLOSE',
  LISTENING: 'LISTEN',
};

export const ALL_STATES: readonly TcpState[] = [
  'CLOSE_WAIT',
  'TIME_WAIT',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'LAST_ACK',
  'CLOSING',
  'CLOSE',
  'LISTEN',
];

/** Accepts CLOSE_WAIT, close-wait, CLOSE-WAIT, ESTAB, LISTENING, ...; null when unknown. */
export function normaliseState(text: string): TcpState | null {
  const key = text.trim().toUpperCase().replace(/-/g, '_');
  if ((ALL_STATES as readonly string[]).includes(key)) return key as TcpState;
  return ALIASES[key] ?? null;
}

/** Sort key that puts CLOSE_WAIT and TIME_WAIT first and unknown states last. */
export function stateRank(state: string): number {
  const index = (ALL_STATES as readonly string[]).indexOf(state);
  return index === -1 ? ALL_STATES.length : index;
}
