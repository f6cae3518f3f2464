import assert from 'node:assert/strict';
import { CLOSE_WAIT_HINT, formatText } from '../../server/src/sockets/format';
import { buildReport, type BuiltReport } from '../../server/src/sockets/report';
import type { SocketRow } from '../../server/src/sockets/types';

const RANGE: [number, number] = [32768, 60999];

function built(sockets: SocketRow[]): BuiltReport {
  return buildReport({ sockets, commands: new Map([[123, 'node']]), ephemeralRange: RANGE, warnings: [] }, {}, {
    listeners: [{ file: 'src/server.ts', line: 12, port: 8080 }],
    outbound: [],
  });
}

function rows(n: number, row: Omit<SocketRow, 'remotePort'> & { remotePort?: number }): SocketRow[] {
  return Array.from({ length: n }, (_, i) => ({ remotePort: 40000 + i, ...row }));
}

const listener: SocketRow = { localAddress: '0.0.0.0', localPort: 8080, remoteAddress: '0.0.0.0', remotePort: 0, state: 'LISTEN', pid: 123 };

describe('text output', () => {
  it('prints one compact line per service: counts, owners and code', () => {
    const text = formatText(
      built([
        ...rows(340, { localAddress: '127.0.0.1', localPort: 8080, remoteAddress: '127.0.0.1', state: 'CLOSE_WAIT', pid: 123 }),
        ...rows(3, { localAddress: '127.0.0.1', localPort: 8080, remoteAddress: '127.0.0.1', state: 'ESTABLISHED', pid: 123 }),
        listener,
      ]),
    );
    assert.equal(text.split('\n')[0], 'inbound  :8080  CLOSE_WAIT 340  TIME_WAIT 0  ESTABLISHED 3  LISTEN 1  node(123)  src/server.ts:12');
  });

  it('states how many ephemeral ports outbound sockets hold, and explains CLOSE_WAIT', () => {
    const text = formatText(
      built([
        ...rows(2, { localAddress: '127.0.0.1', localPort: 8080, remoteAddress: '127.0.0.1', state: 'CLOSE_WAIT', pid: 123 }),
        listener,
        { localAddress: '10.0.0.5', localPort: 40001, remoteAddress: '10.0.0.9', remotePort: 5432, state: 'TIME_WAIT', pid: null },
        { localAddress: '10.0.0.5', localPort: 40001, remoteAddress: '10.0.0.8', remotePort: 5432, state: 'TIME_WAIT', pid: null },
        { localAddress: '10.0.0.5', localPort: 40002, remoteAddress: '10.0.0.9', remotePort: 5432, state: 'ESTABLISHED', pid: 123 },
      ]),
    );
    const lines = text.trimEnd().split('\n');
    // Two TIME_WAIT sockets share local port 40001 (different peers): 2 ports, 3 sockets.
    assert.ok(lines.includes('TIME_WAIT 2 + ESTABLISHED 1 sockets using 2 of the 28232 ephemeral ports (32768-60999)'), text);
    assert.ok(lines.includes(CLOSE_WAIT_HINT));
    assert.ok(!text.includes('TIME_WAIT is high'));
  });

  it('gives no CLOSE_WAIT hint when there is none', () => {
    const text = formatText(built([listener]));
    assert.ok(!text.includes(CLOSE_WAIT_HINT));
    assert.match(text, /no outbound sockets using the 28232 ephemeral ports/);
  });

  it('warns about TIME_WAIT from 1000 sockets on', () => {
    const timeWait = (n: number) =>
      rows(n, { localAddress: '10.0.0.5', localPort: 443, remoteAddress: '10.0.0.9', state: 'TIME_WAIT', pid: null }).map((r, i) => ({ ...r, remotePort: 1024 + i }));
    // Inbound TIME_WAIT (the server closed first) on a listening port.
    const server: SocketRow = { ...listener, localPort: 443 };
    assert.ok(!formatText(built([server, ...timeWait(999)])).includes('TIME_WAIT is high'));
    assert.match(formatText(built([server, ...timeWait(1000)])), /TIME_WAIT is high \(1000\).*60 s/);
  });

  it('marks CLOSE_WAIT growth with ▲ only on the services that grew', () => {
    const report = built([
      ...rows(5, { localAddress: '127.0.0.1', localPort: 8080, remoteAddress: '127.0.0.1', state: 'CLOSE_WAIT', pid: 123 }),
      listener,
      { localAddress: '127.0.0.1', localPort: 40000, remoteAddress: '127.0.0.1', remotePort: 9000, state: 'CLOSE_WAIT', pid: 123 },
    ]);
    const text = formatText(report, { growth: new Map([['inbound:8080', 2]]) });
    const [first, second] = text.split('\n');
    assert.match(first, /^inbound  :8080 +CLOSE_WAIT 5 ▲\+2 /);
    assert.ok(!second.includes('▲'), second);
  });

  it('says when nothing matches the filters', () => {
    const report = buildReport({ sockets: [listener], commands: new Map(), ephemeralRange: RANGE, warnings: [] }, { state: 'CLOSE_WAIT', port: 8080 });
    assert.match(formatText(report, { filters: { state: 'CLOSE_WAIT', port: 8080 } }), /^no TCP sockets on port 8080 in CLOSE_WAIT\n/);
  });
});
