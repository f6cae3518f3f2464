// unclosed-connection: a test's WebSocket client to a suite's HTTP server that a project hub is attached to
// (`hub = new DashboardHub(server)`): when the after hook's `hub.close()` terminates each of the hub's
// `wss.clients`, the client gets its peer's close and nothing stays open; a hub whose close() only closes
// its WebSocketServer (ws 8 leaves the clients connected) leaves the client open. A tap test's own `t.teardown(fn)`
// counts as its after hook. A factory hub's close is the function its returned object names (`return { broadcast, close }`).
// A fastify app a project function builds closes through its `preClose`/`onClose` hooks, also one a function it calls adds.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A dashboard test suite; `hubClose` is the body of the hub's close(). */
const HUB_SUITE = (hubClose: string) => ({
  code: `
      const http = require('node:http');
      const { once } = require('node:events');
      const WebSocket = require('ws');
      const { DashboardHub } = require('../src/hub');
      describe('DashboardHub', () => {
        let server;
        let hub;
        let url;
        beforeEach(async () => {
          server = http.createServer();
          hub = new DashboardHub(server);
          server.listen(0, '127.0.0.1');
          await once(server, 'listening');
          url = \`ws://127.0.0.1:\${server.address().port}/live\`;
        });
        afterEach(async () => {
          await hub.close();
          await new Promise((resolve) => server.close(resolve));
        });
        it('greets a new dashboard', async () => {
          const ws = new WebSocket(url);
          const [data] = await once(ws, 'message');
          if (JSON.parse(String(data)).type !== 'hello') throw new Error('no greeting');
        });
      });`,
  ext: '.js' as const,
  file: 'test/hub.test.js',
  files: {
    'src/hub.js': `const { WebSocketServer } = require('ws');\nclass DashboardHub {\n  constructor(server) {\n    this.wss = new WebSocketServer({ server, path: '/live' });\n    this.wss.on('connection', (ws) => ws.send(JSON.stringify({ type: 'hello' })));\n  }\n  close() {\n${hubClose}\n  }\n}\nmodule.exports = { DashboardHub };\n`,
  },
});

