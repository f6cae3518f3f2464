import assert from 'node:assert/strict';
import { splitEndpoint } from '../../server/src/sockets/address';
import { parseSocketTable } from '../../server/src/sockets/netstat';
import { normaliseState } from '../../server/src/sockets/states';
import type { SocketRow } from '../../server/src/sockets/types';
import { fixture } from './helpers';

const count = (rows: SocketRow[], state: string, port?: number) =>
  rows.filter((r) => r.state === state && (port === undefined || r.localPort === port || r.remotePort === port)).length;

describe('socket table parser', () => {
  describe('Linux ss -tan', () => {
    const { sockets, problems } = parseSocketTable(fixture('ss-tan.txt'));

    it('reads every row, normalising CLOSE-WAIT, TIME-WAIT, ESTAB and FIN-WAIT-2', () => {
      assert.equal(sockets.length, 20);
      assert.deepEqual(problems, []);
      assert.equal(count(sockets, 'CLOSE_WAIT', 8080), 3);
      assert.equal(count(sockets, 'TIME_WAIT'), 8);
      assert.equal(count(sockets, 'TIME_WAIT', 9090), 2);
      assert.equal(count(sockets, 'FIN_WAIT2', 8080), 3);
      assert.equal(count(sockets, 'ESTABLISHED', 8080), 2);
    });

    it('unwraps bracketed IPv6 and IPv4-mapped endpoints', () => {
      const closeWait = sockets.find((r) => r.state === 'CLOSE_WAIT' && r.remotePort === 32786);
      assert.deepEqual(closeWait, {
        localAddress: '::ffff:127.0.0.1',
        localPort: 8080,
        remoteAddress: '::ffff:127.0.0.1',
        remotePort: 32786,
        state: 'CLOSE_WAIT',
        pid: null,
      });
    });

    it('reads wildcard listeners (*:8080, peer *:*) with port 0 for the peer', () => {
      const listener = sockets.find((r) => r.state === 'LISTEN' && r.localPort === 8080);
      assert.equal(listener?.localAddress, '*');
      assert.equal(listener?.remotePort, 0);
    });
  });

  describe('Linux ss -tanp', () => {
    const { sockets, commands } = parseSocketTable(fixture('ss-tanp.txt'));

    it('takes the owner from the users:(...) column', () => {
      const closeWait = sockets.filter((r) => r.state === 'CLOSE_WAIT');
      assert.deepEqual(new Set(closeWait.map((r) => r.pid)), new Set([4162]));
      assert.equal(commands.get(4162), 'node');
    });

    it('leaves TIME_WAIT and foreign sockets without an owner', () => {
      assert.ok(sockets.filter((r) => r.state === 'TIME_WAIT').every((r) => r.pid === null));
      assert.equal(sockets.find((r) => r.localPort === 2024)?.pid, null);
    });
  });

  it('reads ss -an output that starts with a Netid column', () => {
    const text = 'Netid State      Recv-Q Send-Q Local Address:Port Peer Address:Port\nudp   UNCONN     0      0      0.0.0.0:5353 0.0.0.0:*\ntcp   CLOSE-WAIT 1      0      10.0.0.5:8080 10.0.0.9:41000\n';
    const { sockets } = parseSocketTable(text);
    assert.deepEqual(sockets.map((r) => [r.state, r.localPort, r.remotePort]), [['CLOSE_WAIT', 8080, 41000]]);
  });

  it('reads Linux net-tools netstat -tan, where tcp6 rows may show IPv4 addresses', () => {
    const { sockets, problems } = parseSocketTable(fixture('netstat-linux-tan.txt'));
    assert.deepEqual(problems, []);
    assert.equal(sockets.length, 20);
    assert.equal(count(sockets, 'CLOSE_WAIT', 8080), 3);
    assert.equal(count(sockets, 'TIME_WAIT'), 8);
    const v6Listener = sockets.find((r) => r.state === 'LISTEN' && r.localPort === 9091);
    assert.equal(v6Listener?.localAddress, '::1');
  });

  describe('macOS netstat -an', () => {
    const { sockets, problems } = parseSocketTable(fixture('netstat-macos-an.txt'));

    it('reads only the TCP rows (not udp, multipath or UNIX sockets)', () => {
      assert.deepEqual(problems, []);
      assert.equal(sockets.length, 19);
    });

    it('splits the port after the last dot and maps SYN_RCVD and FIN_WAIT_2', () => {
      assert.equal(count(sockets, 'CLOSE_WAIT', 8080), 2);
      assert.equal(count(sockets, 'FIN_WAIT2', 8080), 2);
      assert.equal(count(sockets, 'TIME_WAIT', 9090), 2);
      assert.equal(count(sockets, 'SYN_RECV', 5432), 1);
      const github = sockets.find((r) => r.remotePort === 443 && r.state === 'ESTABLISHED');
      assert.deepEqual([github?.localAddress, github?.localPort, github?.remoteAddress], ['192.168.1.23', 52311, '140.82.112.4']);
    });

    it('reads IPv6 (::1.9091), zoned link-local and wildcard (*.8080, *.*) endpoints', () => {
      assert.equal(sockets.find((r) => r.localPort === 51250)?.remoteAddress, '::1');
      assert.equal(sockets.find((r) => r.localPort === 8081 && r.state === 'ESTABLISHED')?.localAddress, 'fe80::1');
      const wildcard = sockets.find((r) => r.localPort === 8080 && r.state === 'LISTEN');
      assert.deepEqual([wildcard?.localAddress, wildcard?.remoteAddress, wildcard?.remotePort], ['*', '*', 0]);
    });
  });

  describe('Windows netstat -an', () => {
    const { sockets, problems } = parseSocketTable(fixture('netstat-windows-an.txt'));

    it('reads the TCP rows of a CRLF dump and maps LISTENING', () => {
      assert.deepEqual(problems, []);
      assert.equal(sockets.length, 18);
      assert.equal(count(sockets, 'LISTEN'), 8);
      assert.equal(count(sockets, 'CLOSE_WAIT', 8080), 2);
      assert.equal(count(sockets, 'TIME_WAIT'), 3);
    });

    it('reads bracketed IPv6 with a zone index', () => {
      const linkLocal = sockets.find((r) => r.localPort === 139);
      assert.equal(linkLocal?.localAddress, 'fe80::1c2d:3e4f:5a6b:7c8d');
      assert.equal(sockets.find((r) => r.localPort === 51250)?.remoteAddress, '::1');
    });

    it('takes pids from netstat -ano but not the PID 0 Windows shows for TIME_WAIT', () => {
      const ano = parseSocketTable(fixture('netstat-windows-ano.txt')).sockets;
      assert.deepEqual(ano.map((r) => [r.state, r.pid]), [['LISTEN', 4312], ['CLOSE_WAIT', 4312], ['FIN_WAIT2', 7788], ['TIME_WAIT', null]]);
    });

    it('keeps rows with a state it cannot name (localised Windows) and reports them', () => {
      const { sockets: rows, problems: issues } = parseSocketTable('  TCP    0.0.0.0:135    0.0.0.0:0    ABHÖREN\r\n');
      assert.equal(rows.length, 1);
      assert.equal(rows[0].state, 'ABHÖREN');
      assert.match(issues[0], /unknown TCP state 'ABHÖREN'/);
    });
  });

  it('reports a TCP row whose endpoints cannot be read', () => {
    const { sockets, problems } = parseSocketTable('tcp4 0 0 nonsense other CLOSE_WAIT\n');
    assert.equal(sockets.length, 0);
    assert.match(problems[0], /unreadable row/);
  });
});

