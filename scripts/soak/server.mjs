// The language-server processes of the soak (scripts/soak.mjs): started over stdio, initialized as
// a capable editor would, and measured (resident memory, CPU) through /proc.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RpcServer } from './rpc.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');
const GC_HOOK = path.join(ROOT, 'scripts', 'soak', 'gc-hook.cjs');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const tick = () => new Promise((r) => setImmediate(r));

/** The promise's value, or undefined once `ms` have passed. */
export function withTimeout(promise, ms) {
  return Promise.race([promise, sleep(ms).then(() => undefined)]);
}

/**
 * `node dist/server.js --stdio` in the workspace `ws`; with `gc`, the hook that answers SIGUSR2 with
 * the memory after a full GC (memoryOf) is preloaded.
 */
export function startServer(label, { ws, gc, onRequest, onNotification }) {
  const memFile = path.join(ws, `.mem-${label}.json`);
  const argv = gc ? ['--expose-gc', '--require', GC_HOOK, SERVER, '--stdio'] : [SERVER, '--stdio'];
  const server = new RpcServer(label, argv, {
    cwd: ws,
    env: { ...process.env, LINGER_SOAK_MEMFILE: memFile },
    onRequest,
    onNotification,
  });
  server.memFile = memFile;
  return server;
}

/** initialize/initialized with the capabilities of VS Code (pull diagnostics, resolve, progress...), the workspace as its one folder. */
export async function initialize(server, ws) {
  const wsUri = pathToFileURL(ws).href;
  const init = server.request('initialize', {
    processId: process.pid,
    clientInfo: { name: 'linger-soak' },
    rootUri: wsUri,
    workspaceFolders: [{ uri: wsUri, name: path.basename(ws) }],
    locale: 'en',
    initializationOptions: { status: true },
    capabilities: {
      textDocument: {
        synchronization: { didSave: true, dynamicRegistration: false },
        diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        codeAction: {
          dataSupport: true,
          resolveSupport: { properties: ['edit'] },
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
        },
        hover: { contentFormat: ['markdown', 'plaintext'] },
      },
      workspace: {
        configuration: true,
        workspaceFolders: true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceEdit: { documentChanges: true },
        diagnostics: { refreshSupport: true },
      },
      window: { workDoneProgress: true, showDocument: { support: true } },
    },
  });
  const r = await withTimeout(init.done, 30_000);
  if (!r?.result?.capabilities) throw new Error(`${server.label}: initialize failed: ${JSON.stringify(r).slice(0, 500)}; stderr: ${server.stderr.slice(-2000)}`);
  server.notify('initialized', {});
}

/** VmRSS of a process, in bytes (Linux); undefined elsewhere. */
export function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used (Linux). */
export function cpuOf(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** Memory of the server after a full GC (when the hook is loaded: `gc`), else as it is. */
export async function memoryOf(server, gc) {
  if (gc && server.alive()) {
    fs.rmSync(server.memFile, { force: true });
    server.proc.kill('SIGUSR2');
    for (let i = 0; i < 100 && !fs.existsSync(server.memFile); i++) await sleep(50);
    await sleep(100);
    try {
      const m = JSON.parse(fs.readFileSync(server.memFile, 'utf8'));
      return { rss: rssOf(server.pid) ?? m.rss, heapUsed: m.heapUsed };
    } catch {
      /* the hook did not answer: fall through */
    }
  }
  return { rss: rssOf(server.pid) ?? 0, heapUsed: undefined };
}
