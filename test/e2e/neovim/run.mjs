#!/usr/bin/env node
// The language server in a real Neovim: headless `nvim` (Debian's package, installed by
// scripts/e2e-setup.sh) with an init.lua made of the snippet that docs/editors.md gives for the
// installed version, copied from the page, and the built server on PATH as
// `linger-language-server` (bin/linger-language-server.js, which runs dist/server.js --stdio).
// It opens a fixture file with a known leak, next to a broken .lingerrc.json, and check.lua
// writes down what Neovim's LSP client received; this file asserts on it:
//   - diagnostics from source 'linger' with the rule and line of the leak, and the severity the
//     snippet's `settings` give another rule (so the settings reached the server: pulled from 0.8 on,
//     pushed by the 0.7 snippet, whose Neovim does not say it answers workspace/configuration);
//   - the broken config: a warning message (window/showMessage), diagnostics on the config file,
//     no window/showMessageRequest, and Neovim exits by itself (a prompt would hang it);
//   - the hover on `net.connect(`: Linger's connect() text;
//   - the code actions on the leak's diagnostic: the quick fix by title, applied with
//     vim.lsp.util.apply_workspace_edit: the exact new text, and the diagnostic gone once the
//     server analysed it (the other finding still there);
//   - a second file of the project served by the same client.
//
//   node test/e2e/neovim/run.mjs      (also run by test/e2e/run.mjs, as its last scenario)
//
// Skipped, with a message, only when the installed Neovim is older than the oldest version the
// page has a snippet for; an absent nvim is a failure (the setup script installs it).
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIX_TITLE, FIXED_SEND } from '../lib/expected.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../../..');
const FIXTURE = path.join(REPO, 'test/e2e/fixtures/neovim');
const RESULTS = path.join(REPO, 'test-results/e2e');
const DOC = path.join(REPO, 'docs/editors.md');
/**
 * How long Neovim may take in all: 3 s on a quiet machine, under a minute with the two cores
 * loaded 14 deep; only a hang reaches this.
 */
const RUN_TIMEOUT_MS = Number(process.env.LINGER_E2E_NVIM_TIMEOUT_MS) || 240_000;
/** How long check.lua waits for each condition and each request. */
const WAIT_MS = 120_000;


/** The Lua snippets of docs/editors.md's Neovim section, by the version range of their heading. */
export function neovimSnippets(markdown = fs.readFileSync(DOC, 'utf8')) {
  const section = /^### Neovim\b[^\n]*\n([\s\S]*?)(?=^### )/m.exec(markdown);
  if (!section) throw new Error('docs/editors.md has no "### Neovim" section');
  const snippets = [];
  const re = /^#### (Neovim (\d+)\.(\d+)(?: to (\d+)\.(\d+)|( and later))?)[ \t]*\n([\s\S]*?)(?=^#### |(?![\s\S]))/gm;
  for (let m; (m = re.exec(section[1]));) {
    const code = /```lua\n([\s\S]*?)```/.exec(m[7]);
    if (!code) throw new Error(`docs/editors.md: no lua block under "${m[1]}"`);
    const from = [Number(m[2]), Number(m[3])];
    // "0.8 to 0.10": up to 0.10.x; "0.11 and later": no end; "0.7": 0.7.x only.
    const to = m[4] !== undefined ? [Number(m[4]), Number(m[5])] : m[6] ? undefined : from;
    snippets.push({ heading: m[1], from, to, code: code[1] });
  }
  if (!snippets.length) throw new Error('docs/editors.md: no "#### Neovim <version>" snippets in the Neovim section');
  return snippets;
}

const cmp = (a, b) => a[0] - b[0] || a[1] - b[1];
const covers = (s, v) => cmp(v, s.from) >= 0 && (!s.to || cmp(v, s.to) <= 0);

function nvimVersion(nvim) {
  const out = execFileSync(nvim, ['--version'], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: os.tmpdir() } });
  const m = /^NVIM v(\d+)\.(\d+)\.(\d+)/m.exec(out);
  if (!m) throw new Error(`cannot read the version from \`${nvim} --version\`: ${out.split('\n')[0]}`);
  return { text: m[0].slice(5), v: [Number(m[1]), Number(m[2]), Number(m[3])] };
}

