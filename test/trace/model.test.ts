// The parent's side of the trace without a process: stack frames, kinds, the join of journal
// records with kernel rows by 4-tuple, the rule of each site, sorting and the text table.
import * as assert from 'node:assert/strict';
import type { ProcTcpRow } from '../../server/src/sockets/procNet';
import { formatTraceText } from '../../server/src/trace/format';
import { packageOf, parseFrame, siteFrame, parseStack } from '../../server/src/trace/frames';
import { kindOf } from '../../server/src/trace/kinds';
import { TraceModel, CLOSED_RETENTION_MS } from '../../server/src/trace/model';
import { cut } from '../../server/src/trace/preload/stacks';
import type { JournalRecord } from '../../server/src/trace/records';
import { buildTraceReport, type RunInfo } from '../../server/src/trace/report';
import { SiteResolver } from '../../server/src/trace/resolve';
import { assertSchema } from './helpers';

const APP = '/srv/app';
const stack = (...lines: string[]) => lines.join('\n');
const row = (state: string, local: string, localPort: number, remote: string, remotePort: number): ProcTcpRow => ({
  localAddress: local, localPort, remoteAddress: remote, remotePort, state, inode: 0,
});
const run = (over: Partial<RunInfo> = {}): RunInfo => ({
  command: ['node', 'app.js'], cwd: APP, startedAt: 1_000, endedAt: 11_000, exitCode: 0, signal: null,
  platform: 'linux', intervalSeconds: 2, warnings: [], ...over,
});

describe('trace: frames and kinds', () => {
  it('parses the frame shapes V8 prints, ESM URLs included', () => {
    assert.deepEqual(parseFrame('at fetchUser (/srv/app/src/users.js:12:5)'), { function: 'fetchUser', file: '/srv/app/src/users.js', line: 12, column: 5 });
    assert.deepEqual(parseFrame('at file:///srv/app/main.mjs:3:28'), { function: null, file: '/srv/app/main.mjs', line: 3, column: 28 });
    assert.deepEqual(parseFrame('at async Promise.all (index 0)'), null);
    assert.equal(parseFrame('at async loadAll (/srv/app/a.js:1:2)')?.function, 'loadAll');
    assert.equal(parseFrame('at Object.<anonymous> (/srv/app/a.js:1:2)')?.function, null, "a CommonJS module's top level");
    assert.equal(parseFrame('at Client.query [as q] (/srv/app/a.js:1:2)')?.function, 'Client.query');
    assert.equal(parseFrame('at new Pool (/srv/app/a.js:9:1)')?.function, 'new Pool');
    assert.equal(parseFrame('not a frame'), null);
  });

  it('takes the first frame outside node_modules and Node, or a library frame when there is no other', () => {
    const frames = parseStack(stack(
      'at Object.connect (node:net:234:28)',
      'at Connection.connect (/srv/app/node_modules/pg/lib/connection.js:44:17)',
      'at connect (/srv/app/src/db.js:7:10)',
      'at main (/srv/app/src/main.js:2:1)',
    ));
    assert.deepEqual(siteFrame(frames), { frame: frames[2], inLibrary: false });
    const library = parseStack('at Object.connect (node:net:234:28)\nat Timeout._onTimeout (/srv/app/node_modules/pg-pool/index.js:99:3)');
    assert.deepEqual(siteFrame(library), { frame: library[1], inLibrary: true });
    assert.equal(siteFrame(parseStack('at Object.connect (node:net:234:28)')), null);
  });

  it('names the package of a frame, scoped and nested ones included', () => {
    assert.equal(packageOf('/srv/app/node_modules/pg/lib/client.js'), 'pg');
    assert.equal(packageOf('/srv/app/node_modules/@redis/client/dist/index.js'), '@redis/client');
    assert.equal(packageOf('/srv/app/node_modules/a/node_modules/ws/lib/websocket.js'), 'ws');
    assert.equal(packageOf('/srv/app/src/pg/client.js'), null);
  });

  it("kinds: a catalog library in the stack, else Node's frames and the channel", () => {
    const kind = (hint: Parameters<typeof kindOf>[0], ...lines: string[]) => kindOf(hint, parseStack(stack(...lines)));
    assert.equal(kind('connect', 'at connect (node:net:1:1)', 'at C.connect (/a/node_modules/pg/lib/connection.js:1:1)', 'at f (/a/src/x.js:1:1)'), 'pg');
    assert.equal(kind('connect', 'at connect (node:net:1:1)', 'at P.newClient (/a/node_modules/pg-pool/index.js:1:1)', 'at f (/a/src/x.js:1:1)'), 'pg');
    assert.equal(kind('connect', 'at connect (node:net:1:1)', 'at initAsClient (/a/node_modules/ws/lib/websocket.js:1:1)', 'at f (/a/src/x.js:1:1)'), 'ws');
    assert.equal(kind('connect', 'at connect (node:net:1:1)', 'at connect (node:internal/deps/undici/undici:1:1)', 'at f (/a/src/x.js:1:1)'), 'fetch');
    assert.equal(kind('connect', 'at connect (node:net:1:1)', 'at A.createSocket (node:_http_agent:1:1)', 'at f (/a/src/x.js:1:1)'), 'http');
    assert.equal(kind('handle', 'at connect (node:_tls_wrap:1:1)', 'at f (/a/src/x.js:1:1)'), 'tls');
    assert.equal(kind('https'), 'https');
    assert.equal(kind('accept', 'at Server.listen (node:net:1:1)', 'at f (/a/node_modules/pg/x.js:1:1)'), 'accepted');
    assert.equal(kind('connect', 'at connect (node:net:1:1)', 'at f (/a/src/x.js:1:1)', 'at g (/a/node_modules/pg/x.js:1:1)'), 'client', 'libraries above the app do not count');
  });

  it("the preload cuts its own frames and everything past the app's first frame", () => {
    const text = stack('Error', '    at Sites.here (/opt/linger/dist/trace-preload.js:1:200)', '    at Channel.publish (node:diagnostics_channel:143:9)',
      '    at Object.connect (node:net:234:28)', '    at open (/srv/app/src/x.js:4:9)', '    at main (/srv/app/src/main.js:1:1)');
    assert.equal(cut(text, '/opt/linger/dist/trace-preload.js'), 'at Object.connect (node:net:234:28)\nat open (/srv/app/src/x.js:4:9)');
  });
});