export const valid: ValidCase[] = [
  {
    name: "a test's WebSocket to a suite server whose hub the afterEach closes, terminating each of the hub's clients",
    ...HUB_SUITE('    for (const ws of this.wss.clients) ws.terminate();\n    return new Promise((resolve) => this.wss.close(() => resolve()));'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "the same suite with a hub whose close() only closes its WebSocketServer: ws 8 leaves the test's client connected",
    ...HUB_SUITE('    return new Promise((resolve) => this.wss.close(() => resolve()));'),
    errors: [{ line: 21, message: /^WebSocket from `ws` is never closed/ }],
  },
];

/** The same hub under tap, stopped by the test's own `t.teardown(…)`; `hubClose` is the body of the hub's close(). */
const TAP_HUB = (hubClose: string) => ({
  code: `
      const t = require('tap');
      const http = require('node:http');
      const { once } = require('node:events');
      const WebSocket = require('ws');
      const { DashboardHub } = require('../src/hub');
      t.test('greets a new dashboard', async (t) => {
        const server = http.createServer();
        const hub = new DashboardHub(server);
        await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
        t.teardown(async () => {
          await hub.close();
          await new Promise((resolve) => server.close(resolve));
        });
        const ws = new WebSocket(\`ws://127.0.0.1:\${server.address().port}/live\`);
        const [data] = await once(ws, 'message');
        t.equal(JSON.parse(String(data)).type, 'hello');
      });`,
  ext: '.js' as const,
  file: 'test/hub.test.js',
  files: HUB_SUITE(hubClose).files,
});

valid.push({
  name: "a tap test's WebSocket to a server whose hub its t.teardown closes, terminating each of the hub's clients",
  ...TAP_HUB('    for (const ws of this.wss.clients) ws.terminate();\n    return new Promise((resolve) => this.wss.close(() => resolve()));'),
});
invalid.push({
  name: "the same tap test with a hub whose close() only closes its WebSocketServer",
  ...TAP_HUB('    return new Promise((resolve) => this.wss.close(() => resolve()));'),
  errors: [{ line: 14, message: /^WebSocket from `ws` is never closed/ }],
});

/** The same suite over a factory hub (`attachLiveHub(server)` returning `{ broadcast, close }`); `close` is its close function. */
const FACTORY_HUB = (close: string) => {
  const suite = HUB_SUITE('');
  return {
    ...suite,
    code: suite.code.replace("const { DashboardHub } = require('../src/hub');", "const { attachLiveHub } = require('../src/hub');").replace('hub = new DashboardHub(server);', 'hub = attachLiveHub(server);'),
    files: {
      'src/hub.js': `const { WebSocketServer } = require('ws');\nfunction attachLiveHub(server) {\n  const wss = new WebSocketServer({ server, path: '/live' });\n  wss.on('connection', (ws) => ws.send(JSON.stringify({ type: 'hello' })));\n  function broadcast(msg) { for (const ws of wss.clients) ws.send(JSON.stringify(msg)); }\n  function close() {\n${close}\n  }\n  return { broadcast, close };\n}\nmodule.exports = { attachLiveHub };\n`,
    },
  };
};

valid.push({
  name: "a test's WebSocket to a suite server whose factory hub's close (`return { broadcast, close }`) closes each client",
  ...FACTORY_HUB("    for (const ws of wss.clients) ws.close(1001, 'shutting down');\n    return new Promise((resolve) => wss.close(() => resolve()));"),
});
invalid.push({
  name: 'the same factory hub whose close only closes its WebSocketServer',
  ...FACTORY_HUB('    return new Promise((resolve) => wss.close(() => resolve()));'),
  errors: [{ line: 21, message: /^WebSocket from `ws` is never closed/ }],
});

/** The same suite with the server handed to the hub in an options object (`new DashboardHub({ server, heartbeatMs })`). */
const OPTIONS_HUB = (hubClose: string) => {
  const suite = HUB_SUITE(hubClose);
  return {
    ...suite,
    code: suite.code.replace('hub = new DashboardHub(server);', 'hub = new DashboardHub({ server, heartbeatMs: 60000 });'),
    files: { 'src/hub.js': suite.files['src/hub.js'].replace('constructor(server) {', 'constructor({ server, heartbeatMs }) {') },
  };
};

valid.push({
  name: "a test's WebSocket to a suite server handed to the hub in an options object ({ server }), whose close closes each client",
  ...OPTIONS_HUB("    for (const ws of this.wss.clients) ws.close(1001, 'bye');\n    return new Promise((resolve) => this.wss.close(() => resolve()));"),
});
invalid.push({
  name: 'the same options-object hub whose close only closes its WebSocketServer',
  ...OPTIONS_HUB('    return new Promise((resolve) => this.wss.close(() => resolve()));'),
  errors: [{ line: 21, message: /^WebSocket from `ws` is never closed/ }],
});

/** A vitest suite of a fastify app from `buildServer()`, whose `attachDashboard(app)` adds a preClose hook with `hook` as its body. */
const FASTIFY_SUITE = (hook: string) => ({
  code: `
      import { once } from 'node:events';
      import type { AddressInfo } from 'node:net';
      import { afterAll, beforeAll, describe, expect, it } from 'vitest';
      import WebSocket from 'ws';
      import { buildServer } from '../src/server.js';
      describe('dashboard live feed', () => {
        let app: Awaited<ReturnType<typeof buildServer>>;
        let base: string;
        beforeAll(async () => {
          app = await buildServer();
          await app.listen({ port: 0, host: '127.0.0.1' });
          base = \`ws://127.0.0.1:\${(app.server.address() as AddressInfo).port}\`;
        });
        afterAll(async () => {
          await app.close();
        });
        it('greets a dashboard', async () => {
          const ws = new WebSocket(\`\${base}/live\`);
          const [data] = await once(ws, 'message');
          expect(JSON.parse(String(data)).type).toBe('hello');
        });
      });`,
  file: 'test/dashboard.test.ts',
  files: {
    'src/server.ts': "import Fastify from 'fastify';\nimport { attachDashboard } from './dashboard.js';\nexport async function buildServer() {\n  const app = Fastify();\n  attachDashboard(app);\n  return app;\n}\n",
    'src/dashboard.ts': `import { WebSocketServer } from 'ws';\nexport function attachDashboard(app: any) {\n  const wss = new WebSocketServer({ server: app.server, path: '/live' });\n  wss.on('connection', (ws) => ws.send(JSON.stringify({ type: 'hello' })));\n  app.addHook('preClose', async () => {\n${hook}\n  });\n}\n`,
  },
});

valid.push({
  name: "a test's WebSocket to a fastify app whose preClose hook (added by a function its builder calls) terminates each client",
  ...FASTIFY_SUITE('    for (const client of wss.clients) client.terminate();\n    await new Promise<void>((resolve) => wss.close(() => resolve()));'),
});
invalid.push({
  name: 'the same app whose preClose hook only closes its WebSocketServer',
  ...FASTIFY_SUITE('    await new Promise<void>((resolve) => wss.close(() => resolve()));'),
  errors: [{ line: 18, message: /^WebSocket from `ws` is never closed/ }],
});

/**
 * A test's own hub of Socket.IO clients per room (`const hub = new RoomDisplayHub(o)` in the test, whose `connectRoom(room)`
 * keeps the client in `this.sockets` and returns it; `closeAll()` disconnects them); `end` is the test's last statements.
 */
const ROOM_TEST = (end: string) => ({
  code: `
      const { RoomDisplayHub } = require('../src/roomDisplay');
      it('shows a booking on the right display', async () => {
        const hub = new RoomDisplayHub({ token: 'test-token' });
        const socket = hub.connectRoom({ id: 12, host: '127.0.0.1:3030' });
        await new Promise((resolve) => socket.once('connect', resolve));
        if (!hub.showBooking(12, { id: 77 })) throw new Error('not shown');
        ${end}
      });`,
  ext: '.js' as const,
  file: 'test/roomDisplay.test.js',
  files: {
    'src/roomDisplay.js': "const { io } = require('socket.io-client');\nclass RoomDisplayHub {\n  constructor({ token }) {\n    this.token = token;\n    this.sockets = new Map();\n  }\n  connectRoom(room) {\n    const socket = io('http://' + room.host + '/rooms', { auth: { token: this.token } });\n    this.sockets.set(room.id, socket);\n    return socket;\n  }\n  showBooking(roomId, booking) {\n    const socket = this.sockets.get(roomId);\n    if (!socket || !socket.connected) return false;\n    socket.emit('booking:show', booking);\n    return true;\n  }\n  closeAll() {\n    for (const socket of this.sockets.values()) socket.disconnect();\n    this.sockets.clear();\n  }\n}\nmodule.exports = { RoomDisplayHub };\n",
  },
});

invalid.push({
  name: "a test that connects a room through its own hub and never calls the hub's closeAll(): the Socket.IO client stays connected, and reconnects",
  ...ROOM_TEST(''),
  errors: [{ line: 4, message: /^Socket\.IO client from `socket\.io-client\.io` is never closed; it stays open when the function ends/ }],
});
valid.push({
  name: "the same test ending with the hub's closeAll()",
  ...ROOM_TEST('hub.closeAll();'),
});
valid.push({
  name: 'the same test disconnecting the client the hub handed back',
  ...ROOM_TEST('socket.disconnect();'),
});
valid.push({
  name: 'the same test handing its hub to a helper of the suite, which may close it',
  ...ROOM_TEST('await stopHub(hub);'),
});
