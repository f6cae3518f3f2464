import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import net from 'node:net';
import { runSocketsCommand } from '../../server/src/sockets/cli';
import type { Service, SocketReport } from '../../server/src/sockets/types';

// Real sockets on 127.0.0.1, read back through the same path as `linger sockets --format json`.
describe('linger sockets on live loopback connections (Linux)', function () {
  const N = 3;
  let cleanups: Array<() => void> = [];

  before(function () {
    if (process.platform !== 'linux') this.skip();
  });

  afterEach(() => {
    for (const cleanup of cleanups.reverse()) cleanup();
    cleanups = [];
  });

  async function listen(server: net.Server): Promise<number> {
    cleanups.push(() => server.close());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as net.AddressInfo).port;
  }

  async function connect(port: number): Promise<net.Socket> {
    const socket = net.connect({ port, host: '127.0.0.1' });
    cleanups.push(() => socket.destroy());
    await once(socket, 'connect');
    return socket;
  }

  async function report(port: number): Promise<SocketReport> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runSocketsCommand(['--format', 'json', '--port', String(port)], {
      stdout: (s) => void out.push(s),
      stderr: (s) => void err.push(s),
      cwd: process.cwd(),
    });
    assert.equal(code, 0, err.join(''));
    return JSON.parse(out.join('')) as SocketReport;
  }

  /** Polls the report until `ready` holds, for at most 5 s; fails with the last report. */
  async function until(port: number, ready: (r: SocketReport) => boolean): Promise<SocketReport> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const current = await report(port);
      if (ready(current)) return current;
      if (Date.now() > deadline) assert.fail(`sockets on port ${port} never reached the expected states:\n${JSON.stringify(current.services, null, 2)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const service = (r: SocketReport, direction: Service['direction'], port: number) =>
    r.services.find((s) => s.direction === direction && s.port === port);
  const count = (r: SocketReport, direction: Service['direction'], port: number, state: string) =>
    service(r, direction, port)?.states[state] ?? 0;

  it('reports server-side CLOSE_WAIT when the server never closes after the client FIN', async () => {
    const accepted: net.Socket[] = [];
    // allowHalfOpen: Node would otherwise end the socket for us on the client's FIN.
    const server = net.createServer({ allowHalfOpen: true }, (socket) => {
      accepted.push(socket);
      cleanups.push(() => socket.destroy());
    });
    const port = await listen(server);
    const clientPorts = new Set<number>();
    for (let i = 0; i < N; i++) {
      const client = await connect(port);
      clientPorts.add(client.localPort!);
      client.end();
    }

    const r = await until(port, (x) => count(x, 'inbound', port, 'CLOSE_WAIT') === N && count(x, 'outbound', port, 'FIN_WAIT2') === N);

    const inbound = service(r, 'inbound', port)!;
    assert.deepEqual(Object.entries(inbound.states), [['CLOSE_WAIT', N], ['TIME_WAIT', 0], ['LISTEN', 1]]);
    const comm = readFileSync('/proc/self/comm', 'utf8').trim();
    assert.deepEqual(inbound.processes, [{ pid: process.pid, command: comm }]);
    // Inbound with CLOSE_WAIT sorts before the outbound side.
    assert.equal(r.services[0], inbound);

    const closeWait = r.sockets.filter((s) => s.state === 'CLOSE_WAIT');
    assert.equal(closeWait.length, N);
    for (const s of closeWait) {
      assert.equal(s.localPort, port);
      assert.equal(s.localAddress, '127.0.0.1');
      assert.ok(clientPorts.has(s.remotePort), `peer ${s.remotePort} is one of our clients`);
      assert.equal(s.pid, process.pid);
    }
    assert.equal(accepted.length, N);
  });

  it('reports client-side TIME_WAIT when the client closes first', async () => {
    // Default allowHalfOpen: false, so the server answers the client's FIN with its own.
    const server = net.createServer((socket) => {
      socket.resume();
      cleanups.push(() => socket.destroy());
    });
    const port = await listen(server);
    const clientPorts = new Set<number>();
    for (let i = 0; i < N; i++) {
      const client = await connect(port);
      clientPorts.add(client.localPort!);
      client.end();
      await once(client, 'close');
    }

    const r = await until(
      port,
      (x) => count(x, 'outbound', port, 'TIME_WAIT') === N && count(x, 'inbound', port, 'LISTEN') === 1 && service(x, 'inbound', port)!.states.ESTABLISHED === undefined && service(x, 'inbound', port)!.states.LAST_ACK === undefined,
    );

    const outbound = service(r, 'outbound', port)!;
    assert.deepEqual(Object.entries(outbound.states), [['CLOSE_WAIT', 0], ['TIME_WAIT', N]]);
    // A TIME_WAIT socket belongs to no process any more.
    assert.deepEqual(outbound.processes, []);
    const timeWait = r.sockets.filter((s) => s.state === 'TIME_WAIT');
    assert.deepEqual(new Set(timeWait.map((s) => s.localPort)), clientPorts);
    assert.ok(timeWait.every((s) => s.remotePort === port && s.pid === null));
    assert.deepEqual(Object.entries(service(r, 'inbound', port)!.states), [['CLOSE_WAIT', 0], ['TIME_WAIT', 0], ['LISTEN', 1]]);
  });
});