describe('trace: the model and the report', () => {
  const SERVER = stack('at Server.listen (node:net:2016:32)', `at start (${APP}/server.js:10:8)`);
  const CLIENT = stack('at Object.connect (node:net:234:28)', 'at A.createSocket (node:_http_agent:340:26)', `at poll (${APP}/src/poll.js:4:3)`);

  function model(source: 'kernel' | 'socket events' = 'kernel', exitRows: ProcTcpRow[] = []) {
    return new TraceModel(new SiteResolver(), source, () => exitRows);
  }
  const feed = (m: TraceModel, key: string, records: JournalRecord[]) => records.forEach((r) => m.apply(key, r));
  const hello = (pid: number): JournalRecord => ['hello', { pid, ppid: 1, threadId: 0, argv: ['node', 'app.js'], cwd: APP, node: 'v20.0.0', platform: 'linux', t: 1_000 }];

  it('joins sockets with kernel rows by 4-tuple (IPv4-mapped addresses too) and counts states per site', () => {
    const m = model();
    feed(m, '100-0', [
      hello(100),
      ['site', 1, 'accept', SERVER],
      ['open', 1, 1, 'accept', '::ffff:127.0.0.1', 8080, '::ffff:127.0.0.1', 40001, 1_100, 1],
      ['open', 2, 1, 'accept', '::ffff:127.0.0.1', 8080, '::ffff:127.0.0.1', 40002, 1_200, 1],
      ['open', 3, 1, 'accept', '::ffff:127.0.0.1', 8080, '::ffff:127.0.0.1', 40003, 1_300, 1],
      ['end', 1, 1_500],
    ]);
    m.sample([
      row('CLOSE_WAIT', '::ffff:127.0.0.1', 8080, '::ffff:127.0.0.1', 40001),
      row('CLOSE_WAIT', '127.0.0.1', 8080, '127.0.0.1', 40002),
      row('ESTABLISHED', '127.0.0.1', 8080, '127.0.0.1', 40003),
      // Another process's socket with mirrored ports must not count.
      row('FIN_WAIT2', '127.0.0.1', 40001, '127.0.0.1', 8080),
    ], 3_000);
    const report = buildTraceReport(m, run({ endedAt: null, exitCode: null }), 5_000);
    assertSchema(report);
    const [site] = report.sites;
    assert.equal(site.file, 'server.js');
    assert.equal(site.function, 'start');
    assert.deepEqual(site.states, { CLOSE_WAIT: 2, ESTABLISHED: 1 });
    // The oldest: since Node read the FIN at 1.5 s, 3.5 s before the report.
    assert.deepEqual(site.closeWait, { count: 2, oldestSeconds: 3.5 });
    assert.equal(site.rule?.id, 'half-open-socket');
    assert.equal(site.rule?.message, '2 sockets accepted by the server listening at server.js:10 in CLOSE_WAIT: the peers closed and, with allowHalfOpen, nothing ended them');
    assert.deepEqual(site.pids, [100]);
  });

  it('counts each closed socket once in TIME_WAIT, and its rate over the span of the site', () => {
    const m = model();
    const records: JournalRecord[] = [hello(7), ['site', 1, 'connect', CLIENT]];
    for (let i = 0; i < 4; i++) {
      records.push(['open', i, 1, 'connect', '10.0.0.2', 50000 + i, '10.0.0.9', 80, 2_000 + i * 1_000, 0]);
      records.push(['close', i, 2_500 + i * 1_000, 1]);
    }
    records.push(['count', 1, 4, 4, 0]);
    feed(m, '7-0', records);
    const rows = [0, 1, 2, 3].map((i) => row('TIME_WAIT', '10.0.0.2', 50000 + i, '10.0.0.9', 80));
    m.sample(rows, 6_000);
    m.sample(rows, 8_000);
    const site = buildTraceReport(m, run(), 9_000).sites[0];
    assert.deepEqual(site.timeWait, { count: 4, perSecond: 1.14 }); // 4 closes between 2.0 s and 5.5 s
    assert.deepEqual(site.sockets, { opened: 4, closed: 4, open: 0, closedByThisSide: 4 });
    assert.equal(site.kind, 'http');
    assert.equal(site.rule?.id, 'connection-churn');
    assert.equal(site.rule?.message, '4 connections opened at src/poll.js:4 and closed by this side left in TIME_WAIT (1.1/s)');
    m.sweep(5_500 + CLOSED_RETENTION_MS + 1);
    assert.equal(m.processes.get('7-0')!.sockets.size, 0, 'closed sockets are forgotten after the retention');
  });

  it('keeps at most the cap of closed sockets per process, dropping the oldest once sampled', () => {
    const m = model();
    const records: JournalRecord[] = [hello(3), ['site', 1, 'connect', CLIENT]];
    for (let i = 0; i < 5; i++) records.push(['open', i, 1, 'connect', '10.0.0.2', 50000 + i, '10.0.0.9', 80, 1_000 + i, 0], ['close', i, 1_500 + i, 1]);
    records.push(['open', 9, 1, 'connect', '10.0.0.2', 50009, '10.0.0.9', 80, 1_100, 0]);
    feed(m, '3-0', records);
    m.sweep(2_000, 2);
    assert.equal(m.processes.get('3-0')!.sockets.size, 6, 'none sampled yet: all kept to be counted in TIME_WAIT');
    m.sample([0, 1, 2, 3, 4].map((i) => row('TIME_WAIT', '10.0.0.2', 50000 + i, '10.0.0.9', 80)), 2_500);
    m.sweep(3_000, 2);
    assert.deepEqual([...m.processes.get('3-0')!.sockets.keys()], [3, 4, 9], 'the two newest closed and the open one');
    assert.equal(buildTraceReport(m, run(), 4_000).sites[0].timeWait.count, 5);
  });

  it('calls ten requests or more on as many new connections churn, wherever their TIME_WAIT is', () => {
    const m = model();
    const records: JournalRecord[] = [hello(8), ['site', 1, 'connect', CLIENT]];
    for (let i = 0; i < 12; i++) records.push(['open', i, 1, 'connect', '10.0.0.2', 50000 + i, '10.0.0.9', 80, 2_000, 0], ['close', i, 2_100, 0]);
    records.push(['count', 1, 12, 12, 0]);
    feed(m, '8-0', records);
    m.sample([], 3_000);
    const site = buildTraceReport(m, run(), 4_000).sites[0];
    assert.equal(site.timeWait.count, 0);
    assert.equal(site.rule?.message, '12 connections for 12 requests at src/poll.js:4: a new connection per request; the other side closed them, so their TIME_WAIT is there');
  });

  it("keeps an exited process's states as they were in its exit snapshot", () => {
    const m = model('kernel', [row('CLOSE_WAIT', '127.0.0.1', 9000, '127.0.0.1', 41000)]);
    feed(m, '9-0', [hello(9), ['site', 1, 'accept', SERVER], ['open', 1, 1, 'accept', '127.0.0.1', 9000, '127.0.0.1', 41000, 1_000, 0],
      ['count', 1, 0, 0, 0], ['exit', 4_000, 3, '/tmp/x.exit.tcp']]);
    // The kernel no longer has the socket: a later sample changes nothing for the exited process.
    m.sample([], 6_000);
    const report = buildTraceReport(m, run({ exitCode: 3 }), 7_000);
    assert.deepEqual(report.sites[0].states, { CLOSE_WAIT: 1 });
    assert.equal(report.sites[0].closeWait.oldestSeconds, 0);
    assert.equal(report.sites[0].rule?.id, 'unclosed-connection');
    assert.equal(report.processes[0].exitCode, 3);
    assert.equal(report.processes[0].exitedAt, new Date(4_000).toISOString());
  });

  it('without the kernel, derives CLOSE_WAIT and TIME_WAIT from the sockets\' own events', () => {
    const m = model('socket events');
    feed(m, '5-0', [hello(5), ['site', 1, 'connect', CLIENT],
      ['open', 1, 1, 'connect', '::1', 50000, '::1', 80, 1_000, 0], ['end', 1, 2_000],
      ['open', 2, 1, 'connect', '::1', 50001, '::1', 80, 1_000, 0], ['close', 2, 2_000, 1],
      ['open', 3, 1, 'connect', '::1', 50002, '::1', 80, 1_000, 0]]);
    const site = buildTraceReport(m, run({ platform: 'darwin' }), 4_000).sites[0];
    assert.deepEqual(site.states, { CLOSE_WAIT: 1, ESTABLISHED: 1 });
    assert.deepEqual(site.timeWait, { count: 1, perSecond: 1 });
  });

  it('sorts by CLOSE_WAIT, then TIME_WAIT rate, then unconsumed responses; names unconsumed responses', () => {
    const m = model('socket events');
    const FETCH = stack('at connect (node:internal/deps/undici/undici:8017:32)', `at load (${APP}/src/load.js:42:9)`);
    feed(m, '1-0', [hello(1), ['site', 1, 'connect', CLIENT], ['site', 2, 'accept', SERVER], ['site', 3, 'connect', FETCH],
      ['open', 1, 1, 'connect', '::1', 1, '::1', 2, 1_000, 0], ['close', 1, 1_000, 1], ['open', 2, 1, 'connect', '::1', 3, '::1', 2, 1_000, 0], ['close', 2, 1_000, 1],
      ['open', 3, 2, 'accept', '::1', 2, '::1', 9, 1_000, 0], ['end', 3, 1_500],
      ['open', 4, 3, 'connect', '::1', 5, '::1', 2, 1_000, 0], ['count', 3, 320, 320, 318]]);
    const report = buildTraceReport(m, run(), 2_500);
    assert.deepEqual(report.sites.map((s) => s.kind), ['accepted', 'http', 'fetch']);
    assert.equal(report.sites[2].rule?.message, 'the response at src/load.js:42 was never consumed in 318 of 320 requests');
    const text = formatTraceText(report);
    assert.match(text, /^linger trace: node app\.js — 10\.0 s, exit code 0, 1 process, states from the sockets' own events/);
    assert.match(text, /\n {2}CLOSE_WAIT +TIME_WAIT +ESTAB +unconsumed +kind +site\n/);
    assert.match(text, /\n +1 \(1 s\) +0 +0 +- +accepted +server\.js:10 \(start\)\n +↳ unclosed-connection: /);
    assert.match(text, /\n +0 +0 +1 +318\/320 +fetch +src\/load\.js:42 \(load\)\n +↳ unconsumed-response: the response at src\/load\.js:42 was never consumed in 318 of 320 requests\n/);
  });

  it('ignores records of a process after it exited, and counts records it cannot place', () => {
    const m = model('socket events');
    feed(m, '2-0', [hello(2), ['open', 1, 99, 'connect', '::1', 1, '::1', 2, 1_000, 0], ['exit', 2_000, 0, null],
      ['site', 1, 'connect', CLIENT], ['open', 2, 1, 'connect', '::1', 1, '::1', 2, 2_500, 0]]);
    assert.equal(m.badRecords, 1);
    assert.equal(buildTraceReport(m, run(), 3_000).sites.length, 0);
  });
});
