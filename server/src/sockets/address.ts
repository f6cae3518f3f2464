// Address formatting and splitting shared by the /proc and the netstat/ss parsers.

/** Formats 16 bytes as RFC 5952 text; IPv4-mapped addresses keep the dotted tail, as ss prints them. */
export function formatIPv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  }
  // Find the longest run of two or more zero groups; RFC 5952 compresses only that one.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export interface HostPort {
  address: string;
  /** 0 for a wildcard port (`*`). */
  port: number;
}

/**
 * Splits the endpoint notations of ss, Windows netstat and Linux net-tools (`host:port`,
 * `[v6]:port`) and of macOS netstat (`host.port`, `*.*`). Returns null when no port is found.
 */
export function splitEndpoint(text: string): HostPort | null {
  const bracketed = /^\[([^\]]*)\]:(\d+|\*)$/.exec(text);
  if (bracketed) return make(bracketed[1], bracketed[2]);
  // macOS puts a dot before the port. Accept it only when what precedes is clearly an address,
  // so that `10.0.0.1:8080` is never read as host `10.0.0` and port `1:8080`.
  const dotted = /^(.*)\.(\d+|\*)$/.exec(text);
  if (dotted) {
    const host = dotted[1];
    if (IPV4.test(host) || host.includes(':') || host === '*') return make(host, dotted[2]);
  }
  const colon = text.lastIndexOf(':');
  if (colon > 0 || (colon === 0 && text.length > 1)) {
    const port = text.slice(colon + 1);
    if (/^(\d+|\*)$/.test(port)) return make(text.slice(0, colon) || '*', port);
  }
  return null;
}

function make(address: string, port: string): HostPort | null {
  const value = port === '*' ? 0 : Number(port);
  if (!Number.isInteger(value) || value < 0 || value > 65535) return null;
  return { address: stripZone(address), port: value };
}

// `fe80::1%lo0` and `127.0.0.53%lo` carry an interface; the report compares bare addresses.
function stripZone(address: string): string {
  const percent = address.indexOf('%');
  return percent === -1 ? address : address.slice(0, percent);
}

/** `::ffff:127.0.0.1` and `127.0.0.1` name the same peer; compare them as equal. */
export function canonicalAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && IPV4.test(lower.slice(7)) ? lower.slice(7) : lower;
}
