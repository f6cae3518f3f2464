// Runs `linger trace` as users do (the built bundle) on small apps written to a temporary folder,
// with the sites marked in their text, and waits on conditions of the kernel's socket table.
import Ajv from 'ajv';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseProcNetTcp } from '../../server/src/sockets/procNet';
import type { TracedSite, TraceReport } from '../../server/src/trace/types';

export const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'linger.js');

export function requireBuild(): void {
  for (const file of ['cli.js', 'trace-preload.js']) {
    if (!fs.existsSync(path.join(ROOT, 'dist', file))) throw new Error('run `npm run build` first (npm test does)');
  }
}

export function tempDir(prefix = 'linger-trace-test-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** Writes `lines` to dir/name; `// @site:x` marks the lines the tests look up with `line`. */
export function writeApp(dir: string, name: string, lines: string[]): AppFile {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return {
    file,
    line(marker: string): number {
      const index = lines.findIndex((l) => l.includes(`// @site:${marker}`));
      if (index === -1) throw new Error(`no @site:${marker} in ${name}`);
      return index + 1;
    },
  };
}

export interface AppFile {
  file: string;
  line(marker: string): number;
}

export interface TraceRun {
  code: number | null;
  stdout: string;
  stderr: string;
  report: TraceReport;
}

export interface TraceOptions {
  cwd: string;
  command: string[];
  options?: string[];
  /** Called once the app printed a line matching `ready`; the app exits when stdin gets a line. */
  ready?: RegExp;
  whenReady?: (match: RegExpMatchArray) => Promise<void>;
  env?: NodeJS.ProcessEnv;
}

const validate = new Ajv({ allErrors: true, validateFormats: false }).compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'trace-report.schema.json'), 'utf8')));

/** Throws unless `report` has exactly the documented shape. */
export function assertSchema(report: unknown): asserts report is TraceReport {
  if (!validate(report)) throw new Error(`the report does not match schemas/trace-report.schema.json: ${JSON.stringify(validate.errors, null, 1)}`);
}

/** Runs the app under `linger trace --format json --output`; the report is checked against the schema. */
export async function trace(o: TraceOptions): Promise<TraceRun> {
  const output = path.join(o.cwd, 'trace-report.json');
  const args = [BIN, 'trace', '--format', 'json', '--output', output, '--interval', '0.5', ...(o.options ?? []), '--', ...o.command];
  const r = await run(process.execPath, args, o);
  const report: unknown = JSON.parse(fs.readFileSync(output, 'utf8'));
  assertSchema(report);
  return { ...r, report };
}

/** The app alone, without linger, to compare its output and exit code. */
export function untraced(o: TraceOptions): Promise<Omit<TraceRun, 'report'>> {
  return run(o.command[0], o.command.slice(1), o);
}

function run(file: string, args: string[], o: TraceOptions): Promise<Omit<TraceRun, 'report'>> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let readyDone = !o.ready;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = !readyDone && o.ready ? o.ready.exec(stdout) : null;
      if (match) {
        readyDone = true;
        (o.whenReady ?? (async () => undefined))(match).then(() => child.stdin.end('exit\n'), (error) => {
          child.kill();
          reject(error);
        });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Polls until `check` returns a value (not a fixed wait); fails after `timeoutMs` naming `what`. */
export async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Kernel sockets in `state` whose remote (or local) port is `port`. */
export function countSockets(state: string, port: number, side: 'remote' | 'local' = 'remote'): number {
  const text = fs.readFileSync('/proc/net/tcp', 'utf8') + (fs.existsSync('/proc/net/tcp6') ? fs.readFileSync('/proc/net/tcp6', 'utf8') : '');
  return parseProcNetTcp(text).filter((r) => r.state === state && (side === 'remote' ? r.remotePort : r.localPort) === port).length;
}

export function siteAt(report: TraceReport, file: string, line: number): TracedSite {
  const site = report.sites.find((s) => s.path === file.split(path.sep).join('/') && s.line === line);
  if (!site) throw new Error(`no site at ${file}:${line}; sites: ${report.sites.map((s) => `${s.path}:${s.line} (${s.kind})`).join(', ')}`);
  return site;
}
