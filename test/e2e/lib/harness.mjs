// The end-to-end harness: installs the built .vsix into a fresh extensions folder, and for each
// scenario copies its fixture workspace, makes a fresh user-data folder, starts code-server on a
// free loopback port and opens the workspace in headless Chromium (playwright-core from the e2e
// cache, see scripts/e2e-setup.sh). A scenario is a list of named steps; a failing step is
// reported by name with a screenshot and the text the page showed.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Workbench } from './workbench.mjs';
import { until } from './wait.mjs';

export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
export const FIXTURES = path.join(REPO, 'test/e2e/fixtures');
export const RESULTS = path.join(REPO, 'test-results/e2e');

/** The LSP messages go to the Linger log, which a failing scenario leaves in test-results (LINGER_E2E_TRACE=0: not). */
const TRACE = process.env.LINGER_E2E_TRACE !== '0';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** User settings of every scenario: nothing that pops up by itself, no network, no other linters. */
export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  // Only Linger's diagnostics in the Problems panel and in the editor (the fixtures have no
  // @types/node, so TypeScript would flag every `import ... from 'net'`).
  'typescript.validate.enable': false,
  'javascript.validate.enable': false,
  'typescript.suggest.enabled': false,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 150,
  'files.simpleDialog.enable': true,
  'security.workspace.trust.untrustedFiles': 'open',
  'window.commandCenter': false,
};

export class Environment {
  constructor() {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-e2e-'));
    this.extensions = path.join(this.root, 'extensions');
  }

