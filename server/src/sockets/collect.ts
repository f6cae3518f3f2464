import { parseSocketTable } from './netstat';
import { findSocketOwners } from './procOwners';
import { parsePortRange, parseProcNetTcp, type ProcTcpRow } from './procNet';
import type { SystemAccess } from './system';
import type { SocketRow, SocketSnapshot } from './types';

/** Linux's default ip_local_port_range. */
export const LINUX_DEFAULT_RANGE: [number, number] = [32768, 60999];
/** The IANA dynamic range, which macOS and Windows (since Vista) use by default. */
export const IANA_DYNAMIC_RANGE: [number, number] = [49152, 65535];

export class UnsupportedPlatformError extends Error {}

/** Reads the machine's TCP sockets with whatever the platform offers. */
export async function collectSockets(system: SystemAccess): Promise<SocketSnapshot> {
  switch (system.platform) {
    case 'linux':
      return collectLinux(system);
    case 'darwin':
      return collectFromNetstat(system, await darwinRange(system));
    case 'win32':
      return collectFromNetstat(system, await windowsRange(system));
    default:
      throw new UnsupportedPlatformError(
        `linger sockets is not supported on ${system.platform}: it reads /proc/net/tcp on Linux and runs netstat -an on macOS and Windows`,
      );
  }
}

async function collectLinux(system: SystemAccess, procRoot = '/proc'): Promise<SocketSnapshot> {
  const warnings: string[] = [];
  const rows: ProcTcpRow[] = parseProcNetTcp(await system.readFile(`${procRoot}/net/tcp`));
  // tcp6 is absent when IPv6 is disabled; that is not an error, but say so.
  try {
    rows.push(...parseProcNetTcp(await system.readFile(`${procRoot}/net/tcp6`)));
  } catch (error) {
    warnings.push(`${procRoot}/net/tcp6 not read (${(error as Error).message}); IPv6 sockets are not shown`);
  }

  let ephemeralRange = LINUX_DEFAULT_RANGE;
  const rangeText = await system.readFile(`${procRoot}/sys/net/ipv4/ip_local_port_range`).catch(() => null);
  const parsed = rangeText === null ? null : parsePortRange(rangeText);
  if (parsed) ephemeralRange = parsed;
  else warnings.push(`could not read ip_local_port_range; assuming the default ${LINUX_DEFAULT_RANGE.join('-')}`);

  const inodes = new Set(rows.map((row) => row.inode).filter((inode) => inode !== 0));
  const owners = await findSocketOwners(inodes, system, procRoot);
  const sockets: SocketRow[] = rows.map((row) => ({
    localAddress: row.localAddress,
    localPort: row.localPort,
    remoteAddress: row.remoteAddress,
    remotePort: row.remotePort,
    state: row.state,
    pid: owners.pidByInode.get(row.inode) ?? null,
  }));
  // TIME_WAIT and orphaned sockets have inode 0 and no owner by nature; others should have one.
  const unowned = rows.filter((row) => row.inode !== 0 && !owners.pidByInode.has(row.inode)).length;
  if (unowned > 0) {
    warnings.push(
      `owner unknown for ${unowned} sockets: ` +
        (owners.unreadable > 0
          ? `${owners.unreadable} processes could not be inspected (run as root to see them)`
          : 'no visible process holds them (another PID namespace or container?)'),
    );
  }
  return { sockets, commands: owners.commands, ephemeralRange, warnings };
}

async function collectFromNetstat(system: SystemAccess, range: RangeGuess): Promise<SocketSnapshot> {
  const table = parseSocketTable(await system.execFile('netstat', ['-an']));
  const warnings = table.problems.slice(0, 5);
  if (table.problems.length > 5) warnings.push(`... and ${table.problems.length - 5} more rows netstat printed that were not understood`);
  if (range.warning) warnings.push(range.warning);
  warnings.push('netstat -an does not name the owning processes; pids are shown as unknown');
  return { sockets: table.sockets, commands: table.commands, ephemeralRange: range.range, warnings };
}

interface RangeGuess {
  range: [number, number];
  warning?: string;
}

async function darwinRange(system: SystemAccess): Promise<RangeGuess> {
  try {
    const out = await system.execFile('sysctl', ['-n', 'net.inet.ip.portrange.first', 'net.inet.ip.portrange.last']);
    const range = parsePortRange(out.trim().split(/\s+/).join(' '));
    if (range) return { range };
  } catch {
    // fall through to the default, with a warning
  }
  return { range: IANA_DYNAMIC_RANGE, warning: `could not read net.inet.ip.portrange; assuming ${IANA_DYNAMIC_RANGE.join('-')}` };
}

async function windowsRange(system: SystemAccess): Promise<RangeGuess> {
  try {
    // "Start Port : 49152" / "Number of Ports : 16384"; localised Windows words differ, the numbers do not.
    const out = await system.execFile('netsh', ['interface', 'ipv4', 'show', 'dynamicport', 'tcp']);
    const numbers = (out.match(/:\s*(\d+)/g) ?? []).map((m) => Number(m.replace(/\D/g, '')));
    if (numbers.length >= 2 && numbers[1] > 0 && numbers[0] + numbers[1] - 1 <= 65535) {
      return { range: [numbers[0], numbers[0] + numbers[1] - 1] };
    }
  } catch {
    // fall through to the default, with a warning
  }
  return { range: IANA_DYNAMIC_RANGE, warning: `could not read the dynamic port range (netsh); assuming ${IANA_DYNAMIC_RANGE.join('-')}` };
}
