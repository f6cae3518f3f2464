// What the TCP settings that matter for TIME_WAIT and CLOSE_WAIT really do. Every statement is
// taken from the kernel's ip-sysctl documentation or the kernel source named beside it; see
// docs/sysctl.md for the citations.

export const KERNEL_DOC_HTML = 'https://docs.kernel.org/networking/ip-sysctl.html';
export const KERNEL_DOC_TXT = 'https://www.kernel.org/doc/Documentation/networking/ip-sysctl.txt';

export interface KeyDoc {
  key: string;
  /** Default on a current kernel, as the documentation states it. */
  defaultValue: string;
  /** Markdown paragraphs. */
  body: string[];
  /** Integer bounds the key accepts, for value checks; absent for non-integer keys. */
  integer?: { min: number; max?: number };
}

export const KEY_DOCS: Record<string, KeyDoc> = {
  'net.ipv4.tcp_tw_reuse': {
    key: 'net.ipv4.tcp_tw_reuse',
    defaultValue: '2',
    integer: { min: 0, max: 2 },
    body: [
      'Lets a new **outgoing** connection (`connect()`) reuse the address and port pair of a socket in TIME_WAIT "when it is safe from protocol viewpoint". `0` disable, `1` global enable, `2` loopback traffic only.',
      'In `tcp_twsk_unique()` (net/ipv4/tcp_ipv4.c) reuse needs TCP timestamps on the old connection and at least one second since its last segment. It does nothing for connections *accepted* by a server, and it does not shorten TIME_WAIT.',
      'The documentation warns: "It should not be changed without advice/request of technical experts." Fewer TIME_WAIT sockets come from reusing connections (HTTP keep-alive, pools).',
    ],
  },
  'net.ipv4.tcp_fin_timeout': {
    key: 'net.ipv4.tcp_fin_timeout',
    defaultValue: '60',
    integer: { min: 0 },
    body: [
      'How long an **orphaned** connection (one no application references any more) stays in **FIN_WAIT_2** before the kernel aborts it. Seconds.',
      'It is **not** the length of TIME_WAIT: TIME_WAIT lasts `TCP_TIMEWAIT_LEN` (60 s), a constant compiled into the kernel (include/net/tcp.h). Lowering this value leaves TIME_WAIT counts unchanged.',
    ],
  },
  'net.ipv4.ip_local_port_range': {
    key: 'net.ipv4.ip_local_port_range',
    defaultValue: '32768 60999',
    body: [
      'The first and last local port the kernel picks for TCP and UDP when none is given (`connect()`, or `bind()` to port 0). The documentation prefers the two numbers to have different parity, and the range must start at or above `ip_unprivileged_port_start`.',
      'Each outgoing connection holds one of these ports, and keeps it for 60 s of TIME_WAIT after it closes first: with the default 28,232 ports that is about 470 new connections per second to one destination address and port.',
      'A server port inside this range can be taken by an outgoing connection before the server starts; list such ports in `net.ipv4.ip_local_reserved_ports`.',
    ],
  },
  'net.ipv4.tcp_max_tw_buckets': {
    key: 'net.ipv4.tcp_max_tw_buckets',
    defaultValue: 'depends on memory, computed at boot',
    integer: { min: 0 },
    body: [
      'The most TIME_WAIT sockets the system holds at once. Beyond it, a socket that should enter TIME_WAIT is destroyed at once; the kernel counts it as `TCPTimeWaitOverflow` (see `nstat -az TcpExtTCPTimeWaitOverflow`), and older kernels also logged "TCP: time wait bucket table overflow".',
      'The documentation: "This limit exists only to prevent simple DoS attacks, you _must_ not lower the limit artificially, but rather increase it". Lowering it gives up the protection TIME_WAIT exists for.',
    ],
  },
  'net.ipv4.tcp_keepalive_time': {
    key: 'net.ipv4.tcp_keepalive_time',
    defaultValue: '7200',
    integer: { min: 1 },
    body: [
      'How long a connection is idle before TCP sends the first keepalive probe, in seconds — **only** on sockets with `SO_KEEPALIVE` set. In Node, `socket.setKeepAlive(true, initialDelay)` turns it on and, with a non-zero delay, replaces this value for that socket.',
      'Keepalive finds peers that vanished. It does not make an application close a socket it has stopped using: a CLOSE_WAIT socket is fixed by calling `end()`/`destroy()` in the code.',
    ],
  },
  'net.ipv4.tcp_keepalive_intvl': {
    key: 'net.ipv4.tcp_keepalive_intvl',
    defaultValue: '75',
    integer: { min: 1 },
    body: [
      'Seconds between keepalive probes once probing has started. Multiplied by `tcp_keepalive_probes` it is the time before an unresponsive connection is dropped: 75 s × 9 ≈ 11 minutes by default.',
    ],
  },
  'net.ipv4.tcp_keepalive_probes': {
    key: 'net.ipv4.tcp_keepalive_probes',
    defaultValue: '9',
    integer: { min: 1 },
    body: ['How many unanswered keepalive probes TCP sends before it decides the connection is broken.'],
  },
  'net.core.somaxconn': {
    key: 'net.core.somaxconn',
    defaultValue: '4096 (128 before Linux 5.4)',
    integer: { min: 0 },
    body: [
      'The upper limit for the `backlog` of `listen()` (SOMAXCONN): larger requests are cut down to it. Node asks for 511 by default.',
      'It bounds the queue of connections waiting for `accept()`; it has no effect on TIME_WAIT or CLOSE_WAIT.',
    ],
  },
  'net.ipv4.tcp_tw_recycle': {
    key: 'net.ipv4.tcp_tw_recycle',
    defaultValue: 'none: removed in Linux 4.12',
    body: [
      '**Removed in Linux 4.12** (commit 4396e46187ca, "tcp: remove tcp_tw_recycle"). It recycled TIME_WAIT sockets early by trusting per-host TCP timestamps to increase; clients behind one NAT address do not share a clock, so their connections were dropped — and once timestamp offsets were randomised per connection (Linux 4.10) it broke every connection the same way. On current kernels the file does not exist and setting it fails.',
    ],
  },
};

export function keyMarkdown(doc: KeyDoc): string {
  return [
    `**${doc.key}** — default: \`${doc.defaultValue}\``,
    ...doc.body,
    `Kernel documentation: [ip-sysctl](${KERNEL_DOC_HTML}) ([text](${KERNEL_DOC_TXT}))`,
  ].join('\n\n');
}