  /** Runs scripts/e2e-setup.sh (idempotent, cached) and loads what it installed. */
  setup() {
    const t0 = Date.now();
    if (!process.env.LINGER_E2E_SKIP_SETUP) {
      execFileSync('bash', [path.join(REPO, 'scripts/e2e-setup.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
    const cache = process.env.LINGER_E2E_CACHE ?? path.join(os.homedir(), '.cache/linger-e2e');
    this.env = JSON.parse(fs.readFileSync(path.join(cache, 'env.json'), 'utf8'));
    const require = createRequire(path.join(this.env.playwrightCore, 'package.json'));
    this.playwright = require(this.env.playwrightCore);
    this.setupMs = Date.now() - t0;
  }

  /** Installs the .vsix with code-server's own `--install-extension`, into a fresh extensions folder. */
  installExtension(vsix) {
    if (!fs.existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run package\` first (npm run test:e2e does)`);
    const data = path.join(this.root, 'install-data');
    const out = execFileSync(process.execPath, [this.env.codeServer, '--extensions-dir', this.extensions, '--user-data-dir', data, '--install-extension', vsix], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const installed = fs.readdirSync(this.extensions).filter((d) => d.startsWith('linger.linger-'));
    if (!installed.length) throw new Error(`code-server did not install ${vsix}:\n${out}`);
    this.extensionDir = path.join(this.extensions, installed[0]);
  }

  async launchBrowser() {
    this.browser = await this.playwright.chromium.launch({ executablePath: this.env.chromium, args: CHROMIUM_ARGS, headless: true });
  }

  async close() {
    await this.browser?.close().catch(() => {});
    if (!process.env.LINGER_E2E_KEEP) fs.rmSync(this.root, { recursive: true, force: true });
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** One code-server process serving one workspace, on 127.0.0.1 only. */
class CodeServer {
  constructor(env, { workspace, data, trusted }) {
    Object.assign(this, { env, workspace, data, trusted });
    this.log = '';
  }

  async start() {
    this.port = await freePort();
    const config = path.join(this.data, 'config.yaml');
    fs.writeFileSync(config, `bind-addr: 127.0.0.1:${this.port}\nauth: none\ncert: false\n`);
    const args = [this.env.env.codeServer, '--config', config, '--extensions-dir', this.env.extensions, '--user-data-dir', this.data,
      '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override'];
    if (this.trusted) args.push('--disable-workspace-trust');
    if (TRACE) args.push('--log', 'trace');
    args.push(this.workspace);
    // Its own process group, so that stopping it also stops the extension host and the language server.
    const env = {
      ...process.env,
      XDG_CONFIG_HOME: this.data,
      // No extension marketplace: its queries would go off this machine. A closed loopback port
      // makes them fail at once, locally.
      EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item', resourceUrlTemplate: 'http://127.0.0.1:9/resource/{publisher}/{name}/{version}/{path}' }),
    };
    this.proc = spawn(process.execPath, args, { cwd: this.data, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    const append = (d) => { this.log += d; };
    this.proc.stdout.on('data', append);
    this.proc.stderr.on('data', append);
    this.exited = new Promise((r) => this.proc.once('exit', r));
    await until('code-server to listen', () => {
      if (this.proc.exitCode !== null) throw new Error(`code-server exited (${this.proc.exitCode}):\n${this.log}`);
      return this.log.includes('HTTP server listening on');
    }, { timeout: 60_000, interval: 100 });
    return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.workspace)}`;
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    try { process.kill(-this.proc.pid, 'SIGTERM'); } catch { /* gone */ }
    const t = setTimeout(() => { try { process.kill(-this.proc.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await this.exited;
    clearTimeout(t);
  }
}

/** Runs one scenario; returns { ok, ms, step, error }. */
export async function runScenario(env, scenario, index) {
  const name = `${String(index).padStart(2, '0')}-${scenario.id}`;
  const dir = path.join(env.root, name);
  const workspace = path.join(dir, 'workspace');
  const data = path.join(dir, 'data');
  fs.mkdirSync(path.join(data, 'User'), { recursive: true });
  fs.cpSync(path.join(FIXTURES, scenario.fixture), workspace, { recursive: true });
  fs.writeFileSync(path.join(data, 'User/settings.json'), JSON.stringify({
    ...BASE_SETTINGS,
    ...(TRACE ? { 'linger.trace.server': 'verbose' } : {}),
    // A function gets the environment (the installed extension's folder, for paths to its files).
    ...(typeof scenario.settings === 'function' ? scenario.settings(env) : scenario.settings),
  }, null, 2));
  if (scenario.keybindings) fs.writeFileSync(path.join(data, 'User/keybindings.json'), JSON.stringify(scenario.keybindings, null, 2));
  fs.mkdirSync(RESULTS, { recursive: true });

  const t0 = Date.now();
  const server = new CodeServer(env, { workspace, data, trusted: scenario.trusted !== false });
  let context;
  let wb;
  let current = 'start';
  const consoleLog = [];
  const log = (s) => console.log(`    ${s}`);
  const ctx = {
    workspace,
    data,
    env,
    log,
    results: RESULTS,
    name,
    read: (rel) => fs.readFileSync(path.join(workspace, rel), 'utf8'),
    /** A named step: its name is what a failure reports. */
    async step(title, fn) {
      current = title;
      const s = Date.now();
      consoleLog.push(`[${new Date().toISOString()}] step: ${title}`);
      const value = await fn();
      log(`✓ ${title} (${((Date.now() - s) / 1000).toFixed(1)} s)`);
      return value;
    },
    /**
     * An extra screenshot of the current state, test-results/e2e/<scenario>.<label>.png, once the
     * page's finite animations have ended (a hover or menu fading in would be caught half
     * transparent); after 3 s it is taken anyway: it is a picture, not a check.
     */
    async screenshot(label) {
      await until('the page\'s animations to end', () => wb.page.evaluate(() =>
        !document.getAnimations().some((a) => a.playState === 'running' && Number.isFinite(a.effect?.getComputedTiming().endTime))), { timeout: 3_000, interval: 50 }).catch(() => {});
      return wb.page.screenshot({ path: path.join(RESULTS, `${name}.${label}.png`) });
    },
    /** Process ids of the Linger language servers started from this run's extensions folder. */
    serverPids() {
      const pids = [];
      for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
        let cmd = '';
        try { cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
        if (cmd.includes(env.extensions) && cmd.includes('dist/server.js')) pids.push(Number(pid));
      }
      return pids;
    },
    /** The Linger output channel's log file, if it was written. */
    lingerLog() {
      const found = [];
      const walk = (d) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (/linger/i.test(e.name) && e.name.endsWith('.log')) found.push(p);
        }
      };
      try { walk(path.join(data, 'logs')); } catch { /* no logs yet */ }
      return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    },
  };

  let result;
  const timeoutMs = scenario.timeoutMs ?? 240_000;
  let timer;
  try {
    if (scenario.prepare) await ctx.step('prepare the workspace', () => scenario.prepare(ctx));
    const url = await ctx.step('start code-server', () => server.start());
    context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleLog.push(`[${new Date().toISOString()}] ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => consoleLog.push(`[${new Date().toISOString()}] pageerror: ${e.message}`));
    wb = new Workbench(page, workspace);
    ctx.wb = wb;
    await ctx.step('open the workspace in the browser', async () => {
      await page.goto(url);
      await wb.ready();
    });
    await Promise.race([
      scenario.run(ctx),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`scenario took longer than ${timeoutMs / 1000} s`)), timeoutMs); }),
    ]);
    result = { ok: true };
  } catch (e) {
    result = { ok: false, step: current, error: e?.message ?? String(e) };
  } finally {
    clearTimeout(timer);
  }
  result.ms = Date.now() - t0;

  // The final state, pass or fail; on failure also the text on screen and the logs.
  if (wb) {
    await wb.page.screenshot({ path: path.join(RESULTS, `${name}.png`) }).catch(() => {});
    if (!result.ok) {
      const text = await wb.visibleText().catch((e) => `(could not read the page: ${e.message})`);
      fs.writeFileSync(path.join(RESULTS, `${name}.failure.txt`), `step: ${result.step}\nerror: ${result.error}\n\n--- visible text ---\n${text}\n`);
      result.visible = text;
    }
  }
  await context?.close().catch(() => {});
  await server.stop();
  // After the stop: the extension host writes its logs out by then.
  if (!result.ok || process.env.LINGER_E2E_LOGS) {
    fs.writeFileSync(path.join(RESULTS, `${name}.code-server.log`), server.log);
    fs.writeFileSync(path.join(RESULTS, `${name}.console.log`), consoleLog.join('\n'));
    const linger = ctx.lingerLog();
    if (linger) fs.writeFileSync(path.join(RESULTS, `${name}.linger.log`), linger);
  }
  return result;
}
