// The kernel's TCP sockets for the join: the rows of /proc/net/tcp and /proc/net/tcp6, read with
// the same parser as `linger sockets` (no process lookup: the trace knows its sockets by 4-tuple).
import * as fs from 'node:fs';
import { parseProcNetTcp, type ProcTcpRow } from '../sockets/procNet';
import type { SystemAccess } from '../sockets/system';

export async function readKernelSockets(system: SystemAccess, procRoot = '/proc'): Promise<ProcTcpRow[]> {
  const rows = parseProcNetTcp(await system.readFile(`${procRoot}/net/tcp`));
  // tcp6 is absent when IPv6 is disabled.
  const v6 = await system.readFile(`${procRoot}/net/tcp6`).catch(() => null);
  if (v6 !== null) rows.push(...parseProcNetTcp(v6));
  return rows;
}

/** The copy of /proc/net/tcp{,6} an exiting process saved (both tables in one file). */
export function readSavedRows(file: string): ProcTcpRow[] | null {
  try {
    return parseProcNetTcp(fs.readFileSync(file, 'latin1'));
  } catch {
    return null;
  }
}
