import assert from 'node:assert/strict';
import { formatIPv6 } from '../../server/src/sockets/address';
import { parsePortRange, parseProcNetTcp } from '../../server/src/sockets/procNet';
import { stateFromProcCode } from '../../server/src/sockets/states';
import { fixture } from './helpers';

describe('/proc/net/tcp parser', () => {
  const tcp = parseProcNetTcp(fixture('proc-net-tcp.txt'), { littleEndian: true });
  const tcp6 = parseProcNetTcp(fixture('proc-net-tcp6.txt'), { littleEndian: true });

  it('reads every data row and skips the header', () => {
    assert.equal(tcp.length, 11);
    assert.equal(tcp6.length, 9);
  });

  it('decodes little-endian IPv4 words, hex ports, the state code and the inode', () => {
    assert.deepEqual(tcp[0], { localAddress: '127.0.0.1', localPort: 9090, remoteAddress: '0.0.0.0', remotePort: 0, state: 'LISTEN', inode: 8562 });
    // 0100007F:800C 0100007F:1F90 05 → a client in FIN_WAIT2 towards 8080
    assert.deepEqual(tcp[7], { localAddress: '127.0.0.1', localPort: 32780, remoteAddress: '127.0.0.1', remotePort: 8080, state: 'FIN_WAIT2', inode: 8564 });
  });

  it('gives TIME_WAIT rows inode 0 (no file refers to them)', () => {
    const timeWait = tcp.filter((r) => r.state === 'TIME_WAIT');
    assert.equal(timeWait.length, 5);
    assert.ok(timeWait.every((r) => r.inode === 0));
  });

  it('decodes IPv6 words, including IPv4-mapped peers of a dual-stack server', () => {
    assert.equal(tcp6[0].localAddress, '::');
    assert.equal(tcp6[0].localPort, 8080);
    assert.equal(tcp6[1].localAddress, '::1');
    assert.deepEqual(tcp6[3], {
      localAddress: '::ffff:127.0.0.1',
      localPort: 8080,
      remoteAddress: '::ffff:127.0.0.1',
      remotePort: 32786,
      state: 'CLOSE_WAIT',
      inode: 8574,
    });
    assert.equal(tcp6.filter((r) => r.state === 'CLOSE_WAIT').length, 3);
    assert.equal(tcp6.filter((r) => r.state === 'TIME_WAIT').length, 3);
  });

  it('decodes a global IPv6 address word by word', () => {
    const row = '   0: B80D0120000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0';
    assert.equal(parseProcNetTcp(row, { littleEndian: true })[0].localAddress, '2001:db8::1');
  });

  it('honours host byte order: big-endian machines print 127.0.0.1 as 7F000001', () => {
    const row = '   0: 7F000001:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0';
    assert.equal(parseProcNetTcp(row, { littleEndian: false })[0].localAddress, '127.0.0.1');
    assert.equal(parseProcNetTcp(row, { littleEndian: true })[0].localAddress, '1.0.0.127');
  });

  it('refuses a malformed row instead of dropping it silently', () => {
    const row = '   0: 0100007F:1F90 00000000:0000 0C 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0';
    assert.throws(() => parseProcNetTcp(row), /unexpected \/proc\/net\/tcp row/);
  });

  it('maps all eleven state codes', () => {
    const names = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '0A', '0B'].map(stateFromProcCode);
    assert.deepEqual(names, ['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING']);
    assert.equal(stateFromProcCode('0C'), null);
  });
});

describe('formatIPv6', () => {
  const bytes = (...groups: number[]) => new Uint8Array(groups.flatMap((g) => [g >> 8, g & 0xff]));

  it('compresses only the longest run of zero groups', () => {
    assert.equal(formatIPv6(bytes(0x2001, 0, 0, 1, 0, 0, 0, 1)), '2001:0:0:1::1');
  });

  it('does not compress a single zero group', () => {
    assert.equal(formatIPv6(bytes(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1)), '2001:db8:0:1:1:1:1:1');
  });

  it('writes the unspecified address as ::', () => {
    assert.equal(formatIPv6(bytes(0, 0, 0, 0, 0, 0, 0, 0)), '::');
  });
});

describe('ip_local_port_range', () => {
  it('reads the tab-separated pair', () => {
    assert.deepEqual(parsePortRange('32768\t60999\n'), [32768, 60999]);
  });

  it('rejects reversed or out-of-range values', () => {
    assert.equal(parsePortRange('60999 32768'), null);
    assert.equal(parsePortRange('1024 70000'), null);
    assert.equal(parsePortRange('garbage'), null);
  });
});
