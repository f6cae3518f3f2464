// A broken .lingerrc.json never blocks an editor: the server puts a diagnostic on the config file
// itself, at the JSON path of each problem, and tells the user with a `window/showMessage`
// notification, never a `window/showMessageRequest` (a request waits for an answer: Neovim shows
// a prompt and stops there). Fixing the file clears both; analysis meanwhile goes on with the defaults.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { configFileDiagnostics, jsonPath } from '../../server/src/lsp/config-problems';
import { TestClient, WORKSPACE, uriOf } from './client';

const BROKEN = `{
  "rules": {
    "unclosed-conection": "error",
    "unconsumed-response": "loud"
  },
  "exclude": ["dist", 3],
  "timeBudget": 100
}
`;

/** The text a diagnostic's range covers. */
function covered(text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  if (r.start.line !== r.end.line) return `${lines[r.start.line].slice(r.start.character)}…`;
  return lines[r.start.line].slice(r.start.character, r.end.character);
}

describe('lsp: configuration errors', function () {
  this.timeout(60_000);

  describe('where in the file each problem is', () => {
    it('underlines an unknown key, a wrong value and a wrong array item, each message starting with its JSON path', () => {
      const found = configFileDiagnostics(BROKEN, false).map((d) => [covered(BROKEN, d.range), String(d.message).split(':')[0], d.severity, d.code]);
      assert.deepStrictEqual(found, [
        ['"timeBudget"', 'timeBudget', 1, 'config'],
        ['"unclosed-conection"', 'rules["unclosed-conection"]', 1, 'config'],
        ['"loud"', 'rules["unconsumed-response"]', 1, 'config'],
        ['3', 'exclude[1]', 1, 'config'],
      ]);
      assert.match(String(configFileDiagnostics(BROKEN, false)[1].message), /unknown rule "unclosed-conection"\. Linger ignores this file and uses the defaults\.$/);
    });

    it('points at a JSON syntax error; in package.json only the "linger" key is Linger\'s', () => {
      const text = '{\n  "rules": { "unclosed-connection": "error", }\n}\n';
      const [d] = configFileDiagnostics(text, false);
      assert.match(String(d.message), /^Not valid JSON \(PropertyNameExpected\)/);
      assert.strictEqual(covered(text, d.range), '}', 'where the parser stopped: the brace after the trailing comma');
      assert.deepStrictEqual(configFileDiagnostics('{ "name": "x", ', true), [], 'a broken package.json is npm\'s to report');
      const pkg = '{\n  "name": "x",\n  "linger": { "rules": { "nope": "off" } }\n}\n';
      const [p] = configFileDiagnostics(pkg, true);
      assert.strictEqual(covered(pkg, p.range), '"nope"');
      assert.match(String(p.message), /^linger\.rules\.nope: unknown rule "nope"/);
      assert.deepStrictEqual(configFileDiagnostics('{ "name": "x" }', true), [], 'no "linger" key, nothing to say');
    });

    it('writes JSON paths as they are read', () => {
      assert.strictEqual(jsonPath([]), '(top level)');
      assert.strictEqual(jsonPath(['linger', 'rules', 'unclosed-connection']), 'linger.rules["unclosed-connection"]');
      assert.strictEqual(jsonPath(['exclude', 2]), 'exclude[2]');
    });
  });

  for (const pull of [false, true]) {
    describe(`over the protocol (${pull ? 'pull' : 'push'} client)`, () => {
      let dir: string;
      let client: TestClient;
      let rc: string;

      before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-config-'));
        fs.mkdirSync(path.join(dir, 'src'));
        for (const f of ['tsconfig.json', 'package.json', 'src/probe.ts']) fs.copyFileSync(path.join(WORKSPACE, f), path.join(dir, f));
        rc = path.join(dir, '.lingerrc.json');
        fs.writeFileSync(rc, BROKEN);
        client = await TestClient.start({ rootPath: dir, pull });
      });
      after(async () => {
        await client.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      });

      it('puts the problems on the config file, notifies once without asking anything, and still analyses with the defaults', async () => {
        const uri = uriOf(path.join(dir, 'src/probe.ts'));
        await client.open(uri, fs.readFileSync(path.join(dir, 'src/probe.ts'), 'utf8'));
        if (pull) assert.deepStrictEqual((await client.pull(uri)).map((d: any) => d.code), ['unclosed-connection'], 'the defaults apply');
        else await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length === 1);
        const onConfig = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uriOf(rc) && p.diagnostics.length > 0);
        assert.deepStrictEqual(onConfig.diagnostics.map((d: any) => covered(BROKEN, d.range)), ['"timeBudget"', '"unclosed-conection"', '"loud"', '3']);
        const shown = await client.waitFor('window/showMessage', (p) => p.message.includes('.lingerrc.json'));
        assert.strictEqual(shown.type, 2, 'a warning');
        assert.match(shown.message, /^Linger: .*\.lingerrc\.json: .*unknown rule "unclosed-conection"/);
        // Another document under the same config: no second notification.
        const again = uriOf(path.join(dir, 'src/other.ts'));
        await client.open(again, 'export const x = 1;\n');
        if (pull) await client.pull(again);
        else await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === again);
        assert.strictEqual(client.notifications.filter((n) => n.method === 'window/showMessage').length, 1);
        assert.ok(!client.serverRequests.some((r) => r.method === 'window/showMessageRequest'), 'never a request that waits for the user');
      });

      it('clears the config file\'s diagnostics once it is fixed', async () => {
        fs.writeFileSync(rc, '{ "rules": { "unclosed-connection": "error" } }\n');
        await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(rc), type: 2 }] });
        await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uriOf(rc) && p.diagnostics.length === 0);
        const uri = uriOf(path.join(dir, 'src/probe.ts'));
        if (pull) {
          assert.deepStrictEqual((await client.pull(uri)).map((d: any) => d.severity), [1], 'the fixed config applies');
        } else {
          await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics[0]?.severity === 1);
        }
      });
    });
  }
});
