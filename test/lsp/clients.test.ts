// The server driven the way each editor of docs/editors.md drives it: no initialization options,
// pull-only or push-only diagnostics, settings pulled (`workspace/configuration`) or pushed
// (`workspace/didChangeConfiguration`), with or without `workDoneProgress`, code-action resolve and
// versioned edits. The profiles hold the client capabilities that change what this server does, as
// each client sends them (abridged: completion, symbols and the like are left out). For every
// profile: the settings apply, the diagnostics arrive, a fix applies and removes its finding, the
// quick-fix menu has "Ignore for this file" and "Fix all…", the audit runs, and the server never
// sends a request the client cannot answer (no `window/showMessageRequest`, no registration the
// client did not allow, no progress it did not ask for).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient, WORKSPACE, fixtureUri } from './client';

const read = (rel: string) => fs.readFileSync(path.join(WORKSPACE, rel), 'utf8');

interface Profile {
  name: string;
  capabilities: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** How the client delivers `settings`: answering the pull, pushing them, or both (the pull answered with null). */
  settingsBy: 'pull' | 'push' | 'push, pull answered null';
}

const codeActionLiterals = { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.organizeImports', 'source.fixAll'] } };

const PROFILES: Profile[] = [
  {
    name: 'Neovim 0.11+ (vim.lsp.config / vim.lsp.enable): pull diagnostics, settings pulled',
    settingsBy: 'pull',
    capabilities: {
      textDocument: {
        diagnostic: { dynamicRegistration: false },
        publishDiagnostics: { relatedInformation: true, dataSupport: true, versionSupport: true },
        codeAction: { dynamicRegistration: true, codeActionLiteralSupport: codeActionLiterals, isPreferredSupport: true, dataSupport: true, resolveSupport: { properties: ['edit', 'command'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
      },
      workspace: {
        configuration: true,
        didChangeConfiguration: { dynamicRegistration: false },
        didChangeWatchedFiles: { dynamicRegistration: false },
        workspaceFolders: true,
        applyEdit: true,
        workspaceEdit: { resourceOperations: ['rename', 'create', 'delete'] },
        diagnostics: { refreshSupport: true },
      },
      window: { workDoneProgress: true, showDocument: { support: true }, showMessage: { messageActionItem: { additionalPropertiesSupport: true } } },
    },
  },
  {
    name: 'Neovim 0.8–0.10 (vim.lsp.start): push diagnostics, settings pulled',
    settingsBy: 'pull',
    capabilities: {
      textDocument: {
        publishDiagnostics: { relatedInformation: true, dataSupport: true },
        codeAction: { dynamicRegistration: false, codeActionLiteralSupport: codeActionLiterals, isPreferredSupport: true, dataSupport: true, resolveSupport: { properties: ['edit'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
      },
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false }, workspaceFolders: true, applyEdit: true, workspaceEdit: { resourceOperations: ['rename', 'create', 'delete'] } },
      window: { workDoneProgress: true, showDocument: { support: true } },
    },
  },
  {
    // Its capabilities as 0.7.2 sends them: it answers workspace/configuration but does not say so,
    // so docs/editors.md's snippet pushes the settings in on_init (test/e2e/neovim runs it).
    name: 'Neovim 0.7 (vim.lsp.start_client): push diagnostics, no workspace/configuration capability, settings pushed in on_init',
    settingsBy: 'push',
    capabilities: {
      textDocument: {
        publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] } },
        codeAction: { dynamicRegistration: false, codeActionLiteralSupport: codeActionLiterals, isPreferredSupport: true, dataSupport: true, resolveSupport: { properties: ['edit'] } },
        hover: { dynamicRegistration: false, contentFormat: ['markdown', 'plaintext'] },
      },
      workspace: { workspaceFolders: true, applyEdit: true, workspaceEdit: { resourceOperations: ['rename', 'create', 'delete'] } },
      window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: false } }, showDocument: { support: false } },
    },
  },
  {
    name: 'Helix: push diagnostics, settings pushed and pulled, versioned edits',
    settingsBy: 'pull',
    capabilities: {
      textDocument: {
        publishDiagnostics: { versionSupport: true },
        codeAction: { codeActionLiteralSupport: codeActionLiterals, isPreferredSupport: true, disabledSupport: true, dataSupport: true, resolveSupport: { properties: ['edit', 'command'] } },
        hover: { contentFormat: ['markdown'] },
      },
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false }, workspaceFolders: true, applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] } },
      window: { workDoneProgress: true, showDocument: { support: true } },
    },
  },
  {
    name: 'Emacs eglot: push diagnostics without data, no code-action resolve, settings pushed (pull answered null)',
    settingsBy: 'push, pull answered null',
    capabilities: {
      textDocument: {
        publishDiagnostics: { relatedInformation: false, codeDescriptionSupport: false },
        codeAction: { dynamicRegistration: false, codeActionLiteralSupport: codeActionLiterals, isPreferredSupport: true },
        hover: { contentFormat: ['markdown', 'plaintext'] },
      },
      workspace: { configuration: true, workspaceFolders: true, applyEdit: true, workspaceEdit: { documentChanges: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
      window: { showDocument: { support: true }, workDoneProgress: true },
    },
  },
  {
    name: 'a minimal client: push only, no workspace/configuration, no workDoneProgress, no resolve, no data',
    settingsBy: 'push',
    capabilities: { textDocument: { publishDiagnostics: {} }, workspace: {} },
  },
];

const SETTINGS = { rules: { 'unclosed-connection': 'error' } };

describe('lsp: the editors of docs/editors.md', function () {
  this.timeout(120_000);

  for (const profile of PROFILES) {
    describe(profile.name, () => {
      let client: TestClient;
      const caps = profile.capabilities;
      const pull = !!caps.textDocument?.diagnostic;
      const resolves = !!caps.textDocument?.codeAction?.resolveSupport;
      const keepsData = !!caps.textDocument?.codeAction?.dataSupport;
      const uri = fixtureUri('src/probe.ts');

      before(async () => {
        client = await TestClient.start({
          capabilities: caps,
          settings: profile.settingsBy === 'pull' ? SETTINGS : {},
          configurationAnswer: profile.settingsBy === 'push, pull answered null' ? 'null' : 'settings',
        });
        // Clients that push send their settings right after `initialized` (Neovim does too when it has any).
        if (profile.settingsBy !== 'pull') await client.notify('workspace/didChangeConfiguration', { settings: { linger: SETTINGS } });
      });
      after(() => client.stop());

      /** The current diagnostics of `uri` at `version`, pulled or pushed. */
      async function diagnostics(version: number): Promise<any[]> {
        if (pull) return client.pull(uri);
        return (await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === version)).diagnostics;
      }

      it('says it pulls only to clients that can pull', () => {
        assert.strictEqual(!!(client.initializeResult as any).capabilities.diagnosticProvider, pull);
      });

      it(`applies the settings (${profile.settingsBy}) and delivers the diagnostic (${pull ? 'pulled' : 'pushed'})`, async () => {
        await client.open(uri, read('src/probe.ts'));
        const items = await diagnostics(1);
        assert.deepStrictEqual(items.map((d) => [d.code, d.severity]), [['unclosed-connection', 1]], 'severity "error" comes from the settings');
      });

      it('offers a fix that applies and removes the finding, and "Ignore for this file" and "Fix all…" in the quick-fix menu', async () => {
        const text = read('src/probe.ts');
        let items = await diagnostics(1);
        // A client without dataSupport sends the diagnostic back without `data`.
        if (!keepsData) items = items.map(({ data, ...rest }) => rest); // eslint-disable-line @typescript-eslint/no-unused-vars
        const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: items[0].range, context: { diagnostics: items, only: ['quickfix'] } });
        const titles = actions.map((a: any) => a.title);
        assert.ok(titles.includes('Ignore for this file'), titles.join(' | '));
        assert.ok(titles.includes('Fix all Linger problems in this file'), titles.join(' | '));
        const fixAll = actions.find((a: any) => a.title === 'Fix all Linger problems in this file');
        assert.strictEqual(!!fixAll.edit, !resolves, 'the edit of fix-all comes inline unless the client resolves');
        const fix = actions.find((a: any) => a.isPreferred);
        assert.ok(fix?.edit, `a preferred fix with its edit: ${titles.join(' | ')}`);
        assert.strictEqual(!!fix.edit.documentChanges, !!caps.workspace?.workspaceEdit?.documentChanges, 'versioned edits only for clients that take them');
        const edits = fix.edit.documentChanges ? fix.edit.documentChanges[0].edits : fix.edit.changes[uri];
        const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 1, text), edits);
        const version = await client.change(uri, fixed);
        assert.deepStrictEqual(await diagnostics(version), [], `the fix removes the finding:\n${fixed}`);
      });

      it('audits the workspace without a progress token, and asks for progress only when the client supports it', async () => {
        const result = await client.request('linger/audit', {});
        assert.ok(result.files >= 5, JSON.stringify(result.files));
        const created = client.serverRequests.filter((r) => r.method === 'window/workDoneProgress/create').length;
        if (!caps.window?.workDoneProgress) {
          assert.strictEqual(created, 0, 'no progress for a client without workDoneProgress');
          assert.ok(!client.notifications.some((n) => n.method === '$/progress'));
        }
      });

      it('hovers connect() with what happens to the outbound socket', async () => {
        const text = read('src/probe.ts');
        const line = text.split('\n').findIndex((l) => l.includes('net.connect('));
        await diagnostics(await client.change(uri, text)); // analysed: the hover answers from this version
        const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character: text.split('\n')[line].indexOf('connect(') + 2 } });
        assert.match(hover?.contents?.value ?? '', /ephemeral port/);
      });

      it('never sends a request the client has to answer with a prompt, nor a registration it did not allow', () => {
        const methods = client.serverRequests.map((r) => r.method);
        assert.ok(!methods.includes('window/showMessageRequest'), methods.join(', '));
        const registrations = client.serverRequests.filter((r) => r.method === 'client/registerCapability').flatMap((r) => r.params.registrations.map((x: any) => x.method));
        if (!caps.workspace?.didChangeConfiguration?.dynamicRegistration) assert.ok(!registrations.includes('workspace/didChangeConfiguration'), registrations.join(', '));
        if (!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration) assert.ok(!registrations.includes('workspace/didChangeWatchedFiles'), registrations.join(', '));
        if (!caps.workspace?.configuration) assert.ok(!methods.includes('workspace/configuration'));
      });
    });
  }
});
