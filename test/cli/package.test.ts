// The installable package: `npm pack` this repository, install the tarball into a scratch project
// as the README says (npm install -D, offline: the package has no dependencies), and run the audit
// there with `npx linger`, as a CI job would.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanup, ROOT, workspace } from '../robustness/helpers';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** npm as a user runs it: none of the npm_* variables of the `npm test` that runs this. */
function npmEnv(cache: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, npm_config_cache: cache, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

describe('the npm package (npm pack, install, npx linger audit)', function () {
  this.timeout(240_000);
  let scratch: string;
  let packed: { filename: string; files: Array<{ path: string }> };
  let env: NodeJS.ProcessEnv;

  before(() => {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new Error('run `npm run build` first (npm test does)');
    scratch = workspace({
      'package.json': JSON.stringify({ name: 'scratch-service', version: '1.0.0', private: true }),
      'src/health.ts': "import * as net from 'net';\nexport async function probe(port: number) {\n  const s = net.connect(port);\n  s.write('PING');\n}\n",
      'src/ok.js': "const net = require('net');\nexports.ping = (port) => { const s = net.connect(port); s.end(); };\n",
    }, 'linger-pack-');
    env = npmEnv(path.join(scratch, '.npm-cache'));
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: ROOT, encoding: 'utf8', env });
    packed = JSON.parse(out)[0];
  });
  after(() => cleanup(scratch));

  it('holds only the built tool, its docs and schemas, and declares no runtime dependency', () => {
    const files = packed.files.map((f) => f.path);
    for (const f of files) assert.match(f, /^(bin\/[\w-]+\.js|dist\/[\w-]+\.js|docs\/.+\.md|schemas\/[\w.-]+\.json|package\.json|README\.md|LICENSE)$/, f);
    for (const needed of ['bin/linger.js', 'bin/compile-cache.js', 'dist/cli.js', 'dist/replay.js', 'dist/trace-preload.js', 'schemas/lingerrc.schema.json', 'docs/rules/unclosed-connection.md']) assert.ok(files.includes(needed), needed);
    assert.ok(!files.some((f) => f.endsWith('.map') || f === 'dist/client.js'));
    assert.equal(pkg.bin.linger, './bin/linger.js');
    assert.equal(pkg.dependencies, undefined, 'everything it runs is bundled in dist/');
    assert.match(pkg.engines.node, /^>=\s*20/);
  });

  it('installs offline into a fresh project, and `npx linger audit` finds the leak there (exit 1)', () => {
    const install = spawnSync('npm', ['install', '--save-dev', '--offline', '--no-audit', '--no-fund', path.join(scratch, packed.filename)], { cwd: scratch, encoding: 'utf8', env });
    assert.equal(install.status, 0, install.stderr);
    assert.doesNotMatch(install.stderr, /EBADENGINE/);
    const installed = JSON.parse(fs.readFileSync(path.join(scratch, 'package.json'), 'utf8'));
    assert.ok(installed.devDependencies[pkg.name], JSON.stringify(installed));
    assert.deepEqual(fs.readdirSync(path.join(scratch, 'node_modules')).filter((n) => !n.startsWith('.')), [pkg.name], 'nothing else installed');

    const version = spawnSync('npx', ['--no', '--', 'linger', '--version'], { cwd: scratch, encoding: 'utf8', env });
    assert.equal(version.stdout.trim(), pkg.version, version.stderr);

    const audit = spawnSync('npx', ['--no', 'linger', 'audit', '--format', 'json'], { cwd: scratch, encoding: 'utf8', env });
    assert.equal(audit.status, 1, audit.stderr);
    const report = JSON.parse(audit.stdout);
    assert.deepEqual(report.findings.map((f: { file: string; ruleId: string; line: number }) => [f.file, f.ruleId, f.line]), [['src/health.ts', 'unclosed-connection', 3]]);
    assert.equal(report.summary.files, 2, 'node_modules (the tool itself) is not audited');

    // The CI section of the README: SARIF into a folder that does not exist yet.
    const sarif = spawnSync('npx', ['--no', 'linger', 'audit', '--format', 'sarif', '--output', 'reports/linger.sarif'], { cwd: scratch, encoding: 'utf8', env });
    assert.equal(sarif.status, 1, sarif.stderr);
    const log = JSON.parse(fs.readFileSync(path.join(scratch, 'reports', 'linger.sarif'), 'utf8'));
    assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'src/health.ts');
  });
});
