import { isIP } from 'node:net';
import { relative, isAbsolute, sep } from 'node:path';
import { canonicalAddress } from './address';
import { classify } from './group';
import type { CodeRef, CodeSites, Service, SocketRow } from './types';

export interface CorrelateOptions {
  /** Absolute site paths under this folder are shown relative to it. */
  cwd?: string;
  /** All sockets of the report, used to check literal hosts of outbound sites. */
  sockets?: readonly SocketRow[];
  listening?: ReadonlySet<number>;
  ephemeralRange?: readonly [number, number];
}

/**
 * Fills `services[].code`: inbound services get the `listen()` sites on their port, outbound
 * services the connection sites that target their port. An outbound site whose host is a
 * literal address is kept only if some socket of the service really goes to that address, so
 * `connect(5432, '10.0.0.9')` is not pinned on a connection to 127.0.0.1:5432. Sites with an
 * unknown port (null) cannot be placed and are left out.
 */
export function attachCode(services: Service[], sites: CodeSites, options: CorrelateOptions = {}): Service[] {
  const peers = remoteAddressesByService(options);
  return services.map((service) => {
    const code: CodeRef[] = [];
    if (service.direction === 'inbound') {
      for (const site of sites.listeners) if (site.port === service.port) code.push(ref(site, options.cwd));
    } else {
      const seen = peers.get(`${service.direction}:${service.port}`);
      for (const site of sites.outbound) {
        if (site.port !== service.port) continue;
        if (seen && site.host !== null && !hostMatches(site.host, seen)) continue;
        code.push(ref(site, options.cwd));
      }
    }
    return { ...service, code: dedupe(code) };
  });
}

function remoteAddressesByService(options: CorrelateOptions): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  if (!options.sockets || !options.listening || !options.ephemeralRange) return result;
  for (const socket of options.sockets) {
    const { direction, port } = classify(socket, options.listening, options.ephemeralRange);
    const key = `${direction}:${port}`;
    if (!result.has(key)) result.set(key, new Set());
    result.get(key)!.add(canonicalAddress(socket.remoteAddress));
  }
  return result;
}

// Host names other than localhost are not resolved (that would need DNS); they always match.
function hostMatches(host: string, seen: ReadonlySet<string>): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare.toLowerCase() === 'localhost') return seen.has('127.0.0.1') || seen.has('::1');
  if (isIP(bare) === 0) return true;
  return seen.has(canonicalAddress(bare));
}

function ref(site: { file: string; line: number }, cwd: string | undefined): CodeRef {
  let file = site.file;
  if (cwd && isAbsolute(file)) {
    const rel = relative(cwd, file);
    if (!rel.startsWith('..') && !isAbsolute(rel)) file = rel;
  }
  return { file: file.split(sep).join('/'), line: site.line };
}

function dedupe(code: CodeRef[]): CodeRef[] {
  const seen = new Set<string>();
  return code
    .filter((c) => {
      const key = `${c.file}:${c.line}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}