function findNvim() {
  const cache = process.env.LINGER_E2E_CACHE ?? path.join(os.homedir(), '.cache/linger-e2e');
  try {
    const env = JSON.parse(fs.readFileSync(path.join(cache, 'env.json'), 'utf8'));
    if (env.nvim && fs.existsSync(env.nvim)) return env.nvim;
  } catch { /* no setup yet */ }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'nvim');
    if (dir && fs.existsSync(p)) return p;
  }
  return undefined;
}

/** The processes started for this run (nvim and the servers it started), found by a variable they all inherit. */
function processesMarked(marker) {
  const pids = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker)) pids.push(Number(pid));
    } catch { /* gone, or not ours to read */ }
  }
  return pids;
}

/** Position (0-based line, UTF-16 character) of `needle` in `text`, at `offset` within it. */
function positionOf(text, needle, offset = 0) {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `the fixture has ${needle}`);
  const before = text.slice(0, i + offset).split('\n');
  return { line: before.length - 1, character: before.at(-1).length };
}

/**
 * Runs the Neovim test; returns { ok, ms, skipped?, step?, error? } as test/e2e/harness's
 * runScenario does, and leaves test-results/e2e/neovim.* (results, and on failure the logs).
 */
export async function runNeovim({ log = (s) => console.log(`    ${s}`) } = {}) {
  const t0 = Date.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-nvim-'));
  let current = 'find nvim';
  const step = async (title, fn) => {
    current = title;
    const s = Date.now();
    const v = await fn();
    log(`✓ ${title} (${((Date.now() - s) / 1000).toFixed(1)} s)`);
    return v;
  };
  const marker = `LINGER_NVIM_TEST=${root}`;
  let nvimLog = '';
  let events = [];
  const resultsFile = path.join(root, 'results.jsonl');
  try {
    fs.mkdirSync(RESULTS, { recursive: true });
    for (const f of fs.readdirSync(RESULTS).filter((n) => n.startsWith('neovim.'))) fs.rmSync(path.join(RESULTS, f), { force: true });
    const nvim = findNvim();
    if (!nvim) throw new Error('nvim is not installed: run `bash scripts/e2e-setup.sh` (it installs Debian\'s neovim)');
    const { text: version, v } = nvimVersion(nvim);
    const snippets = neovimSnippets();
    const oldest = snippets.reduce((a, s) => (cmp(s.from, a) < 0 ? s.from : a), snippets[0].from);
    if (cmp(v, oldest) < 0) {
      const why = `Neovim ${version} (${nvim}) is older than ${oldest.join('.')}, the oldest version docs/editors.md has a configuration for`;
      log(`skipped: ${why}`);
      return { ok: true, skipped: why, ms: Date.now() - t0 };
    }
    const snippet = snippets.find((s) => covers(s, v));
    if (!snippet) throw new Error(`docs/editors.md has no Neovim snippet for ${version} (headings: ${snippets.map((s) => s.heading).join(', ')})`);
    log(`Neovim ${version}: the snippet under "${snippet.heading}"`);

    const workspace = path.join(root, 'workspace');
    const { init, params } = await step('prepare the workspace, init.lua (the docs\' snippet) and the server on PATH', () => {
      fs.cpSync(FIXTURE, workspace, { recursive: true });
      const bin = path.join(root, 'bin');
      fs.mkdirSync(bin);
      // The documented command, `linger-language-server --stdio`, is this checkout's bin script
      // (which runs dist/server.js in a Node with a bounded heap), on the Node running this test.
      fs.writeFileSync(path.join(bin, 'linger-language-server'), `#!/bin/sh\nexec '${process.execPath}' '${path.join(REPO, 'bin/linger-language-server.js')}' "$@"\n`, { mode: 0o755 });
      const probe = fs.readFileSync(path.join(workspace, 'src/probe.ts'), 'utf8');
      const call = positionOf(probe, 'net.connect({ host, port })');
      const params = {
        results: resultsFile,
        timeoutMs: WAIT_MS,
        config: '.lingerrc.json',
        other: 'src/other.ts',
        leak: { code: 'unclosed-connection', lnum: call.line, col: call.character },
        setting: { code: 'fixed-local-port' },
        hover: positionOf(probe, 'net.connect({ host, port })', 'net.'.length),
        fixTitle: FIX_TITLE,
      };
      fs.writeFileSync(path.join(root, 'params.json'), JSON.stringify(params));
      // Every snippet must at least compile in this Neovim's Lua; the one for this version runs.
      const file = (s) => path.join(root, `snippet-${s.from.join('.')}.lua`);
      for (const s of snippets) fs.writeFileSync(file(s), `-- docs/editors.md, "${s.heading}":\n${s.code}`);
      const lua = (p) => `'${p.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
      const init = path.join(root, 'init.lua');
      fs.writeFileSync(init, [
        '-- Written by test/e2e/neovim/run.mjs: check.lua, then the snippet of docs/editors.md for this Neovim.',
        `local test = dofile(${lua(path.join(HERE, 'check.lua'))})`,
        `test.record(${lua(path.join(root, 'params.json'))})`,
        `test.config({ ${snippets.map((s) => lua(file(s))).join(', ')} }, ${lua(file(snippet))})`,
        '',
      ].join('\n'));
      return { init, params };
    });

    const run = await step('headless Neovim opens src/probe.ts, runs check.lua and exits by itself', async () => {
      const xdg = path.join(root, 'xdg');
      const env = {
        ...process.env,
        PATH: `${path.join(root, 'bin')}${path.delimiter}${process.env.PATH}`,
        XDG_CONFIG_HOME: path.join(xdg, 'config'),
        XDG_DATA_HOME: path.join(xdg, 'data'),
        XDG_STATE_HOME: path.join(xdg, 'state'),
        XDG_CACHE_HOME: path.join(xdg, 'cache'),
        NVIM_LOG_FILE: path.join(xdg, 'nvim.log'),
        LINGER_NVIM_TEST: root,
      };
      const proc = spawn(nvim, ['--headless', '-n', '-i', 'NONE', '-u', init, '-c', 'lua _G.linger_test.run()', 'src/probe.ts'], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
      proc.stdout.on('data', (d) => { nvimLog += d; });
      proc.stderr.on('data', (d) => { nvimLog += d; });
      let timer;
      const exit = await Promise.race([
        new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal }))),
        new Promise((resolve) => { timer = setTimeout(() => resolve(undefined), RUN_TIMEOUT_MS); }),
      ]);
      clearTimeout(timer);
      events = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
      if (!exit) {
        for (const pid of processesMarked(marker)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
        const last = events.at(-1);
        const prompt = events.find((e) => e.event === 'showMessageRequest');
        throw new Error(`Neovim did not exit within ${RUN_TIMEOUT_MS / 1000} s${prompt ? ` after the server sent window/showMessageRequest "${prompt.message}" (a prompt waits for an answer)` : ''}; last event: ${JSON.stringify(last)}`);
      }
      return { exit, events };
    });

    const ev = (name) => events.find((e) => e.event === name);
    await step('check.lua ran to the end', () => {
      const error = ev('error');
      assert.ok(!error, `check.lua failed: ${error?.message}`);
      const timeouts = events.filter((e) => e.event === 'timeout');
      assert.deepEqual(timeouts, [], 'check.lua waited in vain');
      assert.ok(ev('done'), `check.lua did not finish (exit ${JSON.stringify(run.exit)})`);
      assert.deepEqual(ev('start').version, v, 'the Neovim that ran is the one whose version was read');
      assert.equal(ev('buffer').filetype, 'typescript');
    });

    await step('diagnostics from source linger: the leak\'s rule and line, and the severity set by the snippet\'s settings', () => {
      const ds = ev('diagnostics').diagnostics;
      const leak = ds.filter((d) => d.code === params.leak.code);
      assert.equal(leak.length, 1, JSON.stringify(ds));
      assert.deepEqual([leak[0].source, leak[0].lnum, leak[0].col, leak[0].severity], ['linger', params.leak.lnum, params.leak.col, 2], JSON.stringify(leak[0]));
      assert.match(leak[0].message, /not closed when the `return` on line 7 is taken/);
      const pinned = ds.find((d) => d.code === 'fixed-local-port');
      // 1 = ERROR: `settings = { linger = { rules = { ['fixed-local-port'] = 'error' } } }` (the default is a warning).
      assert.equal(pinned?.severity, 1, `fixed-local-port is an error by the snippet's settings: ${JSON.stringify(pinned)}`);
    });

    await step('the broken .lingerrc.json: a warning message, diagnostics on the file, no prompt', () => {
      const { messages, prompts, diagnostics } = ev('config');
      assert.deepEqual(prompts, [], 'no window/showMessageRequest');
      assert.ok(!ev('showMessageRequest'), 'no window/showMessageRequest');
      const m = messages.find((x) => x.message.includes('.lingerrc.json'));
      assert.ok(m, `a window/showMessage about .lingerrc.json: ${JSON.stringify(messages)}`);
      assert.equal(m.type, 2, 'a warning');
      assert.match(m.message, /^Linger: .*\.lingerrc\.json: unknown rule "unclosed-conection"/);
      assert.deepEqual(diagnostics.map((d) => [d.file, d.code, d.lnum, d.col, d.severity]), [['.lingerrc.json', 'config', 2, 4, 1]]);
      assert.match(diagnostics[0].message, /^rules\["unclosed-conection"\]: unknown rule/);
    });

    await step('hover on `net.connect(`: what happens to the outbound socket', () => {
      const { text, error } = ev('hover');
      assert.ok(text, `a hover (error: ${error})`);
      assert.match(text, /^\*\*Linger: `net\.connect`\*\*/, 'Linger\'s hover (Markdown, as sent)');
      assert.match(text, /ephemeral port/);
      assert.match(text, /the side that closes first keeps the connection in TIME_WAIT/);
      assert.match(text, /localPort/);
    });

    await step(`code actions on the leak: "${FIX_TITLE}", applied, gives the fixed text`, () => {
      const { titles, error } = ev('codeActions');
      assert.ok(titles.includes(FIX_TITLE), `offered: ${JSON.stringify(titles)} (error: ${error})`);
      for (const t of ['Ignore on this line', 'Ignore for this file', 'Fix all Linger problems in this file']) assert.ok(titles.includes(t), `${t}: ${JSON.stringify(titles)}`);
      const applied = ev('applied');
      assert.ok(applied?.text, `applied: ${JSON.stringify(applied)}`);
      assert.ok(applied.text.includes(FIXED_SEND), `the buffer after the fix:\n${applied.text}`);
    });

    await step('after the server analysed the new text: the leak\'s diagnostic is gone, the other finding stays', () => {
      const ds = ev('reanalysed').diagnostics;
      assert.deepEqual(ds.map((d) => d.code), ['fixed-local-port'], JSON.stringify(ds));
    });

    await step('src/other.ts goes to the same server and gets its diagnostic', () => {
      const other = ev('other');
      assert.equal(other.clients, 1, 'one linger client');
      assert.equal(other.client, ev('attached').client, 'the first file\'s client');
      assert.deepEqual(other.diagnostics.map((d) => [d.file, d.code, d.lnum]), [['other.ts', 'unclosed-connection', 4]]);
    });
    return { ok: true, ms: Date.now() - t0 };
  } catch (e) {
    const failure = { ok: false, step: current, error: e?.message ?? String(e), ms: Date.now() - t0 };
    try {
      fs.writeFileSync(path.join(RESULTS, 'neovim.failure.txt'), `step: ${current}\nerror: ${failure.error}\n\n--- events (check.lua) ---\n${events.map((x) => JSON.stringify(x)).join('\n')}\n\n--- nvim stdout/stderr ---\n${nvimLog}\n`);
      const lspLog = path.join(root, 'xdg/cache/nvim/lsp.log');
      if (fs.existsSync(lspLog)) fs.copyFileSync(lspLog, path.join(RESULTS, 'neovim.lsp.log'));
    } catch { /* the failure is reported anyway */ }
    return failure;
  } finally {
    if (events.length) fs.writeFileSync(path.join(RESULTS, 'neovim.events.jsonl'), events.map((x) => JSON.stringify(x)).join('\n') + '\n');
    if (!process.env.LINGER_E2E_KEEP) fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await runNeovim();
  const secs = `${(r.ms / 1000).toFixed(1)} s`;
  if (r.skipped) console.log(`SKIP neovim (${secs}): ${r.skipped}\n0 passed, 0 failed, 1 skipped`);
  else if (r.ok) console.log(`PASS neovim (${secs})\n1 passed, 0 failed`);
  else console.log(`FAIL neovim (${secs})\n  step: ${r.step}\n  error: ${r.error}\n0 passed, 1 failed`);
  process.exit(r.ok ? 0 : 1);
}
