import type { SystemAccess } from './system';

export interface SocketOwners {
  /** socket inode → pid of the first process found holding it. */
  pidByInode: Map<number, number>;
  commands: Map<number, string>;
  /** Processes whose fd directory could not be read (other users' processes without root). */
  unreadable: number;
}

/**
 * Maps socket inodes to processes through the `socket:[inode]` links in /proc/<pid>/fd.
 * Only the inodes asked for are resolved, and processes that vanish while we look are skipped.
 */
export async function findSocketOwners(
  inodes: ReadonlySet<number>,
  system: SystemAccess,
  procRoot = '/proc',
): Promise<SocketOwners> {
  const pidByInode = new Map<number, number>();
  const commands = new Map<number, string>();
  let unreadable = 0;
  if (inodes.size === 0) return { pidByInode, commands, unreadable };

  // Lowest pid first, so a socket shared after fork() is always credited to the same process.
  const pids = (await system.readdir(procRoot)).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(a) - Number(b));
  for (const pidText of pids) {
    const pid = Number(pidText);
    let fds: string[];
    try {
      fds = await system.readdir(`${procRoot}/${pidText}/fd`);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') unreadable++;
      continue;
    }
    let owns = false;
    // One process can hold thousands of fds; let libuv's pool read the links concurrently.
    const targets = await Promise.all(fds.map((fd) => system.readlink(`${procRoot}/${pidText}/fd/${fd}`).catch(() => '')));
    for (const target of targets) {
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (!match) continue;
      const inode = Number(match[1]);
      if (inodes.has(inode) && !pidByInode.has(inode)) {
        pidByInode.set(inode, pid);
        owns = true;
      }
    }
    if (owns) {
      const comm = await system.readFile(`${procRoot}/${pidText}/comm`).catch(() => '');
      commands.set(pid, comm.trim() || '?');
    }
  }
  return { pidByInode, commands, unreadable };
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { code?: string }).code : undefined;
}
