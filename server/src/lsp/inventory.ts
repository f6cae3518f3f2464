// The workspace's listener inventory (every listen()/bind()/serve() site with its port), for the
// sysctl port-range check and for the live socket view. It must not cost a full audit each time:
//  - a file whose text names no listening API (a cheap regex) is read once per change and never
//    analysed; the others are analysed once per change (mtime + size) and cached;
//  - a workspace audit seeds the cache with everything it analysed;
//  - open documents use the listeners of their latest analysis (what the user is typing);
//  - one scan pass analyses at most MAX_FILES_PER_PASS files or runs PASS_BUDGET_MS, yields to the
//    event loop every SLICE_MS, and the next pass waits COOLDOWN_FACTOR times as long as this one
//    took. An unfinished inventory is reported as `partial` and completed by later passes.
// Files are listed and analysed by the analysis worker (background lane) and read for the regex
// through the file-system layer, inside the workspace boundary.
import * as fs from 'fs';
import * as path from 'path';
import { Listener } from '../core/types';
import { ListenerInventoryInfo } from '../protocol';
import { AnalysisService } from './analysis';
import { DocumentStore } from './documents';
import { pathToUri, uriToPath } from './paths';
import { yieldToEventLoop } from './safe';
import { Settings, SettingsStore } from './settings';

export const MAX_FILES_PER_PASS = 100;
export const PASS_BUDGET_MS = 3000;
const SLICE_MS = 25;
const COOLDOWN_FACTOR = 4;
const MIN_COOLDOWN_MS = 500;
/** Files larger than this are not read for the regex (the analyzer skips them anyway). */
const MAX_READ_BYTES = 2_000_000;

