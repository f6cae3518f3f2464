import assert from 'node:assert/strict';
import { runSocketsCommand } from '../../server/src/sockets/cli';
import type { SystemAccess } from '../../server/src/sockets/system';
import type { SocketReport } from '../../server/src/sockets/types';
import { captureIo, fakeLinux, fakeNetstat, fixture } from './helpers';

async function run(args: string[], system: SystemAccess, extra: Partial<Parameters<typeof runSocketsCommand>[1]> = {}) {
  const { io, out, err } = captureIo();
  const code = await runSocketsCommand(args, { ...io, system, ...extra });
  return { code, out: out.join(''), err: err.join('') };
}

describe('linger sockets', () => {
  describe('usage', () => {
    const bad: Array<[string[], RegExp]> = [
      [['--port', '0'], /--port expects a port number 1-65535, got '0'/],
      [['--port', 'http'], /--port expects/],
      [['--port'], /--port needs a value/],
      [['--state', 'WAITING'], /unknown TCP state 'WAITING'/],
      [['--format', 'xml'], /--format must be text or json/],
      [['--watch', '0'], /--watch expects a number of seconds greater than 0/],
      [['--verbose'], /unknown option --verbose/],
      [['8080'], /unexpected argument '8080'/],
    ];
    for (const [args, reason] of bad) {
      it(`exits 2 with a one-line reason for ${args.join(' ')}`, async () => {
        const result = await run(args, fakeLinux());
        assert.equal(result.code, 2);
        assert.equal(result.out, '');
        assert.match(result.err, reason);
        assert.equal(result.err.trimEnd().split('\n').length, 1);
      });
    }

    it('accepts --opt=value and every spelling of a state', async () => {
      const outputs = await Promise.all(
        ['CLOSE_WAIT', 'close-wait', 'CLOSE-WAIT'].map((state) => run(['--format=json', `--state=${state}`], fakeLinux())),
      );
      for (const result of outputs) assert.equal(result.code, 0);
      assert.equal(outputs[1].out, outputs[0].out);
      assert.equal(outputs[2].out, outputs[0].out);
      const report = JSON.parse(outputs[0].out) as SocketReport;
      assert.equal(report.sockets.length, 3);
    });

    it('prints help on --help and exits 0', async () => {
      const result = await run(['--help'], fakeLinux());
      assert.equal(result.code, 0);
      assert.match(result.out, /^usage: linger sockets/);
    });
  });

  describe('on Linux (/proc)', () => {
    it('prints exactly the documented JSON shape', async () => {
      const result = await run(['--format', 'json'], fakeLinux());
      assert.equal(result.code, 0);
      const report = JSON.parse(result.out);
      assert.deepEqual(Object.keys(report), ['ephemeralRange', 'services', 'sockets']);
      assert.deepEqual(report.ephemeralRange, [32768, 60999]);
      assert.deepEqual(report.services[0], {
        direction: 'inbound',
        port: 8080,
        states: { CLOSE_WAIT: 3, TIME_WAIT: 0, ESTABLISHED: 1, LISTEN: 1 },
        processes: [{ pid: 4162, command: 'node' }],
        code: [],
      });
      assert.deepEqual(Object.keys(report.sockets[0]), ['localAddress', 'localPort', 'remoteAddress', 'remotePort', 'state', 'pid']);
      assert.equal(report.sockets.length, 20);
      const timeWait = report.sockets.filter((s: { state: string }) => s.state === 'TIME_WAIT');
      assert.equal(timeWait.length, 8);
      assert.ok(timeWait.every((s: { pid: number | null }) => s.pid === null));
    });

    it('reads the ephemeral range from /proc/sys', async () => {
      const result = await run(['--format', 'json'], fakeLinux({ '/proc/sys/net/ipv4/ip_local_port_range': '10000\t20000\n' }));
      assert.deepEqual(JSON.parse(result.out).ephemeralRange, [10000, 20000]);
    });

    it('says why a socket has no owner', async () => {
      const result = await run([], fakeLinux());
      // inode 19 (port 2024) belongs to a process we cannot see; pid 1 refused to be read.
      assert.match(result.err, /owner unknown for 1 sockets: 1 processes could not be inspected/);
    });

    it('still reports IPv4 when /proc/net/tcp6 is missing, and says so', async () => {
      const result = await run(['--format', 'json'], fakeLinux({ '/proc/net/tcp6': undefined }));
      assert.equal(result.code, 0);
      assert.match(result.err, /IPv6 sockets are not shown/);
      assert.equal(JSON.parse(result.out).sockets.length, 11);
    });

    it('fails with exit 1 and the reason when /proc/net/tcp cannot be read', async () => {
      const result = await run([], fakeLinux({ '/proc/net/tcp': undefined }));
      assert.equal(result.code, 1);
      assert.match(result.err, /linger sockets: ENOENT.*\/proc\/net\/tcp/);
    });

    it('prints the listen() site beside the port', async () => {
      const listeners = async () => ({ listeners: [{ file: '/work/app/src/server.ts', line: 12, port: 8080 }], outbound: [] });
      const result = await run([], fakeLinux(), { listeners });
      assert.match(result.out.split('\n')[0], /^inbound  :8080 +CLOSE_WAIT 3 .* node\(4162\)  src\/server\.ts:12$/);
      assert.match(result.out, /CLOSE_WAIT is fixed in code/);
    });

    it('goes on without code when the inventory fails, and says so', async () => {
      const listeners = async () => {
        throw new Error('tsconfig.json is broken');
      };
      const result = await run([], fakeLinux(), { listeners });
      assert.equal(result.code, 0);
      assert.match(result.err, /could not find listen\(\) sites in \/work\/app \(tsconfig.json is broken\)/);
    });
  });

  describe('on macOS and Windows (netstat -an)', () => {
    it('runs netstat -an without a shell on macOS and reads the port range from sysctl', async () => {
      const { system, calls } = fakeNetstat('darwin', fixture('netstat-macos-an.txt'), {
        'sysctl -n net.inet.ip.portrange.first net.inet.ip.portrange.last': '49152\n65535\n',
      });
      const result = await run(['--format', 'json', '--state', 'close-wait'], system);
      assert.equal(result.code, 0);
      assert.ok(calls.includes('netstat -an'));
      const report = JSON.parse(result.out) as SocketReport;
      assert.deepEqual(report.ephemeralRange, [49152, 65535]);
      assert.deepEqual(
        report.services.map((s) => [s.direction, s.port, s.states.CLOSE_WAIT]),
        [['inbound', 8080, 2]],
      );
      assert.ok(report.sockets.every((s) => s.pid === null));
      assert.match(result.err, /does not name the owning processes/);
    });

    it('reads the Windows dynamic port range from netsh', async () => {
      const netsh = '\r\nProtocol tcp Dynamic Port Range\r\n---------------------------------\r\nStart Port      : 1025\r\nNumber of Ports : 3976\r\n';
      const { system } = fakeNetstat('win32', fixture('netstat-windows-an.txt'), { 'netsh interface ipv4 show dynamicport tcp': netsh });
      const result = await run(['--format', 'json', '--port', '9090'], system);
      const report = JSON.parse(result.out) as SocketReport;
      assert.deepEqual(report.ephemeralRange, [1025, 5000]);
      assert.deepEqual(report.services.map((s) => `${s.direction}:${s.port}:${s.states.TIME_WAIT}`), ['outbound:9090:2', 'inbound:9090:0']);
    });

    it('falls back to 49152-65535 when the range cannot be read, and says so', async () => {
      const { system } = fakeNetstat('win32', fixture('netstat-windows-an.txt'));
      const result = await run(['--format', 'json'], system);
      assert.deepEqual(JSON.parse(result.out).ephemeralRange, [49152, 65535]);
      assert.match(result.err, /assuming 49152-65535/);
    });

    it('fails with exit 1 when netstat cannot run', async () => {
      const { system } = fakeNetstat('darwin', '');
      system.execFile = async (command) => {
        throw new Error(`spawn ${command} ENOENT`);
      };
      const result = await run([], system);
      assert.equal(result.code, 1);
      assert.match(result.err, /spawn netstat ENOENT/);
    });
  });

  it('says plainly that other platforms are not supported', async () => {
    const { system } = fakeNetstat('darwin', '');
    const result = await run([], { ...system, platform: 'aix' });
    assert.equal(result.code, 1);
    assert.equal(result.out, '');
    assert.match(result.err, /not supported on aix/);
  });

  describe('--watch', () => {
    // Each sample adds one CLOSE_WAIT row on port 8080.
    function growingLinux() {
      const base = fakeLinux();
      let samples = 0;
      const extra = (i: number) => `  9${i}: 0100007F:1F90 0100007F:${(0x9000 + i).toString(16).toUpperCase()} 08 00000000:00000000 00:00000000 00000000     0        0 0 1 0 20 4 0 10 -1\n`;
      const system: SystemAccess = {
        ...base,
        async readFile(path) {
          const text = await base.readFile(path);
          if (path !== '/proc/net/tcp') return text;
          samples++;
          return text + Array.from({ length: samples }, (_, i) => extra(i)).join('');
        },
      };
      return system;
    }

    it('re-prints with a timestamped header and marks growing CLOSE_WAIT with ▲', async () => {
      const controller = new AbortController();
      const { io, out } = captureIo();
      let ticks = 0;
      const code = await runSocketsCommand(['--watch', '0.01', '--port', '8080'], {
        ...io,
        system: growingLinux(),
        signal: controller.signal,
        now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, ticks)),
        stdout: (s) => {
          out.push(s);
          if (++ticks === 3) controller.abort();
        },
      });
      assert.equal(code, 0);
      assert.equal(out.length, 3);
      assert.match(out[0], /^--- 2026-01-01T00:00:00\.000Z \(every 0\.01 s, Ctrl-C to stop\) ---\ninbound  :8080  CLOSE_WAIT 4 /);
      assert.ok(!out[0].includes('▲'));
      assert.match(out[1], /^--- 2026-01-01T00:00:01\.000Z .*\ninbound  :8080  CLOSE_WAIT 5 ▲\+1 /);
      assert.match(out[2], /\ninbound  :8080  CLOSE_WAIT 6 ▲\+1 /);
    });

    it('stops on SIGINT and removes its handler', async () => {
      const before = process.listeners('SIGINT');
      const { io, out } = captureIo();
      const running = runSocketsCommand(['--watch', '30', '--format', 'json'], { ...io, system: fakeLinux() });
      // Wait for the first sample, then deliver SIGINT to the handler the command installed.
      const deadline = Date.now() + 5000;
      while (out.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const added = process.listeners('SIGINT').filter((l) => !before.includes(l));
      assert.equal(added.length, 1);
      (added[0] as () => void)();
      assert.equal(await running, 0);
      assert.equal(out.length, 1);
      assert.equal(JSON.parse(out[0]).services[0].port, 8080); // one JSON document per line
      assert.deepEqual(process.listeners('SIGINT'), before);
    });
  });
});