describe('state names', () => {
  it('accepts the spellings of every tool and of --state', () => {
    for (const text of ['CLOSE_WAIT', 'close-wait', 'CLOSE-WAIT', 'Close_Wait']) assert.equal(normaliseState(text), 'CLOSE_WAIT');
    assert.equal(normaliseState('TIME-WAIT'), 'TIME_WAIT');
    assert.equal(normaliseState('ESTAB'), 'ESTABLISHED');
    assert.equal(normaliseState('LISTENING'), 'LISTEN');
    assert.equal(normaliseState('FIN-WAIT-1'), 'FIN_WAIT1');
    assert.equal(normaliseState('SYN_RECEIVED'), 'SYN_RECV');
    assert.equal(normaliseState('WAITING'), null);
  });
});

describe('endpoint splitting', () => {
  it('does not mistake an IPv4 host:port for a macOS host.port', () => {
    assert.deepEqual(splitEndpoint('10.0.0.1:8080'), { address: '10.0.0.1', port: 8080 });
    assert.deepEqual(splitEndpoint('10.0.0.1.8080'), { address: '10.0.0.1', port: 8080 });
  });

  it('reads unbracketed IPv6 from older ss and net-tools', () => {
    assert.deepEqual(splitEndpoint(':::22'), { address: '::', port: 22 });
    assert.deepEqual(splitEndpoint('::ffff:127.0.0.1:8080'), { address: '::ffff:127.0.0.1', port: 8080 });
  });

  it('strips an interface suffix', () => {
    assert.deepEqual(splitEndpoint('127.0.0.53%lo:53'), { address: '127.0.0.53', port: 53 });
  });

  it('rejects ports beyond 65535', () => {
    assert.equal(splitEndpoint('127.0.0.1:70000'), null);
  });
});
