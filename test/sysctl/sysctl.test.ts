import assert from 'node:assert/strict';
import { hoverAt, normaliseKey, parseSysctl, parsePortList, sysctlDiagnostics } from '../../server/src/sysctl';

const SAMPLE = [
  '# /etc/sysctl.d/90-web.conf', //                 1
  '; tuned for the API servers', //                  2
  '', //                                             3
  'net.ipv4.tcp_tw_reuse = 1', //                    4
  '  net.ipv4.tcp_fin_timeout=30', //                5
  '-net/ipv4/tcp_keepalive_time = 600', //           6
  'net.core.somaxconn\t=\t4096', //                  7
  'net.ipv4.ip_local_port_range = 1024 65000', //    8
  'this line has no equals sign', //                 9
  'net.ipv4.tcp_tw_recycle = 1', //                 10
].join('\n');

describe('sysctl.conf parser', () => {
  const { entries, problems } = parseSysctl(SAMPLE);

  it('skips comments and blank lines and reads each assignment', () => {
    assert.deepEqual(entries.map((e) => [e.line, e.key, e.value]), [
      [4, 'net.ipv4.tcp_tw_reuse', '1'],
      [5, 'net.ipv4.tcp_fin_timeout', '30'],
      [6, 'net.ipv4.tcp_keepalive_time', '600'],
      [7, 'net.core.somaxconn', '4096'],
      [8, 'net.ipv4.ip_local_port_range', '1024 65000'],
      [10, 'net.ipv4.tcp_tw_recycle', '1'],
    ]);
  });

  it('records 1-based key and value columns (end exclusive), after indentation and a leading "-"', () => {
    const fin = entries[1];
    assert.deepEqual([fin.keyColumn, fin.keyEndColumn, fin.valueColumn, fin.valueEndColumn], [3, 27, 28, 30]);
    const keepalive = entries[2];
    assert.equal(keepalive.ignoreFailure, true);
    assert.equal(keepalive.rawKey, 'net/ipv4/tcp_keepalive_time');
    assert.equal(keepalive.keyColumn, 2);
    const range = entries[4];
    assert.equal(SAMPLE.split('\n')[7].slice(range.valueColumn - 1, range.valueEndColumn - 1), '1024 65000');
  });

  it('reports lines that are not assignments', () => {
    assert.deepEqual(problems, [{ line: 9, column: 1, endColumn: 29, text: 'this line has no equals sign' }]);
  });

  it('swaps separators when the first one is a slash (sysctl.d(5))', () => {
    assert.equal(normaliseKey('net/ipv4/conf/eth0.100/forwarding'), 'net.ipv4.conf.eth0/100.forwarding');
    assert.equal(normaliseKey('net.ipv4.conf.eth0/100.forwarding'), 'net.ipv4.conf.eth0/100.forwarding');
    assert.equal(normaliseKey('kernel/domainname'), 'kernel.domainname');
  });

  it('reads ip_local_reserved_ports lists', () => {
    assert.deepEqual([...parsePortList('8080, 9000-9002,bogus')], [8080, 9000, 9001, 9002]);
  });
});

describe('sysctl hovers', () => {
  it('explains tcp_fin_timeout on its key, written with slashes too, and links the kernel docs', () => {
    const hover = hoverAt('net/ipv4/tcp_fin_timeout = 30', 1, 5);
    assert.ok(hover);
    assert.match(hover, /^\*\*net\.ipv4\.tcp_fin_timeout\*\* — default: `60`/);
    assert.match(hover, /FIN_WAIT_2/);
    assert.match(hover, /not\*\* the length of TIME_WAIT/);
    assert.match(hover, /https:\/\/docs\.kernel\.org\/networking\/ip-sysctl\.html/);
    assert.match(hover, /https:\/\/www\.kernel\.org\/doc\/Documentation\/networking\/ip-sysctl\.txt/);
  });

  it('answers on the value as well as the key, but not on the "=" or past the end', () => {
    const line = 'net.ipv4.tcp_tw_reuse = 1';
    assert.match(hoverAt(line, 1, line.length) ?? '', /loopback traffic only/);
    assert.equal(hoverAt(line, 1, line.indexOf('=') + 1), null);
    assert.equal(hoverAt(line, 1, line.length + 1), null);
  });

  it('has a text for every key the issue names, with its default', () => {
    const defaults: Record<string, RegExp> = {
      'net.ipv4.tcp_tw_reuse': /default: `2`/,
      'net.ipv4.tcp_fin_timeout': /default: `60`/,
      'net.ipv4.ip_local_port_range': /default: `32768 60999`/,
      'net.ipv4.tcp_max_tw_buckets': /must_ not lower/,
      'net.ipv4.tcp_keepalive_time': /default: `7200`/,
      'net.ipv4.tcp_keepalive_intvl': /default: `75`/,
      'net.ipv4.tcp_keepalive_probes': /default: `9`/,
      'net.core.somaxconn': /default: `4096 \(128 before Linux 5\.4\)`/,
    };
    for (const [key, expected] of Object.entries(defaults)) {
      assert.match(hoverAt(`${key} = 1`, 1, 1) ?? '', expected, key);
    }
  });

  it('returns null for comments, unknown keys and lines out of range', () => {
    assert.equal(hoverAt('# net.ipv4.tcp_fin_timeout = 30', 1, 5), null);
    assert.equal(hoverAt('vm.swappiness = 10', 1, 2), null);
    assert.equal(hoverAt('net.ipv4.tcp_tw_reuse = 1', 2, 1), null);
  });
});

