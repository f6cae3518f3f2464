// The JSON schemas VS Code uses to complete and validate `.lingerrc.json` and the `linger` key of
// package.json (package.json `contributes.jsonValidation`): they exist, list every rule (with a
// description, so completion explains it), agree with what the analyzer accepts, and reject what
// it rejects. VS Code's own use of them (the relative $ref included) is checked end to end in
// test/e2e/scenarios/10-config-errors.mjs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { validate } from '../../server/src/core/config';
import { RULES } from '../../server/src/rules';

const ROOT = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const load = (rel: string) => JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8'));

describe('JSON schemas for .lingerrc.json and package.json', () => {
  const contributions: Array<{ fileMatch: string; url: string }> = pkg.contributes.jsonValidation;

  it('are contributed for .lingerrc.json and package.json, from files the .vsix holds', () => {
    assert.deepEqual(contributions.map((c) => c.fileMatch), ['.lingerrc.json', 'package.json']);
    for (const c of contributions) {
      assert.match(c.url, /^\.\/schemas\/[\w.-]+\.json$/);
      assert.ok(fs.existsSync(path.join(ROOT, c.url)), c.url);
    }
    const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^!schemas\/\*\*$/m, 'schemas/ goes into the .vsix');
  });

  it('list every rule of the analyzer, each with a description and the severities', () => {
    const schema = load('schemas/lingerrc.schema.json');
    const rules = schema.properties.rules;
    const ids = RULES.map((r) => r.meta.id).sort();
    assert.deepEqual(Object.keys(rules.properties).sort(), ids, 'completion offers every rule');
    assert.deepEqual([...rules.propertyNames.enum].sort(), ids);
    for (const [id, p] of Object.entries<{ description?: string }>(rules.properties)) assert.ok(p.description && p.description.length > 20, id);
    assert.deepEqual(schema.definitions.severity.enum, rules.additionalProperties.enum);
    // The package.json schema points at the same file, relative to itself (as VS Code resolves it).
    assert.deepEqual(load('schemas/package-linger.schema.json').properties.linger, { $ref: './lingerrc.schema.json' });
  });

  it('accept and reject what the analyzer accepts and rejects', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const check = ajv.compile(load('schemas/lingerrc.schema.json'));
    const cases: unknown[] = [
      { rules: { 'unclosed-connection': 'error', 'missing-keepalive': 'hint' }, exclude: ['dist'], maxFileSize: 10, timeBudgetMs: 5 },
      { $schema: './node_modules/linger/schemas/lingerrc.schema.json' },
      { rules: { 'unclosed-conection': 'error' } },
      { rules: { 'unclosed-connection': 'loud' } },
      { exclude: ['dist', 3] },
      { timeBudget: 100 },
      { maxFileSize: 0 },
      { maxFileSize: 1.5 },
      [],
    ];
    for (const c of cases) assert.equal(check(c), validate(c).length === 0, `${JSON.stringify(c)}: schema ${check(c)}, analyzer ${JSON.stringify(validate(c))}`);
  });
});
