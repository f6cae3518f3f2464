import assert from 'node:assert/strict';
import { parseSocketTable } from '../../server/src/sockets/netstat';
import { parseProcNetTcp } from '../../server/src/sockets/procNet';
import { buildReport } from '../../server/src/sockets/report';
import type { CodeSites, SocketRow, SocketSnapshot } from '../../server/src/sockets/types';
import { fixture } from './helpers';

const RANGE: [number, number] = [32768, 60999];

function procSnapshot(): SocketSnapshot {
  const rows = [...parseProcNetTcp(fixture('proc-net-tcp.txt'), { littleEndian: true }), ...parseProcNetTcp(fixture('proc-net-tcp6.txt'), { littleEndian: true })];
  const sockets: SocketRow[] = rows.map(({ inode, ...row }) => ({ ...row, pid: inode !== 0 && inode !== 19 ? 4162 : null }));
  return { sockets, commands: new Map([[4162, 'node']]), ephemeralRange: RANGE, warnings: [] };
}

const keys = (report: { services: Array<{ direction: string; port: number }> }) => report.services.map((s) => `${s.direction}:${s.port}`);

describe('socket report', () => {
  it('groups by service and sorts by CLOSE_WAIT, then TIME_WAIT, then size, then port', () => {
    const { report } = buildReport(procSnapshot());
    assert.deepEqual(keys(report), [
      'inbound:8080', // 3 CLOSE_WAIT
      'outbound:9090', // 2 TIME_WAIT each, ties broken by port
      'outbound:37183',
      'outbound:45825',
      'outbound:9091', // 1 TIME_WAIT each
      'outbound:45670',
      'outbound:8080', // 4 sockets, no CLOSE_WAIT or TIME_WAIT
      'inbound:2024',
      'inbound:9090',
      'inbound:9091',
    ]);
  });

  it('counts states per service with CLOSE_WAIT and TIME_WAIT first, even at 0', () => {
    const { report } = buildReport(procSnapshot());
    const server = report.services[0];
    assert.deepEqual(Object.entries(server.states), [['CLOSE_WAIT', 3], ['TIME_WAIT', 0], ['ESTABLISHED', 1], ['LISTEN', 1]]);
    assert.deepEqual(server.processes, [{ pid: 4162, command: 'node' }]);
    const clients = report.services.find((s) => s.direction === 'outbound' && s.port === 8080)!;
    assert.deepEqual(Object.entries(clients.states), [['CLOSE_WAIT', 0], ['TIME_WAIT', 0], ['ESTABLISHED', 1], ['FIN_WAIT2', 3]]);
  });

  it('keeps a socket inbound when --state hides the LISTEN row of its port', () => {
    const { report } = buildReport(procSnapshot(), { state: 'CLOSE_WAIT' });
    assert.deepEqual(keys(report), ['inbound:8080']);
    assert.equal(report.sockets.length, 3);
    assert.ok(report.sockets.every((s) => s.state === 'CLOSE_WAIT'));
  });

  it('--port keeps sockets whose local or remote port matches', () => {
    const { report } = buildReport(procSnapshot(), { port: 9090 });
    assert.deepEqual(keys(report), ['outbound:9090', 'inbound:9090']);
    assert.equal(report.sockets.length, 3);
    assert.ok(report.sockets.every((s) => s.localPort === 9090 || s.remotePort === 9090));
  });

  it('treats an accepted socket whose listener has closed as inbound', () => {
    const orphan: SocketRow = { localAddress: '10.0.0.5', localPort: 8080, remoteAddress: '10.0.0.9', remotePort: 51234, state: 'CLOSE_WAIT', pid: 7 };
    const dialled: SocketRow = { localAddress: '10.0.0.5', localPort: 50000, remoteAddress: '10.0.0.9', remotePort: 443, state: 'CLOSE_WAIT', pid: 7 };
    const { report } = buildReport({ sockets: [orphan, dialled], commands: new Map(), ephemeralRange: RANGE, warnings: [] });
    assert.deepEqual(keys(report).sort(), ['inbound:8080', 'outbound:443']);
  });

  it('gives the same services for the macOS and the Windows dumps of the same scene', () => {
    const snapshot = (text: string): SocketSnapshot => ({ sockets: parseSocketTable(text).sockets, commands: new Map(), ephemeralRange: [49152, 65535], warnings: [] });
    for (const name of ['netstat-macos-an.txt', 'netstat-windows-an.txt']) {
      const { report } = buildReport(snapshot(fixture(name)));
      const server = report.services.find((s) => s.direction === 'inbound' && s.port === 8080)!;
      assert.equal(server.states.CLOSE_WAIT, 2, name);
      assert.equal(report.services[0], server, `${name}: CLOSE_WAIT service first`);
      const client = report.services.find((s) => s.direction === 'outbound' && s.port === 9090)!;
      assert.equal(client.states.TIME_WAIT, 2, name);
    }
  });

  it('measures ephemeral ports held by outbound sockets only', () => {
    const { ephemeral } = buildReport(procSnapshot());
    assert.equal(ephemeral.rangeSize, 28232);
    assert.equal(ephemeral.portsInUse, 12);
    assert.deepEqual(ephemeral.byState, [['TIME_WAIT', 8], ['ESTABLISHED', 1], ['FIN_WAIT2', 3]]);
  });
});

describe('code correlation', () => {
  const sites: CodeSites = {
    listeners: [
      { file: 'src/server.ts', line: 12, port: 8080 },
      { file: 'src/server.ts', line: 12, port: 8080 }, // reported twice by two rules
      { file: 'src/env.ts', line: 3, port: null },
    ],
    outbound: [
      { file: 'src/client.ts', line: 5, port: 9090, host: '127.0.0.1' },
      { file: 'src/db.ts', line: 7, port: 9090, host: '10.0.0.9' },
      { file: 'src/api.ts', line: 9, port: 9090, host: 'api.internal' },
      { file: '/work/app/src/probe.ts', line: 1, port: 8080, host: 'localhost' },
      { file: 'src/anywhere.ts', line: 2, port: null, host: null },
    ],
  };

  it('puts listen() sites on inbound services and connection sites on outbound ones', () => {
    const { report } = buildReport(procSnapshot(), {}, sites, '/work/app');
    const code = (key: string) => report.services.find((s) => `${s.direction}:${s.port}` === key)!.code;
    assert.deepEqual(code('inbound:8080'), [{ file: 'src/server.ts', line: 12 }]);
    assert.deepEqual(code('inbound:9090'), []);
    // 10.0.0.9 is not a peer of any 9090 socket here; the host name cannot be checked, so it stays.
    assert.deepEqual(code('outbound:9090'), [{ file: 'src/api.ts', line: 9 }, { file: 'src/client.ts', line: 5 }]);
    // localhost matches 127.0.0.1, and the absolute path is shown relative to the workspace.
    assert.deepEqual(code('outbound:8080'), [{ file: 'src/probe.ts', line: 1 }]);
  });
});
