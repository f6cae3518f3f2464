// 10. A broken `.lingerrc.json` never blocks the editor: the code is still analysed (with the
// defaults), a notification (no modal dialog) names the file and the problem, and the Problems
// panel puts each problem on the config file at its JSON path. VS Code itself validates and
// completes `.lingerrc.json` and the `linger` key of package.json from the extension's schemas
// (`jsonValidation`). Fixing the file clears Linger's problems on it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { until } from '../lib/wait.mjs';

export default {
  id: 'config-errors',
  title: 'broken .lingerrc.json: problems at JSON paths, a notification, no dialog; schemas validate and complete configs',
  fixture: 'config-errors',
  // VS Code's npm support gives every package.json a second schema, downloaded from schemastore.org;
  // offline, as these tests run, the failed download makes VS Code skip the file's validation
  // altogether (online, both apply). So the extension's package.json schema, with its relative
  // $ref to the .lingerrc.json one, is checked on a file only it applies to; that the extension
  // contributes it for package.json is checked in test/lsp/json-schemas.test.ts.
  settings: (env) => ({
    'json.schemas': [{ fileMatch: ['/pkg/linger-package.json'], url: pathToFileURL(path.join(env.extensionDir, 'schemas/package-linger.schema.json')).href }],
  }),
  async run({ wb, step, workspace, screenshot }) {
    await step('open src/probe.ts: it is analysed with the defaults', async () => {
      await wb.recordNotifications();
      await wb.openFile('src/probe.ts');
      await until('a warning squiggle under `net.connect({ host, port })`', () => wb.squiggleUnder('net.connect({ host, port })'), { timeout: 60_000 });
    });

    await step('a warning notification names .lingerrc.json and the problem; no modal dialog', async () => {
      const toast = await until('a notification about .lingerrc.json', async () =>
        (await wb.notificationsSeen()).find((n) => /Linger: .*\.lingerrc\.json: .*unknown rule "unclosed-conection"/.test(n.text)), { timeout: 30_000 });
      assert.equal(toast.severity, 'warning');
      assert.equal(await wb.page.locator('.monaco-dialog-box').count(), 0, 'no dialog waits for an answer');
    });

    await step('the Problems panel lists the problems on .lingerrc.json at their JSON paths', async () => {
      const problems = await until('Linger\'s four problems on .lingerrc.json', async () => {
        const ps = (await wb.problems()).filter((p) => p.file === '.lingerrc.json' && p.source === 'linger');
        return ps.length === 4 && ps;
      }, { timeout: 30_000 });
      const byPosition = problems.map((p) => [p.position, p.code, p.message.split(':')[0]]).sort();
      assert.deepEqual(byPosition, [
        ['[Ln 3, Col 5]', 'config', 'rules["unclosed-conection"]'],
        ['[Ln 4, Col 28]', 'config', 'rules["unconsumed-response"]'],
        ['[Ln 6, Col 23]', 'config', 'exclude[1]'],
        ['[Ln 7, Col 3]', 'config', 'timeBudget'],
      ]);
      await screenshot('problems');
    });

    await step('VS Code validates .lingerrc.json against the contributed schema', async () => {
      await wb.openFile('.lingerrc.json');
      const json = await until('a JSON schema problem on .lingerrc.json (not Linger\'s)', async () => {
        const ps = (await wb.problems()).filter((p) => p.file === '.lingerrc.json' && p.source !== 'linger');
        return ps.length && ps;
      }, { timeout: 30_000 });
      const lines = json.map((p) => p.position).join(' ');
      assert.match(lines, /\[Ln 4,/, `the severity "loud" is not accepted: ${JSON.stringify(json)}`);
      assert.match(lines, /\[Ln 7,/, `the property "timeBudget" is not allowed: ${JSON.stringify(json)}`);
    });

    await step('the package.json schema validates the "linger" key in VS Code (its $ref to the .lingerrc.json schema resolves)', async () => {
      await wb.openFile('pkg/linger-package.json');
      const json = await until('a JSON schema problem on line 6 of pkg/linger-package.json', async () =>
        (await wb.problems()).find((p) => p.file === 'linger-package.json' && p.source !== 'linger' && p.position.startsWith('[Ln 6,')), { timeout: 30_000 });
      assert.match(json.message, /Value is not accepted|not allowed/, JSON.stringify(json));
      const problems = (await wb.problems()).filter((p) => p.file === 'linger-package.json');
      assert.ok(!problems.some((p) => /Problems loading reference|Unable to load schema/.test(p.message)), JSON.stringify(problems));
    });

    await step('VS Code completes the rule ids inside "rules", from the schema', async () => {
      await wb.openFile('.lingerrc.json');
      await wb.goto(2, 13);
      await wb.key('End');
      await wb.key('Enter');
      await wb.page.keyboard.type('"', { delay: 5 });
      await wb.key('Control+Space');
      const offered = await until('suggestions with the rule ids', async () => {
        const s = await wb.suggestions();
        return s.some((x) => /missing-keepalive/.test(x)) && s;
      }, { timeout: 20_000 });
      assert.ok(offered.some((x) => /fixed-local-port/.test(x)), JSON.stringify(offered));
      await screenshot('completion');
      await wb.key('Escape');
      // Saved as it is: the next step replaces the file on disk (a dirty editor would keep the old text).
      await wb.save();
    });

    await step('fixing .lingerrc.json in the editor and saving it clears Linger\'s problems on it', async () => {
      await wb.openFile('.lingerrc.json');
      await wb.focusEditor();
      await wb.key('Control+A');
      // Pasted, as a person would replace it (typed, the editor would close braces and quotes itself).
      const fixed = '{\n  "rules": { "unclosed-connection": "error" }\n}\n';
      await wb.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await wb.page.evaluate((text) => navigator.clipboard.writeText(text), fixed);
      await wb.key('Control+V');
      await until('the pasted config in the editor', async () => (await wb.visibleLines()).map((l) => l.text).join('\n').trimEnd() === fixed.trimEnd(), { timeout: 10_000 });
      await wb.save();
      await until('the fixed config on disk', () => fs.readFileSync(path.join(workspace, '.lingerrc.json'), 'utf8') === fixed, { timeout: 10_000 });
      await until('no Linger problem on .lingerrc.json', async () => !(await wb.problems()).some((p) => p.file === '.lingerrc.json' && p.source === 'linger'), { timeout: 30_000 });
      await until('the probe.ts finding as an error now (the config applies)', async () =>
        (await wb.problems()).some((p) => p.file === 'probe.ts' && p.source === 'linger' && p.severity === 'error'), { timeout: 30_000 });
    });
  },
};
