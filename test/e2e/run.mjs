#!/usr/bin/env node
// End-to-end tests of the built extension (linger.vsix) in a real VS Code workbench: code-server
// driven by headless Chromium through playwright-core; then the language server in headless Neovim
// (test/e2e/neovim/run.mjs). See test/e2e/README.md.
//
//   node test/e2e/run.mjs [--only <id|number>[,...]]
//
// Environment: LINGER_E2E_VSIX (default ./linger.vsix), LINGER_E2E_CACHE (see scripts/e2e-setup.sh),
// LINGER_E2E_SKIP_SETUP=1 (do not run the setup script), LINGER_E2E_KEEP=1 (keep the temp folder).
// Prints "N passed, N failed" last and exits non-zero when a scenario failed.
import fs from 'node:fs';
import path from 'node:path';
import { Environment, REPO, RESULTS, runScenario } from './lib/harness.mjs';
import { scenarios } from './scenarios/index.mjs';
import { runNeovim } from './neovim/run.mjs';

const argv = process.argv.slice(2);
const onlyArg = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : process.env.LINGER_E2E_ONLY;
const only = onlyArg ? new Set(onlyArg.split(',').map((s) => s.trim())) : undefined;
const selected = scenarios
  .map((s, i) => ({ s, n: i + 1 }))
  .filter(({ s, n }) => !only || only.has(String(n)) || only.has(s.id));
// Neovim comes last, numbered after the VS Code scenarios; it needs no code-server or browser.
const NEOVIM = { id: 'neovim', n: scenarios.length + 1 };
const withNeovim = !only || only.has(String(NEOVIM.n)) || only.has(NEOVIM.id);

const started = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const env = new Environment();
let passed = 0;
let failed = 0;
let skipped = 0;
const summary = [];

const cleanup = async () => { await env.close(); };
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { cleanup().finally(() => process.exit(130)); });

try {
  fs.rmSync(RESULTS, { recursive: true, force: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  env.setup();
  console.log(`e2e: setup ${secs(env.setupMs)} (code-server ${env.env.codeServerVersion}, ${env.env.chromium}${env.env.nvim ? `, ${env.env.nvim}` : ''})`);
  if (selected.length) {
    const vsix = path.resolve(process.env.LINGER_E2E_VSIX ?? path.join(REPO, 'linger.vsix'));
    env.installExtension(vsix);
    console.log(`e2e: installed ${path.relative(REPO, vsix) || vsix} as ${path.basename(env.extensionDir)}`);
    await env.launchBrowser();
  }

  for (const { s, n } of selected) {
    console.log(`\n▶ ${n}. ${s.title}`);
    const r = await runScenario(env, s, n);
    if (r.ok) {
      passed++;
      console.log(`  PASS ${n}. ${s.id} (${secs(r.ms)})`);
    } else {
      failed++;
      console.log(`  FAIL ${n}. ${s.id} (${secs(r.ms)})\n    step: ${r.step}\n    error: ${r.error.split('\n').join('\n      ')}`);
      if (r.visible) {
        const lines = r.visible.split('\n').map((l) => l.trim()).filter((l) => l && !/^\d+$/.test(l));
        console.log(`    the screen showed (${lines.length} lines; all in test-results/e2e/):\n      ${lines.slice(0, 60).join('\n      ')}`);
      }
    }
    summary.push(`${r.ok ? 'pass' : 'FAIL'}  ${String(n).padStart(2)}. ${s.id.padEnd(22)} ${secs(r.ms)}`);
  }

  if (withNeovim) {
    const { id, n } = NEOVIM;
    console.log(`\n▶ ${n}. the language server in headless Neovim, configured as docs/editors.md says`);
    const r = await runNeovim();
    if (r.skipped) {
      skipped++;
      console.log(`  SKIP ${n}. ${id}: ${r.skipped}`);
    } else if (r.ok) {
      passed++;
      console.log(`  PASS ${n}. ${id} (${secs(r.ms)})`);
    } else {
      failed++;
      console.log(`  FAIL ${n}. ${id} (${secs(r.ms)})\n    step: ${r.step}\n    error: ${r.error.split('\n').join('\n      ')}\n    (what Neovim saw and its logs: test-results/e2e/neovim.*)`);
    }
    summary.push(`${r.skipped ? 'skip' : r.ok ? 'pass' : 'FAIL'}  ${String(n).padStart(2)}. ${id.padEnd(22)} ${secs(r.ms)}`);
  }
} catch (e) {
  failed++;
  console.log(`e2e: could not run the scenarios: ${e?.stack ?? e}`);
} finally {
  await cleanup();
}

console.log(`\n${summary.join('\n')}\ne2e: total ${secs(Date.now() - started)}; screenshots in ${path.relative(REPO, RESULTS)}/`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
