// Security: the analyzer opens no network connection, never requires or executes workspace code, never
// loads a TypeScript plugin named in a workspace tsconfig.json, and reads nothing outside the workspace
// except what resolves through it (its node_modules) and its own install (bundled TypeScript libs, schema).
import * as assert from 'node:assert/strict';
import dns = require('node:dns'); // the real module object, so that its functions can be replaced
import fs = require('node:fs'); // the real module object, so that its functions can be replaced
import http = require('node:http'); // the real module object, so that its functions can be replaced
import https = require('node:https'); // the real module object, so that its functions can be replaced
import Module = require('node:module');
import net = require('node:net'); // the real module object, so that its functions can be replaced
import * as os from 'node:os';
import * as path from 'node:path';
import tls = require('node:tls'); // the real module object, so that its functions can be replaced
import { analyzeFiles, listSourceFiles } from '../../server/src/core/analyze';
import { corpus, ROOT, workspace, cleanup, LEAK_TS, linger } from './helpers';
import { createAnalyzer } from '../../server/src/analyzer';

type AnyFn = (...args: unknown[]) => unknown;

/** Replace `obj[key]` for the duration of `run`; every call is recorded and throws. */
function patched<T>(targets: Array<[object, string]>, run: () => T): { result: T; calls: string[] } {
  const calls: string[] = [];
  const saved: Array<[Record<string, unknown>, string, PropertyDescriptor | undefined]> = [];
  for (const [obj, key] of targets) {
    const o = obj as Record<string, unknown>;
    saved.push([o, key, Object.getOwnPropertyDescriptor(o, key)]);
    Object.defineProperty(o, key, {
      configurable: true, writable: true,
      value: function blocked() {
        calls.push(key);
        throw new Error(`network access attempted: ${key}`);
      },
    });
  }
  try {
    return { result: run(), calls };
  } finally {
    for (const [o, key, d] of saved.reverse()) {
      if (d) Object.defineProperty(o, key, d);
      else delete o[key];
    }
  }
}

const NETWORK: Array<[object, string]> = [
  [net, 'connect'], [net, 'createConnection'], [net.Socket.prototype, 'connect'], [net, 'createServer'],
  [tls, 'connect'], [dns, 'lookup'], [dns, 'resolve'], [dns, 'resolve4'], [dns, 'resolve6'], [dns, 'resolveAny'],
  [dns.promises, 'lookup'], [dns.promises, 'resolve'], [http, 'request'], [http, 'get'], [https, 'request'], [https, 'get'],
  [globalThis, 'fetch'],
];

