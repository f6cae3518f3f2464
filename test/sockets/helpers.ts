import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SystemAccess } from '../../server/src/sockets/system';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'sockets');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Fd links of the capturing process (pid 4162) for the sockets in proc-net-tcp{,6}.txt. */
export const CAPTURED_FDS: Record<string, string> = {
  '0': '/dev/null',
  '19': 'socket:[8561]',
  '20': 'socket:[8562]',
  '21': 'socket:[8563]',
  '22': 'socket:[8564]',
  '23': 'socket:[8565]',
  '24': 'socket:[8566]',
  '25': 'socket:[8567]',
  '26': 'socket:[8577]',
  '29': 'socket:[8571]',
  '30': 'socket:[8576]',
  '32': 'socket:[8574]',
};

function enoent(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
}

/**
 * A Linux machine made of the captured /proc files: pid 4162 ("node") owns the sockets, pid 1's
 * fd directory is not readable, and pid 77 exits between listing and reading.
 */
export function fakeLinux(overrides: Partial<Record<string, string>> = {}): SystemAccess {
  const files: Record<string, string | undefined> = {
    '/proc/net/tcp': fixture('proc-net-tcp.txt'),
    '/proc/net/tcp6': fixture('proc-net-tcp6.txt'),
    '/proc/sys/net/ipv4/ip_local_port_range': '32768\t60999\n',
    '/proc/4162/comm': 'node\n',
    ...overrides,
  };
  return {
    platform: 'linux',
    async readFile(path) {
      const text = files[path];
      if (text === undefined) throw enoent(path);
      return text;
    },
    async readdir(path) {
      if (path === '/proc') return ['1', '77', '4162', 'self', 'net', 'sys'];
      if (path === '/proc/4162/fd') return Object.keys(CAPTURED_FDS);
      if (path === '/proc/1/fd') throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      throw enoent(path);
    },
    async readlink(path) {
      const match = /^\/proc\/4162\/fd\/(\d+)$/.exec(path);
      if (match && CAPTURED_FDS[match[1]]) return CAPTURED_FDS[match[1]];
      throw enoent(path);
    },
    async execFile(command) {
      throw new Error(`unexpected exec of ${command} on linux`);
    },
  };
}

/** A macOS or Windows machine whose `netstat -an` prints `text`; records the commands run. */
export function fakeNetstat(platform: 'darwin' | 'win32', text: string, extra: Record<string, string> = {}) {
  const calls: string[] = [];
  const system: SystemAccess = {
    platform,
    readFile: async (path) => {
      throw enoent(path);
    },
    readdir: async (path) => {
      throw enoent(path);
    },
    readlink: async (path) => {
      throw enoent(path);
    },
    async execFile(command, args) {
      const line = [command, ...args].join(' ');
      calls.push(line);
      if (line === 'netstat -an') return text;
      if (extra[line] !== undefined) return extra[line];
      throw new Error(`${line}: not found`);
    },
  };
  return { system, calls };
}

/** Captures what a command writes. */
export function captureIo(cwd = '/work/app') {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), cwd },
  };
}