/** Text that every listener the core knows has to contain (see core/listeners.ts). */
const LISTENER_HINT = /\b(?:listen\w*|serve|bind|udpSocket|WebSocketServer)\b|['"]ws['"]/;

/** UDP listeners: their ports are not TCP services, but they do draw from ip_local_port_range. */
const UDP_APIS = new Set(['dgram.Socket.bind', 'Deno.listenDatagram', 'Bun.udpSocket']);
export const isUdpListener = (l: Listener) => UDP_APIS.has(l.api);

interface CachedFile {
  mtimeMs: number;
  size: number;
  listeners: Listener[];
}

export interface InventorySnapshot extends ListenerInventoryInfo {
  /** Sorted by file, line, column. */
  all: Listener[];
}

export class ListenerInventory {
  private files = new Map<string, CachedFile>();
  /** Files of the last listing (the workspace as it was then). */
  private listed: string[] = [];
  /** Open documents: file path → listeners of their latest analysis. */
  private open = new Map<string, Listener[]>();
  private scan: Promise<void> | undefined;
  /** Something on disk may have changed since the last pass listed files. */
  private dirty = true;
  /** The last pass reached every listed file. */
  private complete = false;
  private nextPassAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private seededByAudit = false;
  private listedOnce = false;
  private signature = '';
  /** Called when the set of listening ports changed (refresh what shows them). */
  onChanged: () => void = () => undefined;

  constructor(
    private analysis: AnalysisService,
    private settings: SettingsStore,
    private documents: DocumentStore,
    private log: (message: string) => void,
  ) {}

  /** Files changed on disk, folders changed, or configs changed: re-list and re-stat on next use. */
  invalidate(): void {
    this.dirty = true;
    this.seededByAudit = false;
  }

  /** A workspace audit finished: its listeners are the freshest there are for the files it read. */
  seedFromAudit(files: string[], listeners: Listener[], coversWorkspace: boolean): void {
    const byFile = new Map<string, Listener[]>();
    for (const l of listeners) byFile.set(l.file, [...(byFile.get(l.file) ?? []), l]);
    for (const file of files) {
      const st = this.statFile(file);
      if (st) this.files.set(file, { mtimeMs: st.mtimeMs, size: st.size, listeners: byFile.get(file) ?? [] });
    }
    if (coversWorkspace) {
      this.listed = [...files];
      this.listedOnce = true;
      this.dirty = false;
      this.complete = true;
      this.seededByAudit = true;
    }
    this.checkChanged();
  }

  /** The latest analysis of an open JS/TS document. */
  noteDocument(uri: string, listeners: Listener[]): void {
    const file = uriToPath(uri);
    if (!file) return;
    const before = JSON.stringify(this.open.get(file)?.map(portKey) ?? null);
    this.open.set(file, listeners);
    if (JSON.stringify(listeners.map(portKey)) !== before) this.checkChanged();
  }

  /** The document closed: its text on disk counts again (re-read on the next pass). */
  forgetDocument(uri: string): void {
    const file = uriToPath(uri);
    if (!file || !this.open.delete(file)) return;
    this.files.delete(file);
    this.dirty = true;
  }

  /**
   * The inventory, waiting at most `waitMs` for a running (or newly started) scan pass. Never
   * throws: a failing pass is logged and what is known is returned.
   */
  async get(waitMs: number): Promise<InventorySnapshot> {
    if (!this.analysis.folders.length) return this.snapshot('none');
    this.maybeStartPass();
    if (this.scan && waitMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.scan, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    }
    return this.snapshot(this.seededByAudit ? 'audit' : 'scan');
  }

  /** Listeners known now, without scanning. */
  private snapshot(source: InventorySnapshot['source']): InventorySnapshot {
    const all: Listener[] = [];
    const seen = new Set<string>();
    for (const [file, listeners] of this.open) {
      seen.add(file);
      all.push(...listeners);
    }
    for (const file of this.listed) {
      if (seen.has(file)) continue;
      seen.add(file);
      all.push(...(this.files.get(file)?.listeners ?? []));
    }
    all.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    const partial = source !== 'none' && (!!this.scan || !this.complete || this.dirty);
    return { source, partial, listeners: all.length, all };
  }

  private maybeStartPass(): void {
    if (this.scan || (!this.dirty && this.complete)) return;
    const wait = this.nextPassAt - Date.now();
    if (wait > 0) {
      // Too soon after the last pass: run it later, once.
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.maybeStartPass();
      }, wait);
      return;
    }
    const started = Date.now();
    this.scan = this.pass()
      .catch((e) => this.log(`listener inventory: ${(e as Error)?.stack ?? e}`))
      .finally(() => {
        this.scan = undefined;
        this.nextPassAt = Date.now() + Math.max(MIN_COOLDOWN_MS, COOLDOWN_FACTOR * (Date.now() - started));
        this.checkChanged();
        // Still unfinished: continue after the cool-down even if nobody asks (the sysctl warning waits on it).
        if (!this.complete || this.dirty) this.maybeStartPass();
      });
  }

  private async pass(): Promise<void> {
    const started = Date.now();
    const roots = [...this.analysis.folders];
    const settingsOf = new Map<string, Settings>();
    for (const r of roots) settingsOf.set(r, await this.settings.get(pathToUri(r)));
    const rootOf = (file: string) => roots.find((r) => file === r || file.startsWith(r + path.sep)) ?? roots[0];
    // Listing walks the whole tree synchronously: only when something changed, not to continue a pass.
    const relist = this.dirty || !this.listedOnce;
    this.dirty = false;
    const worker = this.analysis.worker;
    const files = relist
      ? (await worker.run({ kind: 'list', roots }, 'background')).files.filter((f) => !this.analysis.excludedBySettings(f, settingsOf.get(rootOf(f))!))
      : this.listed;
    this.listed = files;
    this.listedOnce = true;
    const keep = new Set(files);
    for (const f of [...this.files.keys()]) if (!keep.has(f)) this.files.delete(f);

    const openDocs = new Map(this.documents.all().map((d) => [uriToPath(d.uri), d]));
    let analysed = 0;
    let complete = true;
    let slice = Date.now();
    for (const file of files) {
      if (Date.now() - slice > SLICE_MS) {
        await yieldToEventLoop();
        slice = Date.now();
      }
      if (this.open.has(file)) continue;
      const st = this.statFile(file);
      if (!st) {
        this.files.set(file, { mtimeMs: 0, size: -1, listeners: [] });
        continue;
      }
      const cached = this.files.get(file);
      if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) continue;
      const openText = openDocs.get(file)?.getText();
      let text = openText;
      if (text === undefined) {
        if (st.size > MAX_READ_BYTES) {
          this.files.set(file, { mtimeMs: st.mtimeMs, size: st.size, listeners: [] });
          continue;
        }
        text = this.analysis.files.readText(file, MAX_READ_BYTES, 'source').text;
        if (text === undefined) {
          this.files.set(file, { mtimeMs: st.mtimeMs, size: st.size, listeners: [] });
          continue;
        }
      }
      if (!LISTENER_HINT.test(text)) {
        this.files.set(file, { mtimeMs: st.mtimeMs, size: st.size, listeners: [] });
        continue;
      }
      if (analysed >= MAX_FILES_PER_PASS || Date.now() - started > PASS_BUDGET_MS) {
        complete = false;
        continue; // left uncached: the next pass picks it up
      }
      const settings = settingsOf.get(rootOf(file))!;
      const options = { rules: settings.rules, timeBudgetMs: settings.timeBudgetMs, maxFileSize: settings.maxFileSize };
      // Open buffers are analysed as the user sees them (the project keeps the buffer, as in the audit);
      // other files with the text just read, so the project never sees a newer disk text than we cached.
      analysed++;
      let listeners: Listener[] = [];
      try {
        const r = await worker.run({ kind: 'analyze', file, text, options }, 'background');
        if (!r.excluded) listeners = r.listeners;
      } catch (e) {
        this.log(`listener inventory: ${file}: ${(e as Error)?.message ?? e}`);
      }
      this.files.set(file, { mtimeMs: st.mtimeMs, size: st.size, listeners });
    }
    this.complete = complete;
    this.log(`listener inventory: ${files.length} files listed, ${analysed} analysed${complete ? '' : ' (unfinished, continues later)'} in ${Date.now() - started} ms`);
  }

  private checkChanged(): void {
    const snap = this.snapshot('scan');
    const signature = JSON.stringify(snap.all.map(portKey));
    if (signature === this.signature) return;
    this.signature = signature;
    try {
      this.onChanged();
    } catch (e) {
      this.log(`listener inventory: refresh failed: ${(e as Error)?.stack ?? e}`);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  /** A regular file inside the workspace boundary (links resolved), or undefined. */
  private statFile(file: string): fs.Stats | undefined {
    const { real } = this.analysis.files.real(file);
    if (!real || this.analysis.files.refusal(real, 'source')) return undefined;
    try {
      const st = fs.statSync(real);
      return st.isFile() ? st : undefined;
    } catch {
      return undefined;
    }
  }
}

const portKey = (l: Listener) => `${l.file}:${l.line}:${l.port}`;


