// The requests and notifications a broken or careless client sends, for the soak
// (scripts/soak.mjs): about documents that are not open, with stale versions, malformed frames and
// headers, unknown methods, invalid params. Each is a function of the session (scripts/soak/session.mjs).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { count } from './session.mjs';
import { SNIPPETS } from './text.mjs';

const uriOf = (file) => pathToFileURL(file).href;

export function unknownDocumentAction(s) {
  const uri = uriOf(path.join(s.ws, 'app', 'src', `never-opened-${s.rng.int(5)}.ts`));
  const closed = s.docs.find((d) => !d.open);
  const target = closed && s.rng.chance(0.3) ? closed.uri : uri;
  switch (s.rng.int(6)) {
    case 0:
      s.request('textDocument/diagnostic', { textDocument: { uri: target } }, {
        kind: 'diagnostic (unknown document)',
        check: (r) => {
          if (r?.kind !== 'full' || r.items?.length !== 0) s.fail(`pull of a document that is not open (${target}): ${JSON.stringify(r).slice(0, 300)}`);
        },
      });
      break;
    case 1:
      s.request('textDocument/hover', { textDocument: { uri: target }, position: { line: 0, character: 0 } }, {
        kind: 'hover (unknown document)', check: (r) => r !== null && s.fail(`hover on a document that is not open: ${JSON.stringify(r).slice(0, 300)}`),
      });
      break;
    case 2:
      s.request('textDocument/codeAction', { textDocument: { uri: target }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }, {
        kind: 'codeAction (unknown document)',
        check: (r) => (!Array.isArray(r) || r.length) && s.fail(`code actions on a document that is not open: ${JSON.stringify(r).slice(0, 300)}`),
      });
      break;
    case 3:
      s.server.notify('textDocument/didChange', { textDocument: { uri: target, version: 5 }, contentChanges: [{ text: 'const s = net.connect(1);' }] });
      count(s.stats.notifications, 'didChange (unknown document)');
      break;
    case 4:
      s.server.notify('textDocument/didClose', { textDocument: { uri: target } });
      count(s.stats.notifications, 'didClose (unknown document)');
      break;
    default:
      s.server.notify('textDocument/didSave', { textDocument: { uri: target } });
      count(s.stats.notifications, 'didSave (unknown document)');
  }
}

export function staleVersionAction(s) {
  // A change with a version that is not newer: the server must ignore it (our copy does not change,
  // and the final comparison shows whether the server's did).
  const doc = s.rng.pick(s.openDocs());
  const version = s.rng.chance(0.5) ? doc.version : Math.max(0, doc.version - 1 - s.rng.int(5));
  s.stats.staleVersionsSent++;
  const changes = s.rng.chance(0.5)
    ? [{ text: '// stale full text\nconst s = net.connect(1);\n' }]
    : [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `${s.rng.pick(SNIPPETS)}\n` }];
  s.server.notify('textDocument/didChange', { textDocument: { uri: doc.uri, version }, contentChanges: changes });
}

/** Frames a broken client could send; each entry: body (and extra headers) and, for requests, the error expected. */
export function malformedAction(s) {
  s.stats.malformedFrames++;
  const doc = s.rng.pick(s.openDocs());
  const id = s.server.nextId; // for frames that are requests: tracked like ours
  // Each of these must be answered with a parse error or an invalid request for id null (counted).
  const answered = (write) => () => {
    s.stats.malformedExpected++;
    write();
  };
  const frames = [
    answered(() => s.server.writeFrame('{"jsonrpc":"2.0","id":')),
    answered(() => s.server.writeFrame('this is not json')),
    answered(() => s.server.writeFrame(s.rng.pick(['42', '"a string"', 'null', 'true', '[]', '[1,2,3]']))),
    () => s.server.writeFrame('{}'),
    // Broken headers: no Content-Length, a negative or non-numeric one. The server answers and
    // resumes at the next header (the frames that follow are still served).
    answered(() => s.server.writeRaw('Content-Type: application/vscode-jsonrpc\r\n\r\n{"jsonrpc":"2.0","method":"initialized","params":{}}')),
    answered(() => s.server.writeRaw(`Content-Length: ${s.rng.pick(['-1', '-52', 'twelve', '1e3', ''])}\r\n\r\n{"jsonrpc":"2.0","method":"initialized","params":{}}`)),
    () => s.server.writeFrame('\uFEFF{"jsonrpc":"2.0","method":"textDocument/didSave","params":{}}'),
    () => s.server.writeFrame('{"jsonrpc":"2.0","method":42}'),
    () => s.server.writeFrame('{"jsonrpc":"2.0","id":{"x":1},"method":"textDocument/hover","params":{}}'),
    () => s.server.writeFrame('{"jsonrpc":"2.0","id":987654321,"result":{"unsolicited":true}}'),
    () => s.server.writeFrame('{"jsonrpc":"2.0","id":987654322,"error":{"code":-1,"message":"nobody asked"}}'),
    answered(() => s.server.writeFrame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))),
    () => s.server.writeFrame(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didSave', params: { textDocument: { uri: doc.uri } } }), { 'Content-Type': 'application/vscode-jsonrpc; charset=utf-8' }),
    () => rawRequest(s, id, 'textDocument/hover', undefined, 'invalidParams'),
    () => rawRequest(s, id, 'textDocument/hover', [{ textDocument: { uri: doc.uri } }, { line: 0, character: 0 }], 'invalidParams'),
    () => rawRequest(s, id, 'textDocument/diagnostic', 'just a string', 'any'),
  ];
  s.rng.pick(frames)();
}