describe('sysctl diagnostics', () => {
  const codes = (text: string, ports?: Array<{ port: number; file?: string; line?: number }>) =>
    sysctlDiagnostics(text, { listeningPorts: ports }).map((d) => `${d.line}:${d.code}:${d.severity}`);

  it('reports the sample file’s mistakes in line order', () => {
    assert.deepEqual(codes(SAMPLE, [{ port: 8080, file: 'src/server.ts', line: 12 }]), [
      '5:sysctl-fin-timeout-not-time-wait:warning',
      '8:sysctl-port-range-parity:hint', // 1024 and 65000 are both even
      '8:sysctl-port-range-overlaps-listener:warning',
      '9:sysctl-syntax:warning',
      '10:sysctl-tcp-tw-recycle-removed:error',
    ]);
  });

  it('places tcp_tw_recycle on the key and says why it is gone', () => {
    const [d] = sysctlDiagnostics('  net.ipv4.tcp_tw_recycle = 1');
    assert.deepEqual([d.line, d.column, d.endLine, d.endColumn], [1, 3, 1, 26]);
    assert.match(d.message, /removed in Linux 4\.12/);
    assert.match(d.message, /NAT/);
  });

  it('treats tcp_tw_recycle = 0 as stale rather than harmful', () => {
    assert.deepEqual(codes('net.ipv4.tcp_tw_recycle = 0'), ['1:sysctl-tcp-tw-recycle-removed:warning']);
  });

  it('flags a lowered tcp_fin_timeout with the TIME_WAIT explanation, not a raised or default one', () => {
    const [d] = sysctlDiagnostics('net.ipv4.tcp_fin_timeout = 15');
    assert.match(d.message, /does not shorten TIME_WAIT/);
    assert.match(d.message, /FIN_WAIT_2/);
    assert.match(d.message, /TCP_TIMEWAIT_LEN, 60 s/);
    assert.deepEqual(codes('net.ipv4.tcp_fin_timeout = 60'), []);
    assert.deepEqual(codes('net.ipv4.tcp_fin_timeout = 120'), []);
  });

  it('names the listening port and its site when the ephemeral range covers it', () => {
    const text = 'net.ipv4.ip_local_port_range = 1024 65001';
    const diagnostics = sysctlDiagnostics(text, {
      listeningPorts: [
        { port: 8080, file: 'src/server.ts', line: 12 },
        { port: 8080, file: 'src/other.ts', line: 3 }, // same port: one diagnostic
        { port: 80, file: 'src/http.ts', line: 1 }, // below the range
        { port: 65002 }, // above the range
      ],
    });
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.match(d.message, /Port 8080 \(src\/server\.ts:12\) listens inside ip_local_port_range 1024-65001/);
    assert.match(d.message, /ip_local_reserved_ports/);
    assert.equal(text.slice(d.column - 1, d.endColumn - 1), '1024 65001');
  });

  it('checks the range ends inclusively', () => {
    assert.equal(codes('net.ipv4.ip_local_port_range = 8080 9001', [{ port: 8080 }]).length, 1);
    assert.equal(codes('net.ipv4.ip_local_port_range = 8000 9001', [{ port: 9001 }]).length, 1);
  });

  it('accepts a listening port reserved with ip_local_reserved_ports anywhere in the file', () => {
    const text = 'net.ipv4.ip_local_port_range = 1024 65001\nnet.ipv4.ip_local_reserved_ports = 8000-8100';
    assert.deepEqual(codes(text, [{ port: 8080 }]), []);
    assert.deepEqual(codes(text, [{ port: 9000 }]), ['1:sysctl-port-range-overlaps-listener:warning']);
  });

  it('rejects malformed ranges and hints at same-parity ends', () => {
    assert.deepEqual(codes('net.ipv4.ip_local_port_range = 60999 32768'), ['1:sysctl-port-range-invalid:error']);
    assert.deepEqual(codes('net.ipv4.ip_local_port_range = 32768'), ['1:sysctl-port-range-invalid:error']);
    assert.deepEqual(codes('net.ipv4.ip_local_port_range = 32768 61000'), ['1:sysctl-port-range-parity:hint']);
    assert.deepEqual(codes('net.ipv4.ip_local_port_range = 32768 60999'), []);
  });

  it('rejects out-of-range values for documented integer keys', () => {
    assert.deepEqual(codes('net.ipv4.tcp_tw_reuse = 3'), ['1:sysctl-invalid-value:error']);
    assert.deepEqual(codes('net.ipv4.tcp_keepalive_time = two hours'), ['1:sysctl-invalid-value:error']);
    assert.deepEqual(codes('net.ipv4.tcp_tw_reuse = 2'), []);
  });

  it('warns that a trailing "# comment" becomes part of the value', () => {
    assert.deepEqual(codes('net.ipv4.tcp_fin_timeout = 60 # the default'), ['1:sysctl-inline-comment:warning']);
  });

  it('stays quiet on keys it does not know', () => {
    assert.deepEqual(codes('vm.swappiness = 10\nkernel.pid_max = 4194304'), []);
  });
});
