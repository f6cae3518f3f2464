// Workspace-level mutations for the language-server soak (scripts/soak.mjs): links (out of the
// workspace, to /, loops, to /dev/zero), FIFOs where sources and configs are expected, config files
// of every shape and huge files appear on disk while the server runs, each announced with
// workspace/didChangeWatchedFiles as an editor's file watcher would; and huge documents (over the
// size cap, and just under it) are opened and typed into. Everything is undone before the final
// comparison with a fresh server, which must then see the same workspace.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const LEAK = "import * as net from 'net';\nexport function probe(port: number) {\n  const s = net.connect(port);\n  s.write('ping');\n}\n";

/** A large text that is cheap to analyse: a data table and one leak. */
export function bigText(chars) {
  let text = `${LEAK}export const TABLE = [\n`;
  for (let i = 0; text.length < chars; i++) text += `  "row ${i} ${'x'.repeat(60)}",\n`;
  return `${text}];\n`;
}

export class WorkspaceMutations {
  /** @param ws the soak's workspace; outside: a folder next to it; notify(method, params) */
  constructor(ws, outside, rng, notify) {
    this.ws = ws;
    this.outside = outside;
    this.rng = rng;
    this.notify = notify;
    /** Paths created, to be removed at the end (most recent last). */
    this.created = [];
    this.count = 0;
    fs.mkdirSync(path.join(outside, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(outside, 'secret.ts'), LEAK);
    fs.writeFileSync(path.join(outside, 'lib', 'helper.ts'), 'export function keep(s: { write(x: string): void }) { s.write("x"); }\n');
  }

  /** One mutation on disk, announced to the server. */
  mutate() {
    const rng = this.rng;
    const dir = rng.pick(['app/src', 'examples/src', 'app']);
    const configs = ['.lingerrc.json', 'tsconfig.json', 'package.json', 'jsconfig.json'];
    const kinds = [
      () => this.link(this.outside, `${dir}/vendor-${this.count}`),
      () => this.link('/', `${dir}/root-${this.count}`),
      () => this.link('.', `${dir}/self-${this.count}`),
      () => this.link(path.join(this.outside, 'secret.ts'), `${dir}/secret-${this.count}.ts`),
      () => this.link('/dev/zero', `${dir}/zero-${this.count}.ts`),
      () => { this.link(`loop-b-${this.count}.ts`, `${dir}/loop-a-${this.count}.ts`); this.link(`loop-a-${this.count}.ts`, `${dir}/loop-b-${this.count}.ts`); },
      () => this.fifo(`${dir}/pipe-${this.count}.ts`),
      // Configs in a folder of their own (so that removing them restores the workspace exactly).
      () => {
        const at = `app/src/cfg-${this.count}/${rng.pick(configs)}`;
        const shape = rng.int(4);
        if (shape === 0) this.fifo(at);
        else if (shape === 1) this.link('/dev/zero', at);
        else if (shape === 2) this.link(path.join(this.outside, 'secret.ts'), at);
        else this.write(at, rng.pick(['{', '[]', 'null', '{"rules":{"unclosed-connection":"loud"}}', '{"exclude":["*a*a*a*a*a*a*a*a*a*b"]}',
          `{"include":["${this.outside}/**/*"]}`, '{"extends":"/dev/zero"}', `{"extends":"./${path.basename(at)}"}`, '['.repeat(50_000)]));
        this.write(`app/src/cfg-${this.count}/inner.ts`, LEAK);
      },
      () => this.write(`${dir}/huge-${this.count}.ts`, bigText(rng.pick([900_000, 3_000_000]))),
    ];
    this.count++;
    rng.pick(kinds)();
  }

  link(target, rel) {
    try {
      fs.symlinkSync(target, path.join(this.ws, rel));
      this.announce(rel, 1);
    } catch { /* name taken */ }
  }

  fifo(rel) {
    if (process.platform === 'win32') return;
    try {
      this.folderFor(rel);
      execFileSync('mkfifo', [path.join(this.ws, rel)]);
      this.announce(rel, 1);
    } catch { /* name taken */ }
  }

  write(rel, text) {
    try {
      this.folderFor(rel);
      fs.writeFileSync(path.join(this.ws, rel), text);
      this.announce(rel, 1);
    } catch { /* a link or a FIFO took the name */ }
  }

  /** The folder of `rel`, made (and tracked for removal) only when it is not there. */
  folderFor(rel) {
    const dir = path.dirname(rel);
    if (fs.existsSync(path.join(this.ws, dir))) return;
    fs.mkdirSync(path.join(this.ws, dir), { recursive: true });
    this.track(dir);
  }

  track(rel) {
    if (!this.created.includes(rel)) this.created.push(rel);
  }

  announce(rel, type) {
    this.track(rel);
    this.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(this.ws, rel)).href, type }] });
  }

  /** Remove everything created (deepest first), announcing each deletion. */
  revertAll() {
    const created = [...new Set(this.created)].sort((a, b) => b.length - a.length);
    const changes = [];
    for (const rel of created) {
      const p = path.join(this.ws, rel);
      let st;
      try { st = fs.lstatSync(p); } catch { continue; }
      // Only what this class made: original folders (app/src, examples/src) are never in the list.
      fs.rmSync(p, { recursive: st.isDirectory() && !st.isSymbolicLink(), force: true });
      changes.push({ uri: pathToFileURL(p).href, type: 3 });
    }
    if (changes.length) this.notify('workspace/didChangeWatchedFiles', { changes });
    this.created = [];
  }
}
