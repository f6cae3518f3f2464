// `linger trace` on real loopback servers and clients that leak in known places: the JSON report
// names the exact line of each site with its CLOSE_WAIT count, TIME_WAIT rate and unconsumed
// responses. Each app waits on stdin before it exits, and the test lets it go only once the kernel
// shows the expected states, so no result depends on timing.
import * as assert from 'node:assert/strict';
import { formatRate } from '../../server/src/trace/rules';
import { countSockets, requireBuild, siteAt, tempDir, trace, until, writeApp } from './helpers';

describe('linger trace: leaks in known places (Linux)', function () {
  before(function () {
    if (process.platform !== 'linux') this.skip();
    requireBuild();
  });

  it('a server that never ends half-closed connections: CLOSE_WAIT at its listen(), FIN_WAIT2 at the client of a child process', async () => {
    const dir = tempDir();
    const N = 4;
    const server = writeApp(dir, 'server.js', [
      "const net = require('net');",
      "const { fork } = require('child_process');",
      'const held = [];',
      'let ended = 0;',
      'const server = net.createServer({ allowHalfOpen: true }, (socket) => {',
      '  held.push(socket);',
      `  socket.on('end', () => { if (++ended === ${N}) console.log('ready', server.address().port); });`,
      '  socket.resume();',
      '});',
      "server.listen(0, '127.0.0.1', () => { // @site:listen",
      "  const child = fork(require('path').join(__dirname, 'client.js'), [String(server.address().port)]);",
      "  process.stdin.once('data', () => { child.send('exit'); child.once('exit', () => process.exit(0)); });",
      '});',
    ]);
    const client = writeApp(dir, 'client.js', [
      "const net = require('net');",
      'const port = Number(process.argv[2]);',
      `for (let i = 0; i < ${N}; i++) {`,
      "  const socket = net.connect(port, '127.0.0.1'); // @site:connect",
      "  socket.on('connect', () => socket.end());",
      '}',
      "process.on('message', () => process.exit(0));",
    ]);
    // The server saw every FIN; the clients are in FIN_WAIT2 once their kernel has the server's ACK.
    const r = await trace({
      cwd: dir, command: [process.execPath, 'server.js'], ready: /ready (\d+)/,
      whenReady: async (m) => void (await until(`${N} client sockets in FIN_WAIT2`, () => countSockets('FIN_WAIT2', Number(m[1])) === N)),
    });
    assert.equal(r.code, 0, r.stderr);
    const accepted = siteAt(r.report, server.file, server.line('listen'));
    assert.equal(accepted.kind, 'accepted');
    assert.equal(accepted.file, 'server.js');
    assert.equal(accepted.closeWait.count, N);
    assert.equal(accepted.states.CLOSE_WAIT, N);
    assert.equal(accepted.halfOpen, true);
    assert.equal(accepted.rule?.id, 'half-open-socket');
    assert.match(accepted.rule!.message, new RegExp(`^${N} sockets accepted by the server listening at server\\.js:${server.line('listen')} in CLOSE_WAIT`));
    assert.equal(r.report.sites[0], accepted, 'the CLOSE_WAIT site comes first');

    const clients = siteAt(r.report, client.file, client.line('connect'));
    assert.equal(clients.kind, 'client');
    assert.equal(clients.sockets.opened, N);
    assert.equal(clients.states.FIN_WAIT2, N, JSON.stringify(clients.states));
    assert.equal(clients.closeWait.count, 0);
    // The client ran in a child process: traced through NODE_OPTIONS.
    assert.equal(r.report.processes.length, 2);
    const child = r.report.processes.find((p) => p.argv.some((a) => a.endsWith('client.js')));
    assert.ok(child, 'the forked child is a traced process');
    assert.deepEqual(clients.pids, [child.pid]);
    assert.equal(child.exitCode, 0);
  });

  it('a client that drops fetch bodies: unconsumed responses and CLOSE_WAIT at that fetch(), none at the one that reads (ESM)', async () => {
    const dir = tempDir();
    const app = writeApp(dir, 'fetcher.mjs', [
      "import http from 'node:http';",
      '// Larger than what undici buffers, smaller than the socket buffers: the server can send it all and its FIN.',
      'const body = Buffer.alloc(100 * 1024, 120);',
      "const server = http.createServer((req, res) => { res.setHeader('Connection', 'close'); res.end(body); });",
      "await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));",
      'const url = `http://127.0.0.1:${server.address().port}/`;',
      '// Kept, never read: a cache of responses, say.',
      'const kept = [];',
      'async function statusOnly() {',
      '  const res = await fetch(url); // @site:drop',
      '  kept.push(res);',
      '  return res.status;',
      '}',
      'async function readAll() {',
      '  const res = await fetch(url); // @site:read',
      '  return (await res.arrayBuffer()).byteLength;',
      '}',
      'for (let i = 0; i < 3; i++) await statusOnly();',
      'for (let i = 0; i < 2; i++) await readAll();',
      "console.log('ready', server.address().port);",
      "process.stdin.once('data', () => process.exit(0));",
    ]);
    const r = await trace({
      cwd: dir,
      command: [process.execPath, 'fetcher.mjs'],
      ready: /ready (\d+)/,
      whenReady: async (m) => void (await until('3 client sockets in CLOSE_WAIT', () => countSockets('CLOSE_WAIT', Number(m[1])) === 3)),
    });
    assert.equal(r.code, 0, r.stderr);
    const drop = siteAt(r.report, app.file, app.line('drop'));
    assert.equal(drop.kind, 'fetch');
    assert.equal(drop.function, 'statusOnly');
    assert.equal(drop.requests, 3);
    assert.equal(drop.responses, 3);
    assert.equal(drop.unconsumedResponses, 3);
    assert.equal(drop.closeWait.count, 3);
    assert.equal(drop.rule?.id, 'unconsumed-response');
    assert.equal(drop.rule?.message, `the response at fetcher.mjs:${app.line('drop')} was never consumed in 3 of 3 requests; 3 of its connections are in CLOSE_WAIT`);

    const read = siteAt(r.report, app.file, app.line('read'));
    assert.equal(read.responses, 2);
    assert.equal(read.unconsumedResponses, 0);
    assert.equal(read.closeWait.count, 0);
    assert.equal(read.rule, null);
  });

  it('http responses never read are counted at their http.get(), and destroyed ones are not', async () => {
    const dir = tempDir();
    const app = writeApp(dir, 'getter.js', [
      "const http = require('http');",
      'const body = Buffer.alloc(100 * 1024, 120);',
      "const server = http.createServer((req, res) => { res.setHeader('Connection', 'close'); res.end(body); });",
      "server.listen(0, '127.0.0.1', async () => {",
      '  const url = `http://127.0.0.1:${server.address().port}/`;',
      '  const kept = [];',
      '  for (let i = 0; i < 2; i++) {',
      "    await new Promise((resolve) => http.get(url, (res) => { kept.push(res); resolve(); })); // @site:ignore",
      '  }',
      '  for (let i = 0; i < 3; i++) {',
      "    await new Promise((resolve) => http.get(url, (res) => { res.destroy(); resolve(); })); // @site:destroy",
      '  }',
      "  console.log('ready', server.address().port);",
      "  process.stdin.once('data', () => process.exit(0));",
      '});',
    ]);
    const r = await trace({
      cwd: dir,
      command: [process.execPath, 'getter.js'],
      ready: /ready (\d+)/,
      whenReady: async (m) => void (await until('2 client sockets in CLOSE_WAIT', () => countSockets('CLOSE_WAIT', Number(m[1])) === 2)),
    });
    assert.equal(r.code, 0, r.stderr);
    const ignored = siteAt(r.report, app.file, app.line('ignore'));
    assert.equal(ignored.kind, 'http');
    assert.equal(ignored.unconsumedResponses, 2);
    assert.equal(ignored.responses, 2);
    assert.equal(ignored.closeWait.count, 2);
    assert.equal(ignored.rule?.id, 'unconsumed-response');
    const destroyed = siteAt(r.report, app.file, app.line('destroy'));
    assert.equal(destroyed.responses, 3);
    assert.equal(destroyed.unconsumedResponses, 0);
    assert.equal(destroyed.closeWait.count, 0);
  });

  it('a per-request agent: every connection left in TIME_WAIT by this side, at the rate the app made them', async () => {
    const dir = tempDir();
    const N = 40;
    const app = writeApp(dir, 'churn.js', [
      "const http = require('http');",
      "const net = require('net');",
      '// A server that answers and never closes first: the client is always the active closer.',
      'let closed = 0;',
      'const server = net.createServer((socket) => {',
      "  socket.on('data', () => socket.write('HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nConnection: keep-alive\\r\\n\\r\\nok'));",
      "  socket.on('close', () => { if (++closed === " + N + ") console.log('ready', server.address().port, Date.now() - started); });",
      '});',
      'let started = 0;',
      "server.listen(0, '127.0.0.1', async () => {",
      '  started = Date.now();',
      `  for (let i = 0; i < ${N}; i++) {`,
      '    await new Promise((resolve) => {',
      "      http.get({ host: '127.0.0.1', port: server.address().port, agent: new http.Agent() }, (res) => { res.resume(); res.on('end', resolve); }); // @site:get",
      '    });',
      '    await new Promise((resolve) => setTimeout(resolve, 50));',
      '  }',
      "  process.stdin.once('data', () => process.exit(0));",
      '});',
    ]);
    let span = 0;
    const r = await trace({
      cwd: dir,
      command: [process.execPath, 'churn.js'],
      ready: /ready (\d+) (\d+)/,
      whenReady: async (m) => {
        span = Number(m[2]);
        await until(`${N} client sockets in TIME_WAIT`, () => countSockets('TIME_WAIT', Number(m[1])) === N);
      },
    });
    assert.equal(r.code, 0, r.stderr);
    const get = siteAt(r.report, app.file, app.line('get'));
    assert.equal(get.kind, 'http');
    assert.equal(get.requests, N);
    assert.equal(get.sockets.opened, N);
    assert.equal(get.sockets.closedByThisSide, N);
    assert.equal(get.timeWait.count, N);
    assert.equal(get.states.TIME_WAIT, N);
    // The app's own clock and the trace's measure the same span; 25% covers a busy machine.
    const expected = N / (span / 1000);
    assert.ok(Math.abs(get.timeWait.perSecond - expected) / expected < 0.25, `rate ${get.timeWait.perSecond}/s, expected about ${expected.toFixed(1)}/s`);
    assert.equal(get.rule?.id, 'connection-churn');
    assert.equal(get.rule!.message, `${N} connections for ${N} requests at churn.js:${app.line('get')}: a new connection per request; ${N} left in TIME_WAIT here (${formatRate(get.timeWait.perSecond)}/s)`);
  });
});