/** A request written by hand (params absent or by position), tracked like any other. */
function rawRequest(s, id, method, params, expect) {
  s.server.nextId = id + 1;
  count(s.stats.requests, `${method} (malformed)`);
  let resolve;
  const done = new Promise((r) => (resolve = r));
  const record = { id, method, kind: `${method} (malformed)`, sentAt: performance.now(), resolve, done, cancelled: false, expect };
  s.server.pending.set(id, record);
  record.done.then((r) => s.judge(record, r));
  s.server.writeFrame(JSON.stringify(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params }));
}

export function unknownMethodAction(s) {
  if (s.rng.chance(0.6)) {
    s.request(s.rng.pick(['linger/noSuchThing', 'textDocument/semanticTokens/full', 'workspace/symbol', 'textDocument/formatting']), { textDocument: { uri: s.rng.pick(s.docs).uri } }, { kind: 'unknown method', expect: 'methodNotFound' });
  } else {
    s.server.notify(s.rng.pick(['linger/noSuchNotification', '$/setTrace', '$/somethingOptional', 'textDocument/willSave']), { value: 1 });
    count(s.stats.notifications, 'unknown notification');
  }
}

export function invalidParamsAction(s) {
  const doc = s.rng.pick(s.openDocs());
  const cases = [
    ['textDocument/hover', {}, 'invalidParams'],
    ['textDocument/hover', { textDocument: { uri: doc.uri }, position: { line: -1 } }, 'invalidParams'],
    ['textDocument/codeAction', { textDocument: 42 }, 'invalidParams'],
    ['textDocument/diagnostic', { textDocument: null }, 'invalidParams'],
    ['workspace/executeCommand', { command: 'linger.server.explain', arguments: ['nope'] }, 'invalidParams'],
    ['workspace/executeCommand', { command: 'rm -rf /' }, 'invalidParams'],
    ['textDocument/codeAction', { textDocument: { uri: doc.uri }, range: 'x', context: 7 }, 'ok'],
    ['codeAction/resolve', { title: 'x', data: { fixAll: true, uri: 3 } }, 'ok'],
    ['codeAction/resolve', { title: 'stale fix-all', kind: 'source.fixAll.linger', data: { fixAll: true, uri: doc.uri, version: -1 } }, 'ok'],
    ['linger/audit', { uris: [42, 'file:///definitely/not/here'] }, 'ok'],
    ['linger/exportReport', { format: 'pdf' }, 'any'],
  ];
  const [method, params, expect] = s.rng.pick(cases);
  s.request(method, params, { kind: `${method} (bad params)`, expect });
  const notes = [
    ['textDocument/didOpen', { textDocument: { uri: 5 } }],
    ['textDocument/didOpen', null],
    ['textDocument/didChange', { contentChanges: 'all of them' }],
    ['textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version + 1 }, contentChanges: [{ range: 'bad' }] }],
    ['textDocument/didClose', {}],
    ['workspace/didChangeWatchedFiles', { changes: [{ uri: 7 }, null] }],
    ['workspace/didChangeConfiguration', { settings: { linger: { rules: 'everything', exclude: [1, 2], run: 'sometimes', timeBudgetMs: -5 } } }],
  ];
  if (s.opts.knownBugs) {
    // Inputs that trip the known bugs of test/robustness/soak.test.ts (off by default so that CI
    // tests everything else): a didChange whose second change is malformed is half-applied under
    // the old version; a second didOpen at the same version keeps the previous text's analysis.
    notes.push(['textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version + 1 }, contentChanges: [{ text: '// half-applied\n' }, { range: null, text: 'x' }] }]);
    if (s.rng.chance(0.3)) {
      s.openDoc(doc, doc.original, doc.version); // no didClose first; our copy takes the new text, as the server's store does
      s.pull(doc);
    }
  }
  if (s.rng.chance(0.5)) {
    const [m, p] = s.rng.pick(notes);
    // The didChange with a malformed change keeps the version unused: the server must ignore it whole.
    s.server.notify(m, p);
    count(s.stats.notifications, `${m} (bad params)`);
    if (m === 'workspace/didChangeConfiguration') s.settingsEpoch++;
  }
}
