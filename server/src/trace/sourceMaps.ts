// Maps a frame of compiled JavaScript back to its TypeScript (or other) source through the file's
// `//# sourceMappingURL`, inline or beside it. Frames Node already mapped (--enable-source-maps,
// tsx, source-map-support) point at the source and have no such comment: they are left as they are.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import type { Frame } from './frames';

/** Bigger compiled files are not read (a source map of a bundle can be larger, that is fine). */
const MAX_SOURCE_BYTES = 50 * 1024 * 1024;

export class SourceMaps {
  private maps = new Map<string, TraceMap | null>();

  map(frame: Frame): Frame {
    if (!path.isAbsolute(frame.file)) return frame;
    const map = this.load(frame.file);
    if (!map) return frame;
    const original = originalPositionFor(map, { line: frame.line, column: Math.max(0, frame.column - 1) });
    if (!original.source || original.line === null || original.column === null) return frame;
    let file = original.source;
    if (file.startsWith('file://')) file = fileURLToPath(file);
    else if (!path.isAbsolute(file)) file = path.resolve(path.dirname(frame.file), file);
    return { function: original.name ?? frame.function, file, line: original.line, column: original.column + 1 };
  }

  private load(file: string): TraceMap | null {
    if (this.maps.has(file)) return this.maps.get(file)!;
    let map: TraceMap | null = null;
    try {
      map = readMap(file);
    } catch {
      map = null;
    }
    this.maps.set(file, map);
    return map;
  }
}

function readMap(file: string): TraceMap | null {
  if (fs.statSync(file).size > MAX_SOURCE_BYTES) return null;
  const text = fs.readFileSync(file, 'utf8');
  const url = lastSourceMappingUrl(text);
  if (!url) return null;
  const inline = /^data:application\/json[^,]*?(;base64)?,(.*)$/s.exec(url);
  if (inline) {
    const json = inline[1] ? Buffer.from(inline[2], 'base64').toString('utf8') : decodeURIComponent(inline[2]);
    return new TraceMap(json, pathToFileURL(file).href);
  }
  const mapFile = url.startsWith('file://') ? fileURLToPath(url) : path.resolve(path.dirname(file), decodeURIComponent(url));
  return new TraceMap(fs.readFileSync(mapFile, 'utf8'), pathToFileURL(mapFile).href);
}

function lastSourceMappingUrl(text: string): string | null {
  const re = /\/[/*][#@]\s*sourceMappingURL=([^\s*]+)/g;
  let last: string | null = null;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m[1];
  return last;
}