describe('robustness: security', function () {
  this.timeout(300_000);

  it('an audit of the fixtures and the corpus completes with the network patched to throw', () => {
    const fixtures = [path.join(ROOT, 'test', 'fixtures'), path.join(ROOT, 'examples')];
    const dir = corpus();
    // A spread sample of the corpus keeps CI fast; every package is represented.
    const corpusFiles = dir ? listSourceFiles(['mongodb/src', '@grpc/grpc-js/src', 'undici/lib', 'ws/lib', 'pg/lib', 'mysql2/lib', 'ioredis/built',
      'axios/lib', 'got/dist', 'node-fetch/src', 'socket.io/dist', 'amqplib/lib', 'nodemailer/lib', 'ssh2/lib', 'kafkajs/src']
      .map((p) => path.join(dir, 'node_modules', p))).files.filter((_, i) => i % 4 === 0) : [];
    const files = [...listSourceFiles(fixtures).files, ...corpusFiles];
    const { result, calls } = patched(NETWORK, () => analyzeFiles(files, {}, createAnalyzer()));
    assert.deepEqual(calls, [], 'the analyzer tried to use the network');
    assert.equal(result.files.length + result.skipped.length, files.length);
    assert.ok(result.findings.length > 0);
    assert.deepEqual(result.skipped.filter((s) => /internal error/.test(s.reason)), []);
  });

  describe('a hostile workspace', () => {
    let dir: string;
    let marker: string;
    const loaded: string[] = [];
    const reads: string[] = [];
    const probes: string[] = [];

    before(() => {
      marker = path.join(fs.realpathSync(os.tmpdir()), `linger-marker-${process.pid}-${Date.now()}`);
      const evil = (what: string) => `require('fs').writeFileSync(${JSON.stringify(marker)}, ${JSON.stringify(what)});\nthrow new Error('workspace code ran: ${what}');\n`;
      dir = workspace({
        'package.json': JSON.stringify({ name: 'hostile', main: 'index.js', scripts: { postinstall: 'node index.js' }, linger: { rules: {} } }),
        'index.js': evil('index.js'),
        'tsconfig.json': JSON.stringify({
          compilerOptions: { allowJs: true, checkJs: true, plugins: [{ name: 'evil-plugin' }, { name: './plugin.js' }], types: ['evil-types'] },
          include: ['src'],
        }),
        'plugin.js': evil('plugin.js'),
        'node_modules/evil-plugin/package.json': '{"name":"evil-plugin","main":"index.js"}',
        'node_modules/evil-plugin/index.js': evil('evil-plugin'),
        'node_modules/evil-pkg/package.json': '{"name":"evil-pkg","main":"index.js","types":"index.d.ts"}',
        'node_modules/evil-pkg/index.js': evil('evil-pkg'),
        'node_modules/evil-pkg/index.d.ts': 'export declare function connect(port: number): import("net").Socket;\n',
        'node_modules/@types/evil-types/index.d.ts': 'declare const evilTypes: number;\n',
        'node_modules/@types/evil-types/package.json': '{"name":"@types/evil-types","main":"index.js"}',
        'node_modules/@types/evil-types/index.js': evil('@types/evil-types'),
        'src/app.ts': `import { connect } from 'evil-pkg';\nimport * as local from './local';\n${LEAK_TS}export const x = connect(1) && local;\n`,
        'src/local.js': evil('src/local.js'),
        'src/loader.mjs': `import './local.js';\nconst m = await import('evil-pkg');\nexport default m;\n`,
        'src/client.cjs': `require('evil-pkg');\nrequire('../index.js');\nmodule.exports = require('net').connect(1);\n`,
      }, 'linger-hostile-');
    });
    after(() => {
      cleanup(dir);
      fs.rmSync(marker, { force: true });
    });

    it('is analysed without requiring its code or loading its TypeScript plugins', () => {
      const origLoad = (Module as unknown as { _load: AnyFn })._load;
      (Module as unknown as { _load: AnyFn })._load = function (request: unknown, parent: unknown, ...rest: unknown[]) {
        const from = (parent as { filename?: string } | undefined)?.filename ?? '';
        if (typeof request === 'string' && (request.startsWith(dir) || request.includes('evil') || from.startsWith(dir))) loaded.push(`${request} (from ${from})`);
        return origLoad.call(this, request, parent, ...rest);
      };
      try {
        const result = analyzeFiles(listSourceFiles([dir]).files, {}, createAnalyzer());
        assert.ok(result.findings.some((f) => f.file.endsWith('app.ts')), 'the workspace was analysed');
      } finally {
        (Module as unknown as { _load: AnyFn })._load = origLoad;
      }
      assert.deepEqual(loaded, [], 'workspace modules were required');
      assert.equal(fs.existsSync(marker), false, `workspace code ran: ${fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : ''}`);
    });

    it('the CLI and the language-server bundle do not run it either', () => {
      const r = linger(['audit', '.', '--format', 'json'], dir);
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      const p = linger(['audit', '--project', 'tsconfig.json', '--format', 'json'], dir);
      assert.ok(p.status === 0 || p.status === 1, p.stderr);
      assert.equal(fs.existsSync(marker), false, `workspace code ran: ${fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : ''}`);
    });

    it('reads only the workspace, its node_modules and the analyzer\'s own install', () => {
      const f = fs as unknown as Record<string, AnyFn>;
      const wrap = (name: string, into: string[]) => {
        const orig = f[name];
        f[name] = function (this: unknown, p: unknown, ...rest: unknown[]) {
          if (typeof p === 'string' || p instanceof URL || Buffer.isBuffer(p)) into.push(path.resolve(String(p instanceof URL ? p.pathname : p)));
          return orig.call(this, p, ...rest);
        };
        return () => { f[name] = orig; };
      };
      const undo = [
        ...['readFileSync', 'openSync', 'readdirSync', 'opendirSync', 'readlinkSync'].map((n) => wrap(n, reads)),
        ...['statSync', 'lstatSync', 'existsSync', 'accessSync', 'realpathSync'].map((n) => wrap(n, probes)),
      ];
      try {
        const a = createAnalyzer();
        analyzeFiles(listSourceFiles([dir]).files, {}, a);
      } finally {
        undo.forEach((u) => u());
      }
      const inside = (p: string, root: string) => p === root || p.startsWith(root + path.sep);
      const ancestors = new Set<string>();
      for (let d = path.dirname(dir); ; d = path.dirname(d)) {
        ancestors.add(d);
        if (path.dirname(d) === d) break;
      }
      // Reads: the workspace (its node_modules included) and the analyzer's install (schema, bundled libs).
      const badReads = [...new Set(reads)].filter((p) => !inside(p, dir) && !inside(p, ROOT));
      assert.deepEqual(badReads, [], 'files read outside the workspace');
      // Existence probes outside the workspace: only of its ancestor folders (looking for a config or a
      // node_modules, as tsserver does), never elsewhere (home, /etc, ...).
      const badProbes = [...new Set(probes)].filter((p) => !inside(p, dir) && !inside(p, ROOT)
        && !ancestors.has(p) && !ancestors.has(path.dirname(p)) && !ancestors.has(path.dirname(path.dirname(p)))
        && !/[\\/]node_modules[\\/]/.test(p));
      assert.deepEqual(badProbes, [], 'paths probed outside the workspace');
      assert.ok(reads.some((p) => p.endsWith(path.join('src', 'app.ts'))), 'the wrapper saw the reads');
    });
  });
});
